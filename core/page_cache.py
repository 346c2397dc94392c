"""Visitors' pages (home, about, focus areas as the public sees them) cached whole: one
copy per address and language, shared by every visitor who is not logged in, and
invalidated by a generation counter that every change to the association's text bumps
(model signals). Members' pages are not cached whole: they are made of fragments cached
by key (core/fragments.py), so that one member's write empties nobody else's page.

A cached page is served only while nothing it could show has changed: it is stored with
the generation it was made at, and any write to the data the pages show bumps that
generation, committed or not yet committed (see `_changed`). The time limit only bounds
what no write reports.

Each app registers the models visitors' pages show (`cache_invalidated_by`, in its
AppConfig.ready()); signals then report their save(), delete() and many-to-many changes
from anywhere, the admin included. A bulk write (QuerySet.update, bulk_create) sends
none: where one changes what a page shows, call public_content_changed() after it.

While Redis is down (the cache says `unavailable`), every page is rendered and nothing
is stored. A write then cannot bump its generation, and a Redis that comes back with
its old contents (a network partition) would serve the pages stored before the outage
as if nothing had changed. So a failed bump is remembered in the process that made it,
and done first thing when Redis answers again, before that process serves any page:
every page stored before it is then stale for every process, since the generation lives
in Redis. The one gap: a process that wrote during the outage and ended before Redis
came back takes its memory with it; other processes that wrote remember their own."""

import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

PUBLIC = "public"  # the association's text: periods, focus areas, questions, pages, tags
PUBLIC_PAGE_SECONDS = 10 * 60


def _generation_key(name: str) -> str:
    return f"page-cache:generation:{name}"


# The generations whose bump failed while Redis was down, in this process.
_lost: set[str] = set()
_lost_lock = threading.Lock()


def _unavailable() -> bool:
    return getattr(cache, "unavailable", False)  # only the Redis backend can be down


def _start(key: str) -> int:
    # A generation that was lost (a flushed or culled cache) must not start again at a
    # value a stored page was made at: the clock's nanoseconds are past every earlier one.
    cache.add(key, time.time_ns(), timeout=None)  # another process may have been first
    return cache.get(key)


def _current(names: tuple[str, ...], found: dict) -> tuple[int, ...]:
    """The named generations from `found` (a get_many result), starting missing ones."""
    keys = [_generation_key(name) for name in names]
    return tuple(found[key] if key in found else _start(key) for key in keys)


def _bump(*names: str) -> None:
    _bump_lost()
    _incr(names)


def _incr(names: tuple[str, ...]) -> None:
    for name in names:
        try:
            cache.incr(_generation_key(name))
        except ValueError:
            if _unavailable():  # not bumped: done once Redis answers again
                with _lost_lock:
                    _lost.add(name)
            else:  # lost: starting afresh makes every stored page stale too
                _start(_generation_key(name))


def _bump_lost() -> None:
    """Bump the generations that could not be bumped while Redis was down: one above
    their value, whatever the clocks say. Those that fail again stay lost."""
    if not _lost:
        return
    with _lost_lock:
        names = tuple(_lost)
        _lost.clear()
    _incr(names)


def _changed(*names: str) -> None:
    # Now, so that the writer's own next page is fresh; again on commit, because another
    # request may have cached the old data in between, before the write was visible.
    _bump(*names)
    transaction.on_commit(lambda: _bump(*names))


def public_content_changed(**_signal_arguments) -> None:
    """Make every cached page stale: the association's text has changed."""
    _changed(PUBLIC)


def page_cache_clear() -> None:
    """Make every cached page stale at once (`manage.py clear_page_cache`)."""
    _bump(PUBLIC)


def _cacheable_request(request) -> bool:
    # A message waiting must be shown; htmx fragments are small and vary with the input.
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and "messages" not in request.COOKIES
        and not getattr(request, "htmx", False)
    )


def _serve(request, view, args, kwargs, *, key: str, generations: tuple[str, ...], seconds: int):
    _bump_lost()
    # One round trip to Redis: the page and the generations it must have been made at.
    found = cache.get_many([*(_generation_key(name) for name in generations), key])
    if _unavailable():  # rendered, not stored: nothing could tell when it went stale
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response
    current = _current(generations, found)
    stored = found.get(key)
    if stored is not None and stored[0] == current:
        response = HttpResponse(stored[1])
    else:
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and getattr(response, "page_cache", True)
        ):
            cache.set(key, (current, response.content), timeout=seconds)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def public_page(view):
    """For visitors who are not logged in, serve the page from the shared cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated or request.GET or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = f"page-cache:public:{get_language()}:{request.path}"
        return _serve(
            request, view, args, kwargs, key=key, generations=(PUBLIC,), seconds=PUBLIC_PAGE_SECONDS
        )

    return wrapper


# The registered models, by their label (`app.model`).
_invalidating: set[str] = set()


def cache_invalidated_by(*models: type[Model]) -> None:
    """Make the visitors' cached pages stale on every save, delete and many-to-many
    change of `models`.

    Each app calls it in its AppConfig.ready() for its own models that visitors' pages
    show; a many-to-many table (`Model.field.through`) reports its changes only."""
    for model in models:
        _invalidating.add(model._meta.label_lower)
        if model._meta.auto_created:
            m2m_changed.connect(public_content_changed, sender=model, weak=False)
            continue
        post_save.connect(public_content_changed, sender=model, weak=False)
        post_delete.connect(public_content_changed, sender=model, weak=False)


def invalidating_models() -> set[str]:
    """The labels of the models whose changes make the visitors' cached pages stale."""
    return set(_invalidating)
