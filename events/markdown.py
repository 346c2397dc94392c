"""Markdown written by members, rendered safely."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# "js-default" follows CommonMark with raw HTML off; nh3 then keeps only harmless
# tags and links to http, https and mailto.
_markdown = MarkdownIt("js-default").enable("table")
_ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip


def render_markdown(text: str) -> SafeString:
    """Member-written Markdown as HTML with no script, no event handlers and only
    http, https and mailto links."""
    html = _markdown.render(text or "")
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "ol": {"start"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
