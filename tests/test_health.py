import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_database_and_broker_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "broker": True}


def test_healthz_answers_503_when_the_broker_is_down(client, settings):
    from komdir.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("healthz"))
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["broker"] is False


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    from komdir import health

    monkeypatch.setattr(health, "_database_ok", lambda: False)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503


def test_healthz_answers_503_when_redis_is_down_for_cache_and_broker_alike(client, settings):
    import socket
    import time

    from komdir.celery import app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": dead}}
    original = app.conf.broker_url
    app.conf.broker_url = dead
    started = time.monotonic()
    try:
        response = client.get(reverse("healthz"))
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": True, "broker": False}
    assert time.monotonic() - started < 3
