"""Fragment caching by key (Russian-doll caching): the HTML of one row, card or block is
stored under a key made of its name, the language and every value it is rendered from,
so that a write makes stale exactly the fragments that show what it changed, and no
other member's page loses anything by it.

The rule that keeps it right: a fragment's key holds everything that changes its HTML.
For a row that is the row's own values (a digest of what the template shows, fetched
anyway to draw it) or its version (`updated_at`, a counter) plus the versions of what
it shows of other rows. Nothing of the viewer may appear in a shared fragment unless
the viewer's part is in its key too: a fragment that differs by role is keyed by role.

`settings.PAGE_CACHE` off renders every fragment afresh (the benchmark's cold mode, and
the tests that pin a page's queries). While Redis is down the cache misses and stores
nothing (komdir/cache.py), so every fragment is rendered: slower, never stale."""

import hashlib
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

FRAGMENT_SECONDS = 7 * 24 * 60 * 60  # an unused version ages out; a used one is fresh
Item = TypeVar("Item")


def fragment_key(name: str, *version: Hashable) -> str:
    """The cache key of fragment `name` in the current language at `version`."""
    digest = hashlib.blake2b(repr(version).encode(), digest_size=16).hexdigest()
    return f"fragment:{name}:{get_language()}:{digest}"


def fragments_enabled() -> bool:
    return bool(settings.PAGE_CACHE) and not getattr(cache, "unavailable", False)


def cached_fragments(
    items: Sequence[Item],
    *,
    name: str,
    version: Callable[[Item], tuple],
    render: Callable[[list[Item]], list[str]],
) -> list[SafeString]:
    """The HTML of each item, in order: stored fragments where their version is stored,
    the rest rendered in one call of `render` (which returns one string per item) and
    stored. One round trip to the cache to read, one to write."""
    items = list(items)
    if not items:
        return []
    if not fragments_enabled():
        return [mark_safe(html) for html in render(items)]  # noqa: S308  # nosec B703 B308 - template output
    keys = [fragment_key(name, *version(item)) for item in items]
    found = cache.get_many(keys)
    missing = [index for index, key in enumerate(keys) if key not in found]
    if missing:
        rendered = render([items[index] for index in missing])
        fresh = {keys[index]: str(html) for index, html in zip(missing, rendered, strict=True)}
        cache.set_many(fresh, timeout=FRAGMENT_SECONDS)
        found.update(fresh)
    return [mark_safe(found[key]) for key in keys]  # noqa: S308  # nosec B703 B308 - template output


def render_each(template_name: str, *, as_name: str = "item", **context) -> Callable:
    """A `render` for cached_fragments: the template once per item, the item in the
    context as `as_name`, beside `context`."""

    def render(items: list) -> list[str]:
        template = get_template(template_name)
        return [template.render({**context, as_name: item}) for item in items]

    return render


def cached_fragment(name: str, version: tuple, render: Callable[[], str]) -> SafeString:
    """One fragment: stored at `version`, else rendered by `render()` and stored."""
    return cached_fragments(
        [None], name=name, version=lambda _: version, render=lambda _: [render()]
    )[0]
