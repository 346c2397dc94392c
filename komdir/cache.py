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
in this process's memory while Redis is down, so that they still count, per process."""

import logging
import threading
import time
from collections.abc import Callable
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


_outages: dict[tuple[str, ...], _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(servers) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(tuple(servers), _Outage())


class SharedClientRedisCache(RedisCache):
    retry_after_seconds = 1.0
    warn_every_seconds = 60.0

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

    def _call(self, key: str | None, operation: Callable[[], T], miss: T) -> T:
        """Redis's answer; while it is down, `_LOCAL` for a fallback key, else `miss`."""
        if time.monotonic() >= self._outage.retry_at:
            try:
                result = operation()
            except OUTAGE_ERRORS as error:
                self._failed(error)
            else:
                if self._outage.down_since is not None:
                    self._recovered()
                return result
        if key is not None and self._fallback_prefixes and key.startswith(self._fallback_prefixes):
            self._warn(
                "fallback", "Redis cache unreachable: login rate limits count per process alone"
            )
            return _LOCAL
        return miss

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        result = self._call(key, lambda: parent.add(key, value, timeout, version), True)
        return self._local.add(key, value, timeout, version) if result is _LOCAL else result

    def get(self, key, default=None, version=None):
        parent = super()
        result = self._call(key, lambda: parent.get(key, default, version), default)
        return self._local.get(key, default, version) if result is _LOCAL else result

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        if self._call(key, lambda: parent.set(key, value, timeout, version), None) is _LOCAL:
            self._local.set(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        result = self._call(key, lambda: parent.touch(key, timeout, version), False)
        return self._local.touch(key, timeout, version) if result is _LOCAL else result

    def delete(self, key, version=None):
        parent = super()
        result = self._call(key, lambda: parent.delete(key, version), False)
        return self._local.delete(key, version) if result is _LOCAL else result

    def has_key(self, key, version=None):
        parent = super()
        result = self._call(key, lambda: parent.has_key(key, version), False)
        return self._local.has_key(key, version) if result is _LOCAL else result

    def incr(self, key, delta=1, version=None):
        parent = super()
        result = self._call(key, lambda: parent.incr(key, delta, version), None)
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
        return self._call(None, lambda: parent.set_many(data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        parent = super()
        self._call(None, lambda: parent.delete_many(keys, version), None)

    def clear(self):
        parent = super()
        return self._call(None, parent.clear, False)
