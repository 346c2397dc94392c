"""Template filter for the shared pagination: the page numbers worth showing, so that a
list of thousands of pages renders the same few links as a list of ten."""

from django import template
from django.core.paginator import Page

register = template.Library()


@register.filter
def elided_page_numbers(page: Page) -> list[int | None]:
    """The first and last page and two on each side of the current one; None for a gap."""
    return [
        None if number == page.paginator.ELLIPSIS else number
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
