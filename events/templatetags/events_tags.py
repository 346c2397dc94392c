from django import template

from events.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Render member-written Markdown safely."""
    return render_markdown(text)
