"""A real Celery worker (prefork, two processes) on Redis, a real SMTP server on
loopback, and a database and a Redis database of their own: every mail of the outbox
(invitations and reminders) arrives, each (event, member, offset) once, even when the
worker is killed mid-send, when at most one mail arrives twice, under one Message-ID;
and a broker outage while a meeting is scheduled loses nothing.

Needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL); skipped loudly otherwise."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# Per test run, so that two runs on one machine never drop each other's database.
WORKER_DB = f"komdir_worker_it_{os.getpid()}"
SMTP_DELAY = 0.25  # seconds per message, so that a sweep has a middle to kill it in
# Short, so that the test waits little for the mail the killed worker left `sending`;
# long enough that a busy machine never sends a mail past its lease.
LEASE_SECONDS = 10

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
        reason="SKIPPED LOUDLY: the worker integration test needs PostgreSQL "
        "(DATABASE_URL) and Redis (REDIS_URL)",
    ),
]


class SlowCollector:
    """aiosmtpd handler: keeps every message, a little slowly."""

    def __init__(self):
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(SMTP_DELAY)
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def reminders(self) -> list:
        with self.lock:
            return [m for m in self.messages if m["X-KOMDIR-Reminder"]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def empty_redis_database() -> int:
    """A Redis database number that holds nothing, other than the one the tests use: the
    worker's broker and cache go there, and only what this test wrote is flushed after."""
    import redis

    base = urlsplit(os.environ["REDIS_URL"])
    taken = int(base.path.strip("/") or 0)
    for number in range(14, 0, -1):
        if number == taken:
            continue
        if not redis.Redis.from_url(urlunsplit(base._replace(path=f"/{number}"))).dbsize():
            return number
    pytest.skip("SKIPPED LOUDLY: no empty Redis database for the worker test")


@pytest.fixture(scope="module")
def worker_env():
    import psycopg

    test_url = urlsplit(os.environ["DATABASE_URL"])
    admin_url = urlunsplit(test_url._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {WORKER_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {WORKER_DB}")
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(test_url._replace(path=f"/{WORKER_DB}")),
        "SECRET_KEY": "worker-integration-test-" + "k" * 40,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
        "INSECURE_HTTP": "1",
        "DJANGO_SETTINGS_MODULE": "komdir.settings",
    }
    env.pop("CELERY_BROKER_URL", None)
    redis_db = empty_redis_database()
    env["REDIS_URL"] = urlunsplit(urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{redis_db}"))
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    yield env
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {WORKER_DB} WITH (FORCE)")
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()  # what this test put there, alone


@pytest.fixture
def smtp(worker_env):
    from aiosmtpd.controller import Controller

    collector = SlowCollector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    worker_env["EMAIL_HOST"] = "127.0.0.1"
    worker_env["EMAIL_PORT"] = str(controller.port)
    yield collector
    controller.stop()


def step(env, *args, extra_env=None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tests.events.worker_scenario", *map(str, args)],
        cwd=ROOT,
        env={**env, **(extra_env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


class Worker:
    def __init__(self, env, log: Path):
        self.log = log
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/celery"), "-A", "komdir", "worker", "--pool=prefork", "-c", "2",
             "-l", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while b" ready." not in log.read_bytes():
            assert self.process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the worker did not start:\n" + log.read_text()
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL to the whole worker: parent and pool processes, no goodbye."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def rows(env, event_id) -> list[dict]:
    return json.loads(step(env, "rows", event_id))


def outbox(env) -> list[dict]:
    return json.loads(step(env, "outbox"))


def assert_exactly_once(collector, planned: list[dict]) -> None:
    """Every planned (event, member, offset) arrived, and all copies of one carry one
    Message-ID, the row's."""
    copies = defaultdict(set)
    for message in collector.reminders():
        copies[message["X-KOMDIR-Reminder"]].add(message["Message-ID"])
    for row in planned:
        key = f"{row['uid']}/{row['member']}/{row['offset']}"
        assert copies.get(key) == {row["message_id"]}, (key, copies.get(key))


def test_a_worker_killed_mid_send_and_a_broker_outage_lose_nothing_and_double_one_at_most(
    worker_env, smtp, tmp_path
):
    env = worker_env
    worker = Worker(env, tmp_path / "worker-1.log")
    try:
        scheduled = json.loads(step(env, "schedule", "Kredsmode drab", 12))
        event_id = scheduled["event"]
        assert scheduled["reminders"] == 24  # 12 members, 7 days and 24 hours
        step(env, "make-due", event_id)
        step(env, "sweep")
        wait_for(lambda: len(smtp.messages) >= 5, 60, "the sending to get going")
        worker.kill()
        arrived = len(smtp.messages)
        statuses = [row["status"] for row in outbox(env)]
        # The kill came while mail was in flight, not to an idle worker.
        assert "sending" in statuses, statuses
        assert statuses.count("sent") < len(statuses)
        assert arrived >= statuses.count("sent")
    finally:
        worker.stop()

    # Meanwhile the broker is unreachable from the web side while a meeting is scheduled.
    outage = json.loads(
        step(
            env,
            "schedule",
            "Kredsmode udfald",
            5,
            extra_env={"CELERY_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0"},
        )
    )
    step(env, "make-due", outage["event"])

    time.sleep(LEASE_SECONDS + 0.5)  # past the lease of what the killed worker left `sending`
    worker = Worker(env, tmp_path / "worker-2.log")
    try:
        step(env, "sweep")
        step(env, "sweep")  # two sweeps at once on two pool processes
        try:
            wait_for(
                lambda: all(r["status"] in ("sent", "dropped", "expanded") for r in outbox(env)),
                180,
                "every mail of the outbox to be sent",
            )
        except AssertionError as timeout:
            left = [r for r in outbox(env) if r["status"] not in ("sent", "dropped", "expanded")]
            log = (tmp_path / "worker-2.log").read_text()[-3000:]
            raise AssertionError(f"{timeout}\nnot sent: {left}\nworker log:\n{log}") from None
    finally:
        worker.stop()

    assert_exactly_once(smtp, rows(env, event_id))
    assert_exactly_once(smtp, rows(env, outage["event"]))
    # Every mail arrived; at most one (the one in flight at the kill) arrived twice.
    arrivals = defaultdict(int)
    for message in smtp.messages:
        arrivals[message["Message-ID"]] += 1
    mails = outbox(env)
    assert {m["message_id"] for m in mails if m["status"] == "sent"} == set(arrivals)
    assert sum(count - 1 for count in arrivals.values()) <= 1, arrivals
    # The invitations of the outage meeting went out too, with the sweep that caught up.
    invited = [m for m in smtp.messages if "Kredsmode udfald" in str(m["Subject"])]
    assert sum("Invitation" in str(m["Subject"]) for m in invited) == outage["invitees"]
