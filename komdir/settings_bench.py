"""Benchmark settings (`make bench`): the production settings, plus a bare page at
/bench/bare/ that measures what the stack (gunicorn, middleware, session) costs before
any portal code runs. The bare page exists only here, never in komdir/urls.py."""

from komdir.settings import *  # noqa: F403

# This module is also the URL conf: the portal's URLs and the bare page.
ROOT_URLCONF = "komdir.settings_bench"

BARE_PAGE = (
    "<!doctype html><html lang=da><head><title>bare</title></head><body><p>"
    + "KOMDIR " * 580
    + "</p></body></html>\n"
)[:4096]


def bare_page(request):
    """A fixed 4 KB page, the benchmark's yardstick."""
    from django.http import HttpResponse

    return HttpResponse(BARE_PAGE)


def __getattr__(name: str):
    # The URL patterns are built on first use, not on import: settings are imported
    # before the apps are ready, and the portal's URL conf imports their views.
    if name != "urlpatterns":
        raise AttributeError(name)
    from django.contrib.auth.decorators import login_not_required
    from django.urls import include, path

    return [
        path("bench/bare/", login_not_required(bare_page), name="bench_bare"),
        path("", include("komdir.urls")),
    ]
