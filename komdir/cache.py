"""Django's Redis cache backend, keeping one Redis client per connection pool, and
failing soft: Redis is a cache, never a single point of failure.

Django's client builds a new `redis.Redis` for every cache call, and redis-py fills a
table of some 170 response callbacks each time it builds one: about half a millisecond
of CPU per call, more than the call itself. A client is safe to share between threads
(it takes a connection from the pool for each command), so one per pool is enough.

While Redis does not answer (refused, timed out), every operation is a miss or does
nothing: get() gives the default, set() stores nothing, add() says stored (as if evicted
at once), incr() finds no key. After a failure Redis is not asked again for
`retry_after_seconds`, so that a dead one costs a process one short timeout a second at
most, and the outage is logged once a minute, not per call. `unavailable` tells callers
that must know (the page cache) that a miss was an outage.

Keys starting with one of the `LOCAL_FALLBACK_KEY_PREFIXES` (login rate limits) are kept
in this process's memory while Redis is down, so that they still count, per process.

A Redis that comes back may still hold what it held before (a network partition): a key
set or deleted during the outage, such as a session that was ended, would then be read
as it was. So the keys whose writes failed are remembered, per process, and deleted
before that process uses Redis again. A process that ends before Redis is back takes its
list with it."""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

T = TypeVar("T")
_LOCAL = object()  # Redis is down, and the key is one this process keeps meanwhile
# Refused, reset, unresolvable, timed out, still loading its data after a restart.
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class _Outage:
    """What this process knows of one Redis: Django makes a backend instance per thread,
    and they all share this."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0
        self.warned_at: dict[str, float] = {}
        # Keys written or deleted while Redis was down: Redis may come back with their
        # values from before (a network partition), so they are deleted before it is used.
        self.unwritten: set[str] = set()
        self.overflowed = False


_outages: dict[tuple[str, ...], _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(servers) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(tuple(servers), _Outage())


class SharedClientRedisCache(RedisCache):
    retry_after_seconds = 1.0
    warn_every_seconds = 60.0
    max_unwritten_keys = 100_000

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        self._fallback_prefixes = tuple(params.get("LOCAL_FALLBACK_KEY_PREFIXES", ()))
        # Local memory caches of one name share their data: one per process.
        self._local = LocMemCache("komdir-redis-fallback", {"OPTIONS": {"MAX_ENTRIES": 10000}})
        self._outage = _outage_of(self._servers)

    @property
    def unavailable(self) -> bool:
        """True from a failed call until a call succeeds again, in this process."""
        return self._outage.down_since is not None

    def _warn(self, topic: str, message: str, *args) -> None:
        now, outage = time.monotonic(), self._outage
        with outage.lock:
            last = outage.warned_at.get(topic)
            if last is not None and now - last < self.warn_every_seconds:
                return
            outage.warned_at[topic] = now
        logger.warning(message, *args)

    def _failed(self, error: Exception) -> None:
        now, outage = time.monotonic(), self._outage
        with outage.lock:
            outage.down_since = outage.down_since or now
            outage.retry_at = now + self.retry_after_seconds
        self._warn("down", "Redis cache unreachable (%s): serving without it", error)

    def _recovered(self) -> None:
        outage = self._outage
        with outage.lock:
            down_since, outage.down_since = outage.down_since, None
            outage.warned_at.clear()
        if down_since is not None:
            self._local.clear()  # Redis's own counts, from before the outage, hold again
            logger.info("Redis cache answers again after %.1f s", time.monotonic() - down_since)

    def _call(
        self,
        key: str | None,
        operation: Callable[[], T],
        miss: T,
        writes: Callable[[], Iterable[str]] | None = None,
    ) -> T:
        """Redis's answer; while it is down, `_LOCAL` for a fallback key, else `miss`.
        `writes` gives the (made) keys a failed write leaves stale in Redis."""
        outage = self._outage
        if time.monotonic() >= outage.retry_at:
            try:
                if outage.unwritten:
                    self._delete_unwritten()
                result = operation()
            except OUTAGE_ERRORS as error:
                self._failed(error)
            else:
                if outage.down_since is not None:
                    self._recovered()
                return result
        if key is not None and self._fallback_prefixes and key.startswith(self._fallback_prefixes):
            self._warn(
                "fallback", "Redis cache unreachable: login rate limits count per process alone"
            )
            return _LOCAL
        if writes is not None:
            self._remember_unwritten(writes())
        return miss

    def _remember_unwritten(self, keys: Iterable[str]) -> None:
        outage = self._outage
        with outage.lock:
            if outage.overflowed:
                return
            outage.unwritten.update(keys)
            if len(outage.unwritten) > self.max_unwritten_keys:
                outage.overflowed = True
        if outage.overflowed:
            logger.error(
                "Redis cache unreachable for more than %d writes: some values written "
                "meanwhile may be read as they were before the outage, until they expire",
                self.max_unwritten_keys,
            )

    def _delete_unwritten(self) -> None:
        outage = self._outage
        with outage.lock:
            keys, outage.unwritten = sorted(outage.unwritten), set()
            outage.overflowed = False
        try:
            for start in range(0, len(keys), 1000):
                self._cache.delete_many(keys[start : start + 1000])
        except OUTAGE_ERRORS:
            with outage.lock:
                outage.unwritten.update(keys)
            raise
        logger.info("Redis cache: %d keys written during the outage deleted", len(keys))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        result = self._call(
            key,
            lambda: parent.add(key, value, timeout, version),
            True,
            self._made(key, version=version),
        )
        return self._local.add(key, value, timeout, version) if result is _LOCAL else result

    def get(self, key, default=None, version=None):
        parent = super()
        result = self._call(key, lambda: parent.get(key, default, version), default)
        return self._local.get(key, default, version) if result is _LOCAL else result

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        operation = lambda: parent.set(key, value, timeout, version)  # noqa: E731
        if self._call(key, operation, None, self._made(key, version=version)) is _LOCAL:
            self._local.set(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        result = self._call(
            key,
            lambda: parent.touch(key, timeout, version),
            False,
            self._made(key, version=version),
        )
        return self._local.touch(key, timeout, version) if result is _LOCAL else result

    def delete(self, key, version=None):
        parent = super()
        result = self._call(
            key, lambda: parent.delete(key, version), False, self._made(key, version=version)
        )
        return self._local.delete(key, version) if result is _LOCAL else result

    def has_key(self, key, version=None):
        parent = super()
        result = self._call(key, lambda: parent.has_key(key, version), False)
        return self._local.has_key(key, version) if result is _LOCAL else result

    def incr(self, key, delta=1, version=None):
        parent = super()
        result = self._call(
            key, lambda: parent.incr(key, delta, version), None, self._made(key, version=version)
        )
        if result is _LOCAL:
            return self._local.incr(key, delta, version)
        if result is None:  # a miss, as for a key that is not there
            raise ValueError(f"Key '{key}' not found.")
        return result

    # Several keys at once: Redis or a miss (page and feed caches, never rate limits).

    def get_many(self, keys, version=None):
        parent = super()
        return self._call(None, lambda: parent.get_many(keys, version), {})

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._call(
            None,
            lambda: parent.set_many(data, timeout, version),
            list(data),
            self._made(*data, version=version),
        )

    def delete_many(self, keys, version=None):
        parent = super()
        self._call(
            None,
            lambda: parent.delete_many(keys, version),
            None,
            self._made(*keys, version=version),
        )

    def _made(self, *keys, version=None) -> Callable[[], list[str]]:
        return lambda: [self.make_and_validate_key(key, version=version) for key in keys]

    def clear(self):
        parent = super()
        return self._call(None, parent.clear, False)
