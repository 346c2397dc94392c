"""A text shown under a heading of the page's own does not repeat that heading."""

import pytest

from core.markdown import render_markdown_under


@pytest.mark.parametrize(
    "text", ["# Referat\n\nVi talte.", "## referat:\n\nVi talte.", "  #   Referat  \nVi talte."]
)
def test_a_first_heading_saying_the_same_is_left_out(text):
    html = render_markdown_under(text, "Referat")
    assert "Referat" not in html.replace("referat", "Referat") and "<p>Vi talte.</p>" in html


@pytest.mark.parametrize(
    "text",
    [
        "# Referat af mødet\n\nVi talte.",
        "Referat\n\nVi talte.",
        "Vi talte.\n\n# Referat",
    ],
)
def test_any_other_heading_or_text_stays(text):
    assert "Referat" in render_markdown_under(text, "Referat")


def test_the_text_is_cleaned_as_ever():
    html = render_markdown_under("# Referat\n\n<script>x</script> [a](javascript:x)", "Referat")
    assert "<script" not in html and 'href="javascript' not in html and "&lt;script" in html
