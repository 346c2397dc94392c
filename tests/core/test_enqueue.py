"""One way to queue a task from a write: after the commit, and with a broker that does
not answer, in well under a second, with the failure logged and nothing raised."""

import logging
import socket
import time

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_broker():
    """The Celery app publishing for real, to a closed port on loopback."""
    from komdir.celery import app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    original = app.conf.broker_url, app.conf.task_always_eager

    def fresh_pools():
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_url, app.conf.task_always_eager = dead, False
    fresh_pools()
    yield
    app.conf.broker_url, app.conf.task_always_eager = original
    fresh_pools()


def test_a_task_is_queued_only_once_the_transaction_commits(
    django_capture_on_commit_callbacks, monkeypatch
):
    from core.enqueue import enqueue_on_commit
    from core.tasks import outbox_send_due_task

    sent = []
    monkeypatch.setattr(outbox_send_due_task, "apply_async", lambda *a, **kw: sent.append((a, kw)))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(outbox_send_due_task, 7)
        assert sent == []
    assert len(callbacks) == 1
    ((args, kwargs),) = sent
    assert args == ((7,), {}) and kwargs["retry"] is False


def test_a_broker_that_does_not_answer_costs_under_a_second_and_a_log_line(
    dead_broker, django_capture_on_commit_callbacks, caplog
):
    from core.enqueue import enqueue_on_commit
    from core.tasks import outbox_send_due_task

    started = time.monotonic()
    with (
        caplog.at_level(logging.WARNING, logger="core.enqueue"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_on_commit(outbox_send_due_task, 7)
    assert time.monotonic() - started < 1.0
    (record,) = [r for r in caplog.records if r.name == "core.enqueue"]
    assert "outbox_send_due" in record.getMessage()
