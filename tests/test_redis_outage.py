"""With Redis (cache and broker) unreachable, the portal keeps working: gunicorn with the
production settings, the cache and the broker at a closed port on loopback, a database
of its own. A member logs in through the real login form, answers an event and publishes
a contribution; /healthz alone says 503."""

import http.cookiejar
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"
EMAIL = "nede@kommune.example"

SETUP = f"""
from allauth.account.models import EmailAddress
from django.utils import timezone
from datetime import timedelta
from events.models import Event
from events.services import event_create
from members.models import Member, Municipality

member = Member.objects.create_user(
    email="{EMAIL}", password="{PASSWORD}", first_name="Nina", last_name="Nede",
    municipality=Municipality.objects.order_by("pk").first(),
)
EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
start = timezone.now() + timedelta(days=20)
event = event_create(
    actor=None, organiser=member, kind=Event.Kind.GENERAL_ASSEMBLY, title="Generalforsamling",
    starts_at=start, ends_at=start + timedelta(hours=3), location="Rådhuset",
)
print(event.pk)
"""


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outage")
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="komdir.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        INSECURE_HTTP="1",
        STATIC_PLAIN_STORAGE="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_FORMAT="plain",
        PYTHONDONTWRITEBYTECODE="1",
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    setup = {**env, "CELERY_TASK_ALWAYS_EAGER": "1"}  # local memory cache: Redis not needed
    result = subprocess.run(
        [*manage, "shell", "-c", SETUP],
        cwd=ROOT, env=setup, check=True, timeout=120, capture_output=True, text=True,
    )  # fmt: skip
    event_id = int(result.stdout.strip().splitlines()[-1])

    dead = f"redis://127.0.0.1:{closed_port()}/0"
    port = closed_port()
    env.update(REDIS_URL=dead, CELERY_BROKER_URL=dead, WEB_CONCURRENCY="1")
    log = folder / "gunicorn.log"
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, log.read_text()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "gunicorn did not start:\n" + log.read_text()
            time.sleep(0.2)
    yield base, event_id, log, folder / "db.sqlite3"
    process.terminate()
    process.wait(timeout=30)


def answers(database: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT event_id, answer FROM events_rsvp").fetchall()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - http://127.0.0.1
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.headers.get("Location")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location")

    def token(self, page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_with_redis_and_the_broker_down_members_log_in_and_work(portal):
    base, event_id, log, database = portal
    browser = Browser(base)
    statuses = {}

    for path in ("/", "/om/", "/fokusomraader/"):
        statuses[path] = browser.request(path)[0]
    status, page, _ = browser.request("/accounts/login/")
    statuses["login form"] = status
    status, _, location = browser.request(
        "/accounts/login/",
        {"csrfmiddlewaretoken": browser.token(page), "login": EMAIL, "password": PASSWORD},
    )
    statuses["login"] = status
    assert status == 302 and location == "/", (status, location, log.read_text()[-3000:])

    status, page, _ = browser.request("/")
    assert status == 200 and "Nina" in page
    event_page = f"/arrangementer/{event_id}/"
    status, page, _ = browser.request(event_page)
    statuses["event"] = status
    status, _, _ = browser.request(
        f"{event_page}tilmelding/", {"csrfmiddlewaretoken": browser.token(page), "answer": "yes"}
    )
    statuses["rsvp"] = status
    assert answers(database) == [(event_id, "yes")]

    status, page, _ = browser.request("/bidrag/ny/")
    statuses["contribution form"] = status
    status, _, location = browser.request(
        "/bidrag/ny/",
        {
            "csrfmiddlewaretoken": browser.token(page),
            "title": "Erfaring under et Redis-nedbrud",
            "body": "Siden virker stadig.",
            "visibility": "members",
            "publish": "1",
        },
    )
    statuses["publish"] = status
    assert status == 302, (status, log.read_text()[-3000:])
    status, page, _ = browser.request(location)
    assert status == 200 and "Erfaring under et Redis-nedbrud" in page
    status, page, _ = browser.request("/bidrag/")
    assert status == 200 and "Erfaring under et Redis-nedbrud" in page

    started = time.monotonic()
    status, body, _ = browser.request("/healthz")
    assert status == 503 and '"broker": false' in body
    assert time.monotonic() - started < 5

    assert all(code != 500 for code in statuses.values()), statuses
    assert "Traceback" not in log.read_text()
