"""The public pages (home, about, focus areas) as anonymous visitors see them, cached
whole: they are the same for every visitor who is not logged in, and change only when
the board edits the association's text."""

from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

GENERATION_KEY = "public-pages:generation"
# An upper bound on staleness for changes no signal reports (a new period starting by
# the calendar, say); edits through the portal or the admin show at once.
PUBLIC_PAGE_SECONDS = 10 * 60


def _generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def public_pages_changed(**_signal_arguments) -> None:
    """Make every cached public page stale, now and again when the transaction commits."""
    # Now, so that the editor's own next page is fresh; again on commit, because a
    # visitor may have cached the old text in between, before the edit was visible.
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not cached yet, or evicted: any new value invalidates
        cache.set(GENERATION_KEY, 1, timeout=None)
        cache.incr(GENERATION_KEY)


def _shared_with_everyone(request) -> bool:
    # Logged-in members see their own pages; a visitor with a message waiting (after
    # logging out, say) must see it; a query string could be anything.
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def public_page(view):
    """Serve anonymous visitors the page from the cache, keyed by address and language."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _shared_with_everyone(request):
            return view(request, *args, **kwargs)
        key = f"public-page:{_generation()}:{get_language()}:{request.path}"
        content = cache.get(key)
        if content is not None:
            response = HttpResponse(content)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies:
                cache.set(key, response.content, timeout=PUBLIC_PAGE_SECONDS)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapper
