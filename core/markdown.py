"""The one way user-written Markdown becomes HTML: contributions, comments and
focus-area pages all go through render_markdown."""

import functools
import html
import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# "js-default" follows CommonMark with raw HTML switched off: whatever HTML a user
# types is shown as text. nh3 then removes anything that still is not plain markup.
_markdown = MarkdownIt("js-default")

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"


def render_markdown(text: str | None) -> SafeString:
    """Markdown to HTML that can carry no script: no raw HTML, no event handlers, no
    styles, no images, and links only to http, https and mailto addresses."""
    return _render(text or "")


def render_markdown_under(text: str | None, heading: str) -> SafeString:
    """render_markdown for a text shown under a heading of the page's own: a first
    heading in the text that says the same ("# Referat" under "Referat") is left out,
    so that the page does not show it twice."""
    rendered = render_markdown(text)
    match = _LEADING_HEADING.match(rendered)
    if match and _plain(match["title"]) == _plain(str(heading)):
        # Safe: a tail of markup nh3 has cleaned, cut at a tag boundary.
        return mark_safe(rendered[match.end() :].lstrip())  # noqa: S308  # nosec B308 B703
    return rendered


_LEADING_HEADING = re.compile(r"\s*<h(?P<level>[2-6])>(?P<title>[^<]*)</h(?P=level)>")


def _plain(title: str) -> str:
    return " ".join(html.unescape(title).split()).rstrip(":.").casefold()


# The HTML is a function of the text alone, so a text seen before (the focus-area pages,
# a contribution read by many) is not parsed again; the cache is per process and bounded.
@functools.lru_cache(maxsize=1024)
def _render(text: str) -> SafeString:
    html = _markdown.render(text)
    # A level-1 heading inside a page would compete with the page's own <h1>.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    # Safe by construction: nh3 has just removed everything but the allowed markup.
    return mark_safe(cleaned)  # noqa: S308  # nosec B308 B703
