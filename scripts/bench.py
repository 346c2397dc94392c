"""`make bench`: the portal at scale, measured, written to BENCHMARKS.md.

Creates a fresh PostgreSQL database (BENCH_DATABASE_URL), migrates, loads
`seed_demo --scale BENCH_SCALE` (default 100), starts gunicorn with production settings
(bar TLS) and komdir.settings_bench, logs a member in through the real login form, and
measures each page at 16 concurrent clients against a bare 4 KB page. Then it captures
the plans of the heaviest queries and times a reminder sweep through a real SMTP server.
"""

import argparse
import email.parser
import http.client
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/komdir_bench"
)
SCALE = int(os.environ.get("BENCH_SCALE", "100"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# The scale-10 pass of the list pages (in-process), in a database of its own; 0 skips it.
SMALL_SCALE = int(os.environ.get("BENCH_SMALL_SCALE", "10"))
SMALL_DATABASE_URL = os.environ.get(
    "BENCH_SMALL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/komdir_bench10"
)
PROFILE_RUNS = int(os.environ.get("BENCH_PROFILE_RUNS", "10"))
CLIENTS = 16
REMINDERS = int(os.environ.get("BENCH_REMINDERS", "10000"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8825"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
MEMBER_EMAIL = "anders.bech@demo.komdir.dk"
ANALYSIS_HEADING = "## Analysis"

COLD_PORT = PORT + 1  # the portal with PAGE_CACHE=0 for the whole run
PLAIN_PORT = PORT + 2  # the plain Django view (scripts/bench_plain.py)

# Targets (issue 11): req/s as a share of the plain Django view, in-process server ms.
RATIO_TARGETS = {"cold": 0.02, "rendered": 0.05, "warm under writes": 0.1, "public": 0.3}
MS_TARGETS = {"cold": 30.0, "rendered": 15.0}
BARE_RATIO, FLAT_RATIO, FEED_KB = 0.5, 1.2, 150

# What the portal runs with in production, bar TLS: DEBUG off, Redis for cache and
# sessions, a real secret, only local hosts.
os.environ.update(
    DJANGO_SETTINGS_MODULE="komdir.settings_bench",
    DATABASE_URL=DATABASE_URL,
    REDIS_URL=REDIS_URL,
    SECRET_KEY="bench-only-" + "k" * 50,
    DEBUG="0",
    INSECURE_HTTP="1",
    ALLOWED_HOSTS="127.0.0.1,localhost",
    SITE_URL=f"http://127.0.0.1:{PORT}",
    LOG_LEVEL="WARNING",
)


def log(message: str) -> None:
    print(message, flush=True)


def recreate_database(database_url: str = DATABASE_URL) -> None:
    import psycopg

    url = urllib.parse.urlparse(database_url)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def load_data(scale: int = SCALE) -> float:
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale=1, stdout=open(os.devnull, "w"))  # noqa: SIM115
    started = time.monotonic()
    call_command("seed_demo", scale=scale, seed=0, stdout=sys.stdout)
    seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)
    cache.clear()
    return seconds


def pick_targets(*, token: bool = True) -> dict:
    """The objects whose pages are measured, as the benchmark member sees them."""
    from events import services as event_services
    from events.models import Event
    from focusareas.models import Contribution, StrategyPeriod
    from members.models import Member

    member = Member.objects.get(email=MEMBER_EMAIL)
    period = StrategyPeriod.objects.current()
    contribution = (
        Contribution.objects.visible_to(member)
        .published()
        .filter(comments__isnull=False)
        .order_by("-published_at")
        .first()
    )
    return {
        "member": member,
        # Only the main process makes the feed token: a new one makes the old URL a 404.
        "token": event_services.calendar_token_regenerate(member=member) if token else "",
        "focus_area": period.focus_areas.order_by("number").first(),
        "contribution": contribution,
        "event": Event.objects.visible_to(member).upcoming().first(),
    }


def start_gunicorn(
    log_path: Path, *, port: int = PORT, page_cache: bool = True, plain: bool = False
) -> subprocess.Popen:
    """gunicorn with 2 workers: the portal (its own gunicorn.conf.py) or the plain view."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    config = (
        ["--chdir", str(ROOT / "scripts"), "bench_plain:application"]
        if plain
        else [
            "-c",
            str(ROOT / "gunicorn.conf.py"),
        ]
    )
    env = dict(os.environ, PAGE_CACHE="1" if page_cache else "0")
    command = [
        str(gunicorn),
        *config,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--access-logfile",
        os.devnull,
        "--error-logfile",
        str(log_path),
    ]
    if plain:
        command += ["--worker-class", "sync", "--threads", "1"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own gunicorn
    for _ in range(100):
        try:
            if get("/" if plain else "/bench/bare/", port=port)[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn did not start; see {log_path}")


def get(
    path: str,
    headers: dict | None = None,
    method: str = "GET",
    body: str | None = None,
    port: int = PORT,
):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.getheaders(), data


def cookies_of(headers) -> dict:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key] = rest.split(";", 1)[0]
    return found


def log_in(email_address: str, password: str, port: int = PORT) -> str:
    """The cookies a member has after the real login form."""
    status, headers, body = get("/accounts/login/", port=port)
    csrf_cookie = cookies_of(headers)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": email_address, "password": password}
    )
    status, headers, _ = get(
        "/accounts/login/",
        {
            "Cookie": f"csrftoken={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
        method="POST",
        body=form,
        port=port,
    )
    after_login = cookies_of(headers)
    session = after_login.get("sessionid")
    if status != 302 or not session:
        raise SystemExit(f"login failed: {status}")
    # Both cookies, as a browser sends them: the login gives a new CSRF secret too.
    return f"sessionid={session}; csrftoken={after_login.get('csrftoken', csrf_cookie)}"


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


def load_with_wrk(path: str, cookie: str | None, script: Path, port: int = PORT) -> dict:
    command = ["wrk", "-t2", f"-c{CLIENTS}", f"-d{SECONDS}s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603 - wrk with our own arguments
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    requests, duration_us, p50_us, p95_us, errors = map(
        int, re.search(r"RESULT (.+)", output).group(1).split()
    )
    return {
        "rps": requests / (duration_us / 1e6),
        "p50": p50_us / 1000,
        "p95": p95_us / 1000,
        "errors": errors,
    }


def load_with_threads(path: str, cookie: str | None, port: int = PORT) -> dict:
    """The fallback without wrk: 16 threads, each on one keep-alive connection."""
    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + SECONDS
    headers = {"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {})}

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            latencies.append(time.perf_counter() - started)
            if response.status != 200:
                errors[0] += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / elapsed,
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "errors": errors[0],
    }


def count_plan(queryset, *, cap: int) -> str:
    """EXPLAIN ANALYZE of the COUNT(*) of at most `cap` + 1 rows of the queryset, as the
    capped count of search results runs it."""
    from django.db import connection

    sql, params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
    with connection.cursor() as cursor:
        # Django's own compiled SQL, its values bound as parameters.
        counted = f"EXPLAIN ANALYZE SELECT COUNT(*) FROM ({sql}) AS counted"  # noqa: S608  # nosec B608
        cursor.execute(counted, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def query_plans(member) -> list[tuple[str, str]]:
    """EXPLAIN ANALYZE of the heaviest queries, as the member's pages run them."""
    from events.selectors import event_row_values, visible_events
    from focusareas.models import Contribution, FocusArea, Followed
    from focusareas.selectors import contributions_for_list
    from members.selectors import member_directory

    shown = Contribution.objects.visible_to(member).published().exclude(author_id=member.pk)
    area = FocusArea.objects.order_by("number").first()
    return [
        (
            "Contribution list with visibility (`/bidrag/`, first page)",
            contributions_for_list(user=member)[:20].explain(analyze=True),
        ),
        (
            "The search's count, capped at 1,000 (`/bidrag/?q=frivillige`)",
            count_plan(contributions_for_list(user=member, query="frivillige"), cap=1000),
        ),
        (
            "Danish full-text search (`/bidrag/?q=frivillige`, first page)",
            contributions_for_list(user=member, query="frivillige")[:20].explain(analyze=True),
        ),
        (
            "New in what the member follows (`/`), the tagged half",
            shown.tagged_as_followed(Followed.of(member)).for_list()[:8].explain(analyze=True),
        ),
        (
            "Newest under a focus area (focus-area page), the tagged half",
            Contribution.objects.visible_to(member)
            .published()
            .tagged_in_focus_area(area)
            .for_list()[:10]
            .explain(analyze=True),
        ),
        (
            "Upcoming events (`/arrangementer/`)",
            event_row_values(visible_events(user=member).upcoming(), member=member)[:100].explain(
                analyze=True
            ),
        ),
        (
            "Member directory (`/medlemmer/`, first page)",
            member_directory()[:50].explain(analyze=True),
        ),
    ]


class MessageIdCollector:
    """An SMTP handler that keeps the Message-ID of every message it accepts."""

    def __init__(self) -> None:
        self.message_ids: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it so
        headers = email.parser.BytesHeaderParser().parsebytes(envelope.content)
        with self.lock:
            self.message_ids.append(headers["Message-ID"])
        return "250 OK"


def reminder_sweep() -> dict:
    """Send REMINDERS due reminders with two sweeping processes through a loopback SMTP
    server; count what arrived and check that no reminder arrived twice."""
    from aiosmtpd.controller import Controller
    from django.db import connections
    from django.utils import timezone

    from events.models import Event, Reminder
    from members.models import Member

    now = timezone.now()
    recipients = list(
        Member.objects.active()
        .exclude(event_preferences__reminders_opt_out=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    events = Event.objects.bulk_create(
        Event(
            kind=Event.Kind.GENERAL_ASSEMBLY,
            title=f"Benchmark: generalforsamling {number + 1}",
            starts_at=now + timedelta(days=2),
            ends_at=now + timedelta(days=2, hours=3),
            location="Nyborg Strand",
            announced_sequence=0,
        )
        for number in range(math.ceil(REMINDERS / len(recipients)))
    )
    rows = [
        Reminder(event=event, member_id=member_id, offset_minutes=24 * 60, due_at=now)
        for event in events
        for member_id in recipients
    ][:REMINDERS]
    Reminder.objects.bulk_create(rows, batch_size=2000)
    sent_before = Reminder.objects.filter(status=Reminder.Status.SENT).count()
    connections.close_all()

    collector = MessageIdCollector()
    controller = Controller(collector, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    worker_env = dict(
        os.environ,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(SMTP_PORT),
    )
    started = time.monotonic()
    workers = [
        subprocess.Popen([sys.executable, __file__, "--sweep-worker"], env=worker_env)  # noqa: S603
        for _ in range(2)
    ]
    for worker in workers:
        worker.wait()
    seconds = time.monotonic() - started
    controller.stop()

    bench_rows = Reminder.objects.filter(event__in=events)
    sent = Reminder.objects.filter(status=Reminder.Status.SENT).count() - sent_before
    return {
        "rows": len(rows),
        "members": len(recipients),
        "events": len(events),
        "seconds": seconds,
        "sent": sent,
        "bench_rows_sent": bench_rows.filter(status=Reminder.Status.SENT).count(),
        "received": len(collector.message_ids),
        "distinct": len(set(collector.message_ids)),
    }


def sweep_worker() -> None:
    """One sweeping process, as a worker runs beat's two tasks: due reminders into the
    outbox, and the outbox sent, until no reminder is waiting or in the outbox."""
    import django

    django.setup()
    from django.utils import timezone

    from core.models import OutgoingMail
    from core.outbox import outbox_send_due
    from events.models import Reminder
    from events.services import reminders_queue_due

    due = Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=timezone.now())
    # A mail that failed waits for its backoff, past the end of the benchmark.
    unsent = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.PENDING, due_at__lte=timezone.now()
    )
    while due.exists() or unsent.exists():
        reminders_queue_due()
        outbox_send_due()


def versions() -> dict:
    import django
    import gunicorn
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk = "not installed (Python load generator)"
    if shutil.which("wrk"):
        wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]  # noqa: S607
    return {
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "PostgreSQL": postgres,
        "gunicorn": gunicorn.__version__,
        "wrk": wrk,
    }


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    memory_kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return {
        "cores": os.cpu_count(),
        "CPU": model.group(1) if model else platform.processor(),
        "RAM": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "system": f"{platform.system()} {platform.release()}",
        "load average before the pages (1, 5, 15 min)": " ".join(
            Path("/proc/loadavg").read_text().split()[:3]
        ),
    }


# --- The pages, the modes, the rounds ---------------------------------------------------

LIST_PAGES = (
    "/",
    "focus area",
    "/bidrag/",
    "/bidrag/?q=frivillige",
    "/arrangementer/",
    "/medlemmer/",
)
PUBLIC_PAGES = (
    ("`/` (visitor)", "/"),
    ("`/om/`", "/om/"),
    ("`/fokusomraader/`", "/fokusomraader/"),
)


def member_pages(targets: dict) -> list[tuple[str, str]]:
    """(label, path) of every member page the issue names; labels match profile_pages.py."""
    member = targets["member"]
    from members.models import Member

    other = (
        Member.objects.filter(is_active=True, status="active")
        .exclude(pk=member.pk)
        .order_by("-pk")
        .first()
    )
    return [
        ("/", "/"),
        ("focus area", targets["focus_area"].get_absolute_url()),
        ("/bidrag/", "/bidrag/"),
        ("/bidrag/?q=frivillige", "/bidrag/?q=frivillige"),
        ("contribution", targets["contribution"].get_absolute_url()),
        ("/arrangementer/", "/arrangementer/"),
        ("event", targets["event"].get_absolute_url()),
        ("/medlemmer/", "/medlemmer/"),
        ("member", other.get_absolute_url()),
        ("personal calendar feed", f"/kalender/{targets['token']}.ics"),
    ]


def median(values: list[float]) -> float:
    """The median, or nan for no values."""
    return statistics.median(values) if values else float("nan")


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


def writer_loop(seconds: float) -> None:
    """The concurrent writer: one write a second through the portal's services (an RSVP, a
    comment, a new contribution, in turn), never on the measured objects or their authors,
    but in the same tables."""
    import django

    django.setup()
    from django.db import transaction

    from events.models import Event
    from events.services.rsvp import rsvp_answer
    from focusareas.models import Contribution
    from focusareas.services.contributions import comment_create, contribution_create
    from members.models import Member

    measured = pick_targets(token=False)
    writer = (
        Member.objects.filter(is_active=True, status="active")
        .exclude(pk=measured["member"].pk)
        .order_by("pk")[5]
    )
    events = list(
        Event.objects.visible_to(writer).upcoming().exclude(pk=measured["event"].pk)[1:20]
    )
    contributions = list(
        Contribution.objects.visible_to(writer)
        .published()
        .exclude(pk=measured["contribution"].pk)
        .order_by("pk")[:20]
    )
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        with transaction.atomic():
            kind = number % 3
            if kind == 0 and events:
                answer = "yes" if number % 2 else "no"
                rsvp_answer(event=events[number % len(events)], member=writer, answer=answer)
            elif kind == 1 and contributions:
                comment_create(
                    contribution=contributions[number % len(contributions)],
                    author=writer,
                    body=f"Benchmark-kommentar {number}",
                )
            else:
                contribution_create(
                    author=writer,
                    title=f"Benchmark-bidrag {number}",
                    body="Skrevet af benchmarkens skriver.",
                    tags=[],
                    publish=True,
                    notify_followers=False,
                )
        number += 1
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))


def start_writer(seconds: float) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - this very script
        [sys.executable, __file__, "--writer", str(seconds)],
        env=dict(
            os.environ,
            CELERY_TASK_ALWAYS_EAGER="1",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
    )


class Bench:
    """Runs wrk against a page on a server and keeps every round's figure."""

    def __init__(self, script: Path) -> None:
        self.script = script
        self.use_wrk = shutil.which("wrk") is not None
        self.samples: dict[tuple[str, str], list[float]] = {}
        self.errors: dict[tuple[str, str], int] = {}

    def run(self, key: tuple[str, str], path: str, cookie: str | None, port: int) -> float:
        measured = (
            load_with_wrk(path, cookie, self.script, port)
            if self.use_wrk
            else load_with_threads(path, cookie, port)
        )
        self.samples.setdefault(key, []).append(measured["rps"])
        self.errors[key] = self.errors.get(key, 0) + measured["errors"]
        log(
            f"    {key[1]:<18} {key[0]:<30} {measured['rps']:8.1f} req/s  "
            f"errors {measured['errors']}"
        )
        return measured["rps"]

    def median(self, key: tuple[str, str]) -> float:
        return median(self.samples.get(key, []))


def run_rounds(pages, cookies: dict, bench: Bench) -> list[float]:
    """ROUNDS interleaved rounds: each page in each mode, with the plain view and the
    portal's bare page measured before every page. Returns each round's load average."""
    from django.core.cache import cache

    loads = []
    for number in range(ROUNDS):
        log(f"  Round {number + 1} of {ROUNDS}")
        writer = None
        for label, path in pages:
            feed = label == "personal calendar feed"
            member_cookie = None if feed else cookies["B"]
            bench.run(("plain Django", "yardstick"), "/", None, PLAIN_PORT)
            bench.run(("portal bare", "yardstick"), "/bench/bare/", cookies["B"], PORT)
            bench.run((label, "cold"), path, member_cookie, COLD_PORT)
            # Rendered: member A (another municipality and circle) visits first.
            cache.clear()
            get(path, {"Cookie": cookies["A"]} if not feed else {}, port=PORT)
            bench.run((label, "rendered"), path, member_cookie, PORT)
            writer = start_writer(SECONDS + 1)
            bench.run((label, "warm under writes"), path, member_cookie, PORT)
            writer.wait()
        for label, path in PUBLIC_PAGES:
            bench.run(("plain Django", "yardstick"), "/", None, PLAIN_PORT)
            bench.run((label, "public"), path, None, PORT)
        loads.append(os.getloadavg()[0])
        log(f"  load average after round {number + 1}: {loads[-1]:.2f}")
    return loads


def in_process(database_url: str, *, cold: bool) -> dict[str, dict]:
    """scripts/profile_pages.py's table (mean ms, SQL ms, queries, KB per page), parsed."""
    command = [
        sys.executable,
        str(ROOT / "scripts" / "profile_pages.py"),
        "--runs",
        str(PROFILE_RUNS),
    ] + (["--cold"] if cold else [])
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="komdir.settings",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    )
    output = subprocess.run(  # noqa: S603 - our own script
        command, env=env, capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    return parse_profile(output)


def parse_profile(output: str) -> dict[str, dict]:
    """profile_pages.py's lines `name ms sql queries KB` by page name."""
    rows = {}
    for line in output.splitlines()[1:]:
        parts = line.rsplit(None, 4)
        if len(parts) != 5:
            continue
        name, ms, sql, queries, kb = parts
        try:
            rows[name.strip()] = {
                "ms": float(ms),
                "sql": float(sql),
                "queries": float(queries),
                "kb": float(kb),
            }
        except ValueError:
            continue
    return rows


def plain_sender(count: int) -> dict:
    """The relay's own bound: `count` messages by plain smtplib, one connection, to a sink
    like the sweep's."""
    import smtplib
    from email.message import EmailMessage

    from aiosmtpd.controller import Controller

    collector = MessageIdCollector()
    controller = Controller(collector, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    started = time.monotonic()
    try:
        with smtplib.SMTP("127.0.0.1", SMTP_PORT) as smtp:
            for number in range(count):
                message = EmailMessage()
                message["From"] = "bench@komdir.example"
                message["To"] = f"member{number}@komdir.example"
                message["Subject"] = "Påmindelse"
                message["Message-ID"] = f"<plain-{number}@komdir.example>"
                message.set_content("Generalforsamling i morgen.")
                smtp.send_message(message)
    finally:
        seconds = time.monotonic() - started
        controller.stop()
    return {"sent": len(collector.message_ids), "seconds": seconds}


# --- The report ---------------------------------------------------------------------------


def mark(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "**not met**")


def fmt(value: float, digits: int = 1) -> str:
    return "n/a" if value != value else f"{value:.{digits}f}"


def limit_line(label: str, row: dict | None) -> str:
    """What still limits a page, from its in-process profile."""
    if not row:
        return f"- {label}: no in-process figure."
    share = ratio(row["sql"], row["ms"])
    python = row["ms"] - row["sql"]
    if share >= 0.5:
        what = f"SQL ({row['sql']:.1f} ms of {row['ms']:.1f}, {row['queries']:.0f} queries)"
    else:
        what = (
            f"Python/template work ({python:.1f} ms of {row['ms']:.1f}; SQL {row['sql']:.1f} ms "
            f"in {row['queries']:.0f} queries)"
        )
    return f"- {label}: {what}."


def main_table(labels, bench: Bench, cold_ms: dict, rendered_ms: dict) -> list[str]:
    plain = bench.median(("plain Django", "yardstick"))
    bare = bench.median(("portal bare", "yardstick"))
    lines = [
        "| page | mode | req/s | ÷ plain Django | ÷ portal bare | server ms | target | met |",
        "|---|---|---:|---:|---:|---:|---|---|",
        f"| plain Django view | yardstick | {fmt(plain)} | 1.000 | {fmt(ratio(plain, bare), 2)}"
        " | | | |",
        f"| portal bare page | yardstick | {fmt(bare)} | {fmt(ratio(bare, plain), 3)} | 1.00 | |"
        f" ≥ {BARE_RATIO} | {mark(ratio(bare, plain) >= BARE_RATIO)} |",
    ]
    for label, mode in labels:
        rps = bench.median((label, mode))
        share = ratio(rps, plain)
        profile = {"cold": cold_ms, "rendered": rendered_ms}.get(mode, {}).get(label)
        ms = profile["ms"] if profile else float("nan")
        target = f"≥ {RATIO_TARGETS[mode]}"
        met = share >= RATIO_TARGETS[mode]
        if mode in MS_TARGETS:
            target += f", ≤ {MS_TARGETS[mode]:.0f} ms"
            met = met and (ms <= MS_TARGETS[mode])
        lines.append(
            f"| {label} | {mode} | {fmt(rps)} | {fmt(share, 3)} | {fmt(ratio(rps, bare), 2)} "
            f"| {fmt(ms)} | {target} | {mark(met)} |"
        )
    return lines


def write_report(
    *,
    seed_seconds,
    labels,
    bench,
    loads,
    cold_ms,
    rendered_ms,
    small_ms,
    plans,
    sweep,
    plain_mail,
    machine_info,
    version_info,
    minutes,
) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `make bench` (scripts/bench.py) in {minutes:.0f} minutes: scale {SCALE} "
        f"(seeded in {seed_seconds:.0f} s), gunicorn with 2 workers, `wrk -t2 -c{CLIENTS} "
        f"-d{SECONDS}s` per page and round, {ROUNDS} interleaved rounds, medians. Every ratio "
        "is against a plain Django view (scripts/bench_plain.py: no middleware, no apps, a "
        "4 KB HttpResponse, `gunicorn -w 2` sync) measured before every page in the same rounds.",
        "",
        "Modes: *cold* is a server started with `PAGE_CACHE=0` for the whole run (every page "
        "and fragment cache off); *rendered* is member B's visits right after member A (another "
        "municipality and circle) visited the same page, the cache emptied before A; *warm "
        "under writes* is as rendered while a writer changes something every second (an RSVP, "
        "a comment, a new contribution, through the services, never on the measured objects); "
        "*public* is a visitor's page, logged out. Server ms is the mean in-process time "
        f"(scripts/profile_pages.py, {PROFILE_RUNS} runs) for cold and rendered.",
        "",
        "Load average (1 min) after each round: " + ", ".join(f"{load:.2f}" for load in loads),
        "",
        "## Pages",
        "",
        *main_table(labels, bench, cold_ms, rendered_ms),
        "",
        "### Cost flat with the data",
        "",
        f"| page | cold ms at {SCALE} | cold ms at {SMALL_SCALE} | ratio | ≤ {FLAT_RATIO} |",
        "|---|---:|---:|---:|---|",
    ]
    for label in LIST_PAGES:
        big, small = cold_ms.get(label), small_ms.get(label)
        if big and small:
            flat = ratio(big["ms"], small["ms"])
            lines.append(
                f"| {label} | {big['ms']:.1f} | {small['ms']:.1f} | {flat:.2f} | "
                f"{mark(flat <= FLAT_RATIO)} |"
            )
    feed = rendered_ms.get("personal calendar feed")
    if feed:
        lines += [
            "",
            f"Personal calendar feed: {feed['kb']:.0f} KB (target < {FEED_KB} KB): "
            f"{mark(feed['kb'] < FEED_KB)}.",
        ]
    lines += [
        "",
        "### In-process (mean ms, SQL ms, SQL share, queries, KB)",
        "",
        "| page | mode | ms | SQL ms | SQL share | queries | KB |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for mode, table in (("cold", cold_ms), ("rendered", rendered_ms)):
        for label, row in table.items():
            lines.append(
                f"| {label} | {mode} | {row['ms']:.1f} | {row['sql']:.1f} | "
                f"{ratio(row['sql'], row['ms']):.0%} | {row['queries']:.0f} | {row['kb']:.0f} |"
            )
    lines += ["", "### What still limits each page (cold, in-process)", ""]
    lines += [limit_line(label, cold_ms.get(label)) for label in dict(labels)]
    lines += [
        "",
        "## Reminder and outbox sweep",
        "",
        "Bound by the SMTP relay, not by the portal; no target. Both senders write to the same "
        "kind of aiosmtpd sink on loopback in this run.",
        "",
        "| sender | messages | seconds | per second |",
        "|---|---:|---:|---:|",
        f"| the portal's sweep (2 processes) | {sweep['sent']} | {sweep['seconds']:.1f} | "
        f"{ratio(sweep['sent'], sweep['seconds']):.0f} |",
        f"| plain smtplib, one connection | {plain_mail['sent']} | {plain_mail['seconds']:.1f} | "
        f"{ratio(plain_mail['sent'], plain_mail['seconds']):.0f} |",
        "",
        f"Sweep received {sweep['received']} messages, {sweep['distinct']} distinct.",
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in {**machine_info, **version_info}.items()],
        "",
        "## Query plans",
        "",
    ]
    for title, plan in plans:
        lines += [f"### {title}", "", "```", plan, "```", ""]
    return "\n".join(lines)


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()  # requests still queued from the last page; they do not matter
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--writer", type=float, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.sweep_worker:
        sweep_worker()
        return
    if arguments.writer:
        writer_loop(arguments.writer)
        return

    import django

    begun = time.monotonic()
    # Seeding announces the demo events: inline, and those mails stay in memory. (The
    # sweep workers re-run this file with their own, real SMTP settings.)
    os.environ.update(
        CELERY_TASK_ALWAYS_EAGER="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    small_ms: dict = {}
    if SMALL_SCALE:
        log(f"Scale {SMALL_SCALE} into {SMALL_DATABASE_URL}, for the flat-cost pass")
        recreate_database(SMALL_DATABASE_URL)
        subprocess.run(  # noqa: S603 - this very script's loader, in its own process
            [
                sys.executable,
                "-c",
                "import sys; sys.argv=['x']; import runpy; "
                f"m = runpy.run_path({str(__file__)!r}, run_name='bench'); "
                f"import django; django.setup(); m['load_data']({SMALL_SCALE})",
            ],
            env=dict(
                os.environ, DATABASE_URL=SMALL_DATABASE_URL, BENCH_DATABASE_URL=SMALL_DATABASE_URL
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        small_ms = in_process(SMALL_DATABASE_URL, cold=True)

    log(f"Fresh database {DATABASE_URL}, scale {SCALE}")
    recreate_database()
    django.setup()
    from django.db import connections

    from members.demo import DEMO_PASSWORD
    from members.models import Member

    seed_seconds = load_data()
    log(f"Seeded scale {SCALE} in {seed_seconds:.1f} s")
    targets = pick_targets()
    pages = member_pages(targets)
    member_b = targets["member"]
    member_a = (
        Member.objects.filter(is_active=True, status="active")
        .exclude(municipality=member_b.municipality)
        .exclude(circle_memberships__circle__in=member_b.circle_memberships.values("circle"))
        .order_by("pk")
        .first()
    )
    member_a.set_password(DEMO_PASSWORD)
    member_a.save(update_fields=["password"])
    plans = query_plans(member_b)
    connections.close_all()

    log("In-process, cold and rendered:")
    cold_ms = in_process(DATABASE_URL, cold=True)
    rendered_ms = in_process(DATABASE_URL, cold=False)

    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    machine_info = machine()
    script = var / "bench.lua"
    script.write_text(WRK_SCRIPT)
    servers = [
        start_gunicorn(var / "bench-gunicorn.log", port=PORT, page_cache=True),
        start_gunicorn(var / "bench-gunicorn-cold.log", port=COLD_PORT, page_cache=False),
        start_gunicorn(var / "bench-plain.log", port=PLAIN_PORT, plain=True),
    ]
    try:
        cookies = {
            "A": log_in(member_a.email, DEMO_PASSWORD),
            "B": log_in(MEMBER_EMAIL, DEMO_PASSWORD),
        }
        bench = Bench(script)
        log("Pages, interleaved rounds:")
        loads = run_rounds(pages, cookies, bench)
    finally:
        for server in servers:
            stop(server)
    labels = [
        (label, mode) for label, _ in pages for mode in ("cold", "rendered", "warm under writes")
    ]
    labels += [(label, "public") for label, _ in PUBLIC_PAGES]

    log("Reminder sweep, and a plain smtplib sender:")
    sweep = reminder_sweep()
    plain_mail = plain_sender(min(REMINDERS, 2000))
    log(f"  {sweep}  plain: {plain_mail}")
    report = write_report(
        seed_seconds=seed_seconds,
        labels=labels,
        bench=bench,
        loads=loads,
        cold_ms=cold_ms,
        rendered_ms=rendered_ms,
        small_ms=small_ms,
        plans=plans,
        sweep=sweep,
        plain_mail=plain_mail,
        machine_info=machine_info,
        version_info=versions(),
        minutes=(time.monotonic() - begun) / 60,
    )
    # The hand-written analysis at the end of the file survives a new run.
    target = ROOT / os.environ.get("BENCH_OUTPUT", "BENCHMARKS.md")
    previous = target.read_text() if target.exists() else ""
    analysis = previous[previous.find(ANALYSIS_HEADING) :] if ANALYSIS_HEADING in previous else ""
    target.write_text(report + "\n" + (f"\n{analysis}" if analysis else ""))
    log(report)
    log(f"Wrote {target.name}")


if __name__ == "__main__":
    main()
