"""Pages whose results htmx replaces in place (the directory, the contribution list)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page_or_fragment(
    request: HttpRequest, *, page: str, fragment: str, context: dict
) -> HttpResponse:
    """The fragment for an htmx request, the whole page otherwise; a history restore gets
    the whole page, as htmx swaps it in whole. The answer varies with HX-Request."""
    htmx = getattr(request, "htmx", None)
    template = fragment if htmx and not htmx.history_restore_request else page
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
