"""Nothing executable comes out of any Markdown field."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from core.markdown import render_markdown
from focusareas import services
from tests.focusareas.factories import CommentFactory, ContributionFactory

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik]( javascript:alert(1) )",
    "[klik](java\tscript:alert(1))",
    "[klik](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[klik](&#x6A;avascript:alert(1))",
    "[klik](javascript&colon;alert(1))",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![billede](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![billede](javascript:alert(1))",
    '<img src=x onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">klik</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<details open ontoggle=alert(1)>",
    '[klik](https://ok.example "title" onmouseover=alert(1))',
    "<javascript:alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "```html\n<script>alert(1)</script>\n```",
]

SAFE_SCHEMES = ("http://", "https://", "mailto:")


class Audit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "svg", "img", "iframe", "object", "embed", "style", "details", "math"}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src", "srcdoc", "formaction"}:
                self.problems.append(f"{tag} {name}={value}")
            href = (value or "").strip().lower()
            # The page's own links are relative; user links must use a safe scheme.
            if name == "href" and not href.startswith((*SAFE_SCHEMES, "/", "#", "?")):
                self.problems.append(f"href={value}")


def audit(html: str) -> list[str]:
    parser = Audit()
    parser.feed(html)
    return parser.problems


@pytest.mark.parametrize("source", XSS_CORPUS)
def test_the_renderer_lets_nothing_executable_through(source):
    assert audit(str(render_markdown(source))) == []


def test_links_get_rel_noopener_noreferrer_nofollow_and_safe_schemes_survive():
    html = str(render_markdown("[a](https://kl.dk) [b](mailto:post@komdir.dk) [c](http://x.dk)"))
    assert html.count('rel="noopener noreferrer nofollow"') == 3
    assert 'href="mailto:post@komdir.dk"' in html


@pytest.mark.django_db
def test_every_markdown_field_is_rendered_safely_on_its_page(client, board_member, civilsamfund):
    from tests.conftest import login

    payload = "\n\n".join(XSS_CORPUS)
    contribution = ContributionFactory(author=board_member, body=payload, tags=["Civilsamfund"])
    CommentFactory(contribution=contribution, body=payload)
    services.focusarea_update(
        focus_area=civilsamfund,
        author=board_member,
        title=civilsamfund.title,
        summary=civilsamfund.summary,
        body=payload,
        questions=[],
        tags=["Civilsamfund"],
    )
    login(client, board_member, mfa=True)
    for url in (
        contribution.get_absolute_url(),
        civilsamfund.get_absolute_url(),
        reverse("focusareas:edit", args=[civilsamfund.slug]),
    ):
        content = client.get(url).content.decode()
        main = content[content.index("<main") : content.index("</main>")]
        assert audit(main) == [], url
    preview = client.post(
        reverse("focusareas:contribution_create"),
        {"title": "t", "body": payload, "visibility": "members", "tags": "", "preview": ""},
    ).content.decode()
    main = preview[preview.index("<main") : preview.index("</main>")]
    assert audit(main) == []
