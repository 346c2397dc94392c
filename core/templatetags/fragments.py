"""`{% fragment "name" version… %}…{% endfragment %}`: a block of a template cached by
key (core/fragments.py), e.g. a contribution's rendered body by its id and updated_at.
The language is part of every key; everything else the block shows must be in the
version."""

from django import template

from core.fragments import cached_fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, version):
        self.nodelist = nodelist
        self.name = name
        self.version = version

    def render(self, context):
        name = self.name.resolve(context)
        version = tuple(part.resolve(context) for part in self.version)
        return cached_fragment(name, version, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name and at least one version value")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]]
    )
