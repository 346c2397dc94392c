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
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CLIENTS = 16
REMINDERS = int(os.environ.get("BENCH_REMINDERS", "10000"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8825"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
MEMBER_EMAIL = "anders.bech@demo.komdir.dk"
ANALYSIS_HEADING = "## Analysis"

# Targets (the issue's): member pages at least a quarter of the bare page's throughput
# with p95 under 50 ms; public pages at least half of it.
MEMBER_RATIO, MEMBER_P95_MS, PUBLIC_RATIO = 0.25, 50.0, 0.5

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


def recreate_database() -> None:
    import psycopg

    url = urllib.parse.urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def load_data() -> float:
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale=1, stdout=open(os.devnull, "w"))  # noqa: SIM115
    started = time.monotonic()
    call_command("seed_demo", scale=SCALE, seed=0, stdout=sys.stdout)
    seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)
    cache.clear()
    return seconds


def pick_targets() -> dict:
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
        "token": event_services.calendar_token_regenerate(member=member),
        "focus_area": period.focus_areas.order_by("number").first(),
        "contribution": contribution,
        "event": Event.objects.visible_to(member).upcoming().first(),
    }


def start_gunicorn(log_path: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [
        str(gunicorn),
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{PORT}",
        "--workers",
        "2",
        "--access-logfile",
        os.devnull,
        "--error-logfile",
        str(log_path),
    ]
    process = subprocess.Popen(command, cwd=ROOT)  # noqa: S603 - our own gunicorn
    for _ in range(100):
        try:
            if get("/bench/bare/")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn did not start; see {log_path}")


def get(path: str, headers: dict | None = None, method: str = "GET", body: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
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


def log_in(email_address: str, password: str) -> str:
    """The cookies a member has after the real login form."""
    status, headers, body = get("/accounts/login/")
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
            "Referer": f"http://127.0.0.1:{PORT}/accounts/login/",
        },
        method="POST",
        body=form,
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


def load_with_wrk(path: str, cookie: str | None, script: Path) -> dict:
    command = ["wrk", "-t2", f"-c{CLIENTS}", f"-d{SECONDS}s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603 - wrk with our own arguments
        [*command, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
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


def load_with_threads(path: str, cookie: str | None) -> dict:
    """The fallback without wrk: 16 threads, each on one keep-alive connection."""
    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + SECONDS
    headers = {"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {})}

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
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
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)

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


def measure_pages(targets: dict, cookie: str, tool_dir: Path) -> list[dict]:
    pages = [
        ("bare view", "/bench/bare/", None, "bare"),
        ("`/` (member's overview)", "/", cookie, "member"),
        ("focus area", targets["focus_area"].get_absolute_url(), cookie, "member"),
        ("`/bidrag/`", "/bidrag/", cookie, "member"),
        ("`/bidrag/?q=frivillige`", "/bidrag/?q=frivillige", cookie, "member"),
        ("contribution", targets["contribution"].get_absolute_url(), cookie, "member"),
        ("`/arrangementer/`", "/arrangementer/", cookie, "member"),
        ("event", targets["event"].get_absolute_url(), cookie, "member"),
        ("`/medlemmer/`", "/medlemmer/", cookie, "member"),
        ("personal calendar feed", f"/kalender/{targets['token']}.ics", None, "member"),
        ("`/fokusomraader/` (public)", "/fokusomraader/", None, "public"),
    ]
    script = tool_dir / "bench.lua"
    script.write_text(WRK_SCRIPT)
    use_wrk = shutil.which("wrk") is not None
    results = []
    for label, path, page_cookie, kind in pages:
        try:
            status, _, _ = get(path, {"Cookie": page_cookie} if page_cookie else {})
        except TimeoutError:
            status = "no answer within 30 s"
        if status != 200:
            log(f"  {label}: {status}, not 200; measured anyway")
        measured = (
            load_with_wrk(path, page_cookie, script)
            if use_wrk
            else load_with_threads(path, page_cookie)
        )
        results.append({"label": label, "path": path, "kind": kind, **measured})
        log(
            f"  {label:<32} {measured['rps']:8.1f} req/s  p50 {measured['p50']:6.1f} ms  "
            f"p95 {measured['p95']:6.1f} ms  errors {measured['errors']}"
        )
    bare = results[0]["rps"]
    for result in results:
        result["ratio"] = result["rps"] / bare
        if result["kind"] == "member":
            result["met"] = result["ratio"] >= MEMBER_RATIO and result["p95"] < MEMBER_P95_MS
        elif result["kind"] == "public":
            result["met"] = result["ratio"] >= PUBLIC_RATIO
        else:
            result["met"] = None
    return results


def count_plan(queryset) -> str:
    """EXPLAIN ANALYZE of the COUNT(*) a paginator runs for the queryset."""
    from django.db import connection

    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # Django's own compiled SQL, its values bound as parameters.
        counted = f"EXPLAIN ANALYZE SELECT COUNT(*) FROM ({sql}) AS counted"  # noqa: S608  # nosec B608
        cursor.execute(counted, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def query_plans(member) -> list[tuple[str, str]]:
    """EXPLAIN ANALYZE of the heaviest queries, as the member's pages run them."""
    from events.selectors import event_list
    from focusareas.models import Contribution, FocusArea
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
            "Its count, for the pagination (`/bidrag/`)",
            count_plan(contributions_for_list(user=member)),
        ),
        (
            "Danish full-text search (`/bidrag/?q=frivillige`, first page)",
            contributions_for_list(user=member, query="frivillige")[:20].explain(analyze=True),
        ),
        (
            "New in what the member follows (`/`), the tagged half",
            shown.tagged_as_followed_by(member).for_list()[:8].explain(analyze=True),
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
            event_list(user=member).upcoming()[:100].explain(analyze=True),
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


def mark(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "**not met**")


def page_table(results: list[dict], *, targets: bool = True) -> list[str]:
    lines = [
        "| page | req/s | ratio to bare | p50 ms | p95 ms | errors |"
        + (" target |" if targets else ""),
        "|---|---:|---:|---:|---:|---:|" + ("---|" if targets else ""),
    ]
    for r in results:
        lines.append(
            f"| {r['label']} | {r['rps']:.1f} | {r['ratio']:.2f} | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['errors']} |" + (f" {mark(r['met'])} |" if targets else "")
        )
    return lines


def write_report(
    *, seed_seconds, results, rendered, plans, sweep, machine_info, version_info
) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (scripts/bench.py); run it again to refresh this file.",
        "",
        f"Scale {SCALE}: `seed_demo --scale {SCALE}` on top of the demo, i.e. "
        f"{100 * SCALE:,} members, {500 * SCALE:,} contributions, {1500 * SCALE:,} comments, "
        f"{50 * SCALE:,} events, {1000 * SCALE:,} RSVPs, {2000 * SCALE:,} reminders. "
        f"Loading it took **{seed_seconds:.0f} s** (target for scale 100: under 180 s).",
        "",
        "## Machine and versions",
        "",
        *[f"- {key}: {value}" for key, value in machine_info.items()],
        *[f"- {key}: {value}" for key, value in version_info.items()],
        "",
        "The load generator, gunicorn, PostgreSQL and Redis share the same cores, and a "
        "load average above zero before the pages means other work shared them too. "
        "Ratios to the bare page, measured in the same run, are the meaningful figures.",
        "",
        "## Pages",
        "",
        f"gunicorn with 2 workers (gthread, 2 threads each, as gunicorn.conf.py), production "
        f"settings bar TLS (DEBUG off, Redis cache and sessions), {CLIENTS} concurrent "
        f"clients, {SECONDS} s per page, logged in as a member through the login form. "
        f"Targets: member pages ≥ {MEMBER_RATIO} of the bare page and p95 < "
        f"{MEMBER_P95_MS:.0f} ms; public pages ≥ {PUBLIC_RATIO} of the bare page.",
        "",
        "As members and visitors get them: with the page cache (core/page_cache.py), so "
        "after each page's first request the rest are served from Redis. The benchmark "
        "changes no data while it runs; in use, every change to what a page shows makes "
        "it render again.",
        "",
        *page_table(results),
        "",
        "### Every page rendered (`PAGE_CACHE=0`)",
        "",
        "The same pages with the page cache off: what a member's first visit, or any visit "
        "after a change, costs. The targets are not claimed for this table.",
        "",
        *page_table(rendered, targets=False),
    ]
    lines += [
        "",
        "## Reminder sweep",
        "",
        f"{sweep['rows']:,} due reminders, two processes calling "
        "`events.services.reminders_queue_due()` and `core.outbox.outbox_send_due()` until "
        "none is due, through an SMTP server "
        f"(aiosmtpd) on loopback: **{sweep['seconds']:.1f} s, "
        f"{sweep['sent'] / sweep['seconds']:.0f} reminders per second**. "
        f"Rows marked sent: {sweep['sent']:,} (of the benchmark's own: "
        f"{sweep['bench_rows_sent']:,}); messages received: {sweep['received']:,}; "
        f"distinct Message-IDs: {sweep['distinct']:,}. "
        + (
            "None was sent twice."
            if sweep["distinct"] == sweep["received"] == sweep["sent"]
            else "**Mismatch: see the numbers.**"
        ),
        "",
        "## Query plans",
        "",
        f"`EXPLAIN ANALYZE` at scale {SCALE}, as the benchmark member ({MEMBER_EMAIL}).",
        "",
    ]
    for title, plan in plans:
        lines += [f"### {title}", "", "```", plan, "```", ""]
    return "\n".join(lines)


def measure_pages_on_a_server(targets: dict, var: Path, *, page_cache: bool) -> list[dict]:
    """Start gunicorn with or without the page cache, log in, measure every page."""
    from django.core.cache import cache

    from members.demo import DEMO_PASSWORD

    cache.clear()
    os.environ["PAGE_CACHE"] = "1" if page_cache else "0"
    server = start_gunicorn(var / "bench-gunicorn.log")
    try:
        cookie = log_in(MEMBER_EMAIL, DEMO_PASSWORD)
        return measure_pages(targets, cookie, var)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()  # requests still queued from the last page; they do not matter
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep-worker", action="store_true", help=argparse.SUPPRESS)
    if parser.parse_args().sweep_worker:
        sweep_worker()
        return

    import django

    if os.environ.get("BENCH_ONLY") == "sweep":
        # BENCH_ONLY=sweep: only the sweep, against the database as it is (loaded by an
        # earlier run or by hand). The previous runs' benchmark events go first, so that
        # runs stay comparable.
        django.setup()
        from events.models import Event

        Event.objects.filter(title__startswith="Benchmark: generalforsamling").delete()
        sweep = reminder_sweep()
        log(f"Reminder sweep: {sweep}")
        log(f"  {sweep['sent'] / sweep['seconds']:.0f} reminders per second")
        return

    # Seeding announces the demo events: inline, and those mails stay in memory. (The
    # sweep workers re-run this file with their own, real SMTP settings.)
    os.environ.update(
        CELERY_TASK_ALWAYS_EAGER="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    log(f"Fresh database {DATABASE_URL}, scale {SCALE}")
    recreate_database()
    django.setup()
    from django.db import connections

    seed_seconds = load_data()
    log(f"Seeded scale {SCALE} in {seed_seconds:.1f} s")
    targets = pick_targets()
    plans = query_plans(targets["member"])
    connections.close_all()

    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    machine_info = machine()
    log("Pages, with the page cache:")
    results = measure_pages_on_a_server(targets, var, page_cache=True)
    log("Pages, every one rendered (PAGE_CACHE=0):")
    rendered = measure_pages_on_a_server(targets, var, page_cache=False)
    log("Reminder sweep:")
    sweep = reminder_sweep()
    log(f"  {sweep}")
    report = write_report(
        seed_seconds=seed_seconds,
        results=results,
        rendered=rendered,
        plans=plans,
        sweep=sweep,
        machine_info=machine_info,
        version_info=versions(),
    )
    # The hand-written analysis at the end of the file survives a new run.
    target = ROOT / "BENCHMARKS.md"
    previous = target.read_text() if target.exists() else ""
    analysis = previous[previous.find(ANALYSIS_HEADING) :] if ANALYSIS_HEADING in previous else ""
    target.write_text(report + "\n" + (f"\n{analysis}" if analysis else ""))
    log(report)
    log("Wrote BENCHMARKS.md")


if __name__ == "__main__":
    main()
