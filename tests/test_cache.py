"""The Redis cache backend fails soft: with Redis unreachable every operation is a miss
or does nothing, at once, with one warning in the log; when Redis answers again it is
used again. See komdir/cache.py."""

import logging
import os
import socket
import time

import pytest
import redis

from komdir.cache import SharedClientRedisCache

REDIS_URL = os.environ.get("REDIS_URL")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="SKIPPED LOUDLY: recovery needs a real Redis (set REDIS_URL)"
)


@pytest.fixture(autouse=True)
def _no_outage_known(monkeypatch):
    """A port bound and let go may come back: what an earlier test saw must not count."""
    import komdir.cache

    monkeypatch.setattr(komdir.cache, "_outages", {})


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dead_cache(**params) -> SharedClientRedisCache:
    return SharedClientRedisCache(
        f"redis://127.0.0.1:{closed_port()}/0", {"KEY_PREFIX": "test-outage", **params}
    )


def test_with_redis_down_every_operation_is_a_miss_or_does_nothing():
    cache = dead_cache()
    assert cache.get("page", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("page") is False
    cache.set("page", "content")
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.add("page", "content") is True  # as if stored and evicted at once
    assert cache.touch("page") is False
    assert cache.delete("page") is False
    cache.delete_many(["a", "b"])
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert cache.get_or_set("page", "fresh") == "fresh"
    assert cache.clear() is False
    assert cache.unavailable


def test_a_dead_redis_costs_milliseconds_and_one_warning(caplog):
    cache = dead_cache()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="komdir.cache"):
        for _ in range(200):
            cache.get("page")
            cache.set("page", "content")
    assert time.monotonic() - started < 1.0
    warnings = [r for r in caplog.records if r.name == "komdir.cache"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()


def test_the_timeouts_are_short_so_that_an_unanswering_redis_costs_little():
    from django.conf import settings

    options = settings.REDIS_CACHE["OPTIONS"]
    assert options["socket_connect_timeout"] <= 0.5
    assert options["socket_timeout"] <= 1


@needs_redis
def test_redis_is_used_again_once_it_answers(monkeypatch, caplog):
    cache = SharedClientRedisCache(REDIS_URL, {"KEY_PREFIX": f"test-outage-{os.getpid()}"})
    monkeypatch.setattr(SharedClientRedisCache, "retry_after_seconds", 0)
    cache.set("kept", "from before")

    def refused(*args, **kwargs):
        raise redis.ConnectionError("Connection refused")

    with monkeypatch.context() as outage:
        outage.setattr(cache._cache, "get_client", refused)
        assert cache.get("kept") is None
        assert cache.unavailable
    with caplog.at_level(logging.INFO, logger="komdir.cache"):
        assert cache.get("kept") == "from before"
    assert not cache.unavailable
    assert any("answers again" in r.getMessage() for r in caplog.records)
    cache.delete("kept")


def test_an_outage_is_one_per_process_not_one_per_thread(caplog):
    """Django makes a backend instance per thread: they share what they know of Redis."""
    import threading

    first = dead_cache()
    location = first._servers[0]
    with caplog.at_level(logging.WARNING, logger="komdir.cache"):
        first.get("page")

        def in_another_thread():
            second = SharedClientRedisCache(location, {"KEY_PREFIX": "test-outage"})
            seen.append(second.unavailable)
            second.get("page")

        seen = []

        thread = threading.Thread(target=in_another_thread)
        thread.start()
        thread.join()
    assert seen == [True]
    assert len([r for r in caplog.records if r.name == "komdir.cache"]) == 1


@needs_redis
def test_what_was_written_during_an_outage_is_never_read_from_before_it(monkeypatch):
    cache = SharedClientRedisCache(REDIS_URL, {"KEY_PREFIX": f"test-outage-{os.getpid()}"})
    monkeypatch.setattr(SharedClientRedisCache, "retry_after_seconds", 0)
    cache.set_many({"deleted": "old", "changed": "old", "untouched": "old"})

    def refused(*args, **kwargs):
        raise redis.ConnectionError("Connection refused")

    with monkeypatch.context() as outage:
        outage.setattr(cache._cache, "get_client", refused)
        cache.delete("deleted")
        cache.set("changed", "new")
    assert cache.get_many(["deleted", "changed", "untouched"]) == {"untouched": "old"}
    cache.delete_many(["deleted", "changed", "untouched"])
