"""Whole-page caching, in two kinds, both invalidated by generation counters that every
change bumps (model signals, and the services for the few bulk updates):

- public pages (home, about, focus areas) as visitors who are not logged in see them:
  one copy per address and language, shared by every visitor;
- a member's pages: one copy per browser session, so nothing ever crosses from one
  member (or one browser, with its own CSRF token in the forms) to another.

A cached page is served only while nothing it could show has changed: it is stored with
the generation it was made at, and any write to the data the pages show bumps that
generation, committed or not yet committed (see `_changed`). The time limits only bound
what no write reports, such as an event that has started since.

Each app registers the models its cached pages show (`cache_invalidated_by`, in its
AppConfig.ready()); signals then report their save(), delete() and many-to-many changes
from anywhere, the admin included. A bulk write (QuerySet.update, bulk_create) sends
none: where one changes what a page shows, call portal_content_changed() after it, as
the services do.

While Redis is down (the cache says `unavailable`), every page is rendered and nothing
is stored. A write then cannot bump its generations, and a Redis that comes back with
its old contents (a network partition) would serve the pages stored before the outage
as if nothing had changed. So a failed bump is remembered in the process that made it,
and done first thing when Redis answers again, before that process serves any page:
every page stored before it is then stale for every process, since the generations live
in Redis. The one gap: a process that wrote during the outage and ended before Redis
came back takes its memory with it; other processes that wrote remember their own."""

import hashlib
import threading
import time
from collections.abc import Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

PUBLIC = "public"  # the association's text: periods, focus areas, questions, pages, tags
PORTAL = "portal"  # everything a member's page can show (includes PUBLIC)
PUBLIC_PAGE_SECONDS = 10 * 60
MEMBER_PAGE_SECONDS = 2 * 60


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
    _changed(PUBLIC, PORTAL)


def portal_content_changed(**_signal_arguments) -> None:
    """Make every member's cached pages stale: data their pages show has changed."""
    _changed(PORTAL)


def page_cache_clear() -> None:
    """Make every cached page stale at once (`manage.py clear_page_cache`)."""
    _bump(PUBLIC, PORTAL)


def _csrf_cookie(request) -> str | None:
    return request.COOKIES.get(settings.CSRF_COOKIE_NAME)


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


def member_page(view):
    """For a logged-in member, serve the page from this browser session's own cache.

    A view can keep one response out of the cache with `response.page_cache = False`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        csrf_cookie = _csrf_cookie(request)
        session_key = request.session.session_key
        if not (
            request.user.is_authenticated
            and session_key
            and csrf_cookie
            and _cacheable_request(request)
        ):
            return view(request, *args, **kwargs)
        browser = hashlib.sha256(f"{session_key}:{csrf_cookie}".encode()).hexdigest()
        address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page-cache:member:{get_language()}:{browser}:{address}"
        response = _serve(
            request, view, args, kwargs, key=key, generations=(PORTAL,), seconds=MEMBER_PAGE_SECONDS
        )
        patch_cache_control(response, private=True)
        return response

    return wrapper


# The registered models, by their label (`app.model`): the generation each one bumps.
_invalidating: dict[str, str] = {}


def _saved(receiver, fields_not_shown: frozenset[str]):
    def saved(sender, update_fields=None, **signal_arguments) -> None:
        if update_fields is not None and set(update_fields) <= fields_not_shown:
            return
        receiver()

    return saved


def cache_invalidated_by(
    *models: type[Model], public: bool = False, fields_not_shown: Iterable[str] = ()
) -> None:
    """Make the cached pages stale on every save, delete and many-to-many change of
    `models`: every page if `public` (what visitors see too), else the members' pages.

    Each app calls it in its AppConfig.ready() for its own models that cached pages
    show; a many-to-many table (`Model.field.through`) reports its changes only. A save
    that writes nothing but `fields_not_shown` changes no page (a login writes
    last_login, and logins are frequent)."""
    receiver = public_content_changed if public else portal_content_changed
    fields_not_shown = frozenset(fields_not_shown)
    for model in models:
        _invalidating[model._meta.label_lower] = PUBLIC if public else PORTAL
        if model._meta.auto_created:
            m2m_changed.connect(receiver, sender=model, weak=False)
            continue
        on_save = _saved(receiver, fields_not_shown) if fields_not_shown else receiver
        post_save.connect(on_save, sender=model, weak=False)
        post_delete.connect(receiver, sender=model, weak=False)


def invalidating_models() -> dict[str, str]:
    """Each registered model's label and the generation it bumps (PUBLIC or PORTAL)."""
    return dict(_invalidating)
