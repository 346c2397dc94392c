from django import template
from django.utils.safestring import SafeString

from core.markdown import render_markdown, render_markdown_under

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """Render user Markdown safely (see core.markdown)."""
    return render_markdown(text)


@register.simple_tag
def contribution_items(contributions, heading_level: int = 3) -> SafeString:
    """`{% contribution_items contributions heading_level=2 %}`: the rows of a list."""
    from ..fragments import contribution_items as items

    return items(contributions, heading_level=heading_level)


@register.filter(name="markdown_under")
def markdown_under_filter(text: str | None, heading: str) -> SafeString:
    """Render user Markdown shown under the page's own `heading` (see core.markdown)."""
    return render_markdown_under(text, heading)
