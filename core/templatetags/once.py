"""`{% include_once_per_page "template.html" %}`: an include whose output is rendered once
per page render and repeated where the tag appears again (the main menu is drawn twice,
in the header and in the mobile drawer, from the same context)."""

from django import template
from django.template.loader import get_template

register = template.Library()


@register.simple_tag(takes_context=True)
def include_once_per_page(context, template_name: str):
    """The template rendered with the current context, once per page."""
    store = context.render_context.dicts[0].setdefault("include_once_per_page", {})
    if template_name not in store:
        store[template_name] = get_template(template_name).template.render(context)
    return store[template_name]
