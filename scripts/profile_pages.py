"""In-process timing of the portal's pages: mean server time, SQL time and queries per
page, through the full middleware stack with Django's test client, logged in as the
benchmark member. Run against a database loaded by `seed_demo --scale N`:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/komdir_perf \\
        .venv/bin/python scripts/profile_pages.py [--runs 20] [--cold] [--only /bidrag/]

--cold switches every page and fragment cache off (PAGE_CACHE=0); without it, each page
is first visited by another member (of another municipality and circle), and the
figures are the benchmark member's visits after that ("rendered"). --profile prints the
top functions of one page by cProfile; --queries lists each page's queries."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "komdir.settings")
os.environ.setdefault("SECRET_KEY", "profile-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

MEMBER_EMAIL = "anders.bech@demo.komdir.dk"


def pages(member) -> list[tuple[str, str]]:
    from events import services as event_services
    from events.models import Event
    from focusareas.models import Contribution, StrategyPeriod

    period = StrategyPeriod.objects.current()
    area = period.focus_areas.order_by("number").first()
    contribution = (
        Contribution.objects.visible_to(member)
        .published()
        .filter(comments__isnull=False)
        .order_by("-published_at")
        .first()
    )
    event = Event.objects.visible_to(member).upcoming().first()
    token = event_services.calendar_token_regenerate(member=member)
    return [
        ("/", "/"),
        ("focus area", area.get_absolute_url()),
        ("/bidrag/", "/bidrag/"),
        ("/bidrag/?q=frivillige", "/bidrag/?q=frivillige"),
        ("contribution", contribution.get_absolute_url()),
        ("/arrangementer/", "/arrangementer/"),
        ("event", event.get_absolute_url()),
        ("/medlemmer/", "/medlemmer/"),
        ("/medlemmer/?q=kommunaldirektør", "/medlemmer/?q=kommunaldirekt%C3%B8r"),
        ("member", other_member(member).get_absolute_url()),
        ("/profil/", "/profil/"),
        ("personal calendar feed", f"/kalender/{token}.ics"),
    ]


def other_member(member):
    from members.models import Member

    return (
        Member.objects.filter(is_active=True, status="active")
        .exclude(municipality=member.municipality)
        .exclude(circle_memberships__circle__in=member.circle_memberships.values("circle"))
        .order_by("pk")
        .first()
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--only")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--queries", action="store_true", help="list each page's queries")
    arguments = parser.parse_args()
    if arguments.cold:
        os.environ["PAGE_CACHE"] = "0"

    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from members.models import Member

    member = Member.objects.get(email=MEMBER_EMAIL)
    viewer = Client()
    viewer.force_login(member)
    first_visitor = Client()
    first_visitor.force_login(other_member(member))
    measured = pages(member)
    if arguments.only:
        measured = [(name, url) for name, url in measured if arguments.only in (name, url)]
    print(f"{'page':28} {'ms':>7} {'sql ms':>7} {'queries':>7} {'KB':>6}")
    for name, url in measured:
        first_visitor.get(url, secure=True)
        viewer.get(url, secure=True)  # warms the process: template loading, first connection
        if arguments.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(arguments.runs):
                viewer.get(url, secure=True)
            profiler.disable()
            order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime
            pstats.Stats(profiler).sort_stats(order).print_stats(40)
            continue
        times, sql, queries = [], [], []
        for _ in range(arguments.runs):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = viewer.get(url, secure=True)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            queries.append(len(captured))
            sql.append(sum(float(q["time"]) for q in captured.captured_queries))
        size = len(response.content) / 1024
        if arguments.queries:
            for query in captured.captured_queries:
                print(f"    {float(query['time']) * 1000:6.2f} ms  {query['sql'][:150]}")
        print(
            f"{name:28} {statistics.mean(times) * 1000:7.1f} "
            f"{statistics.mean(sql) * 1000:7.1f} {statistics.mean(queries):7.1f} {size:6.0f}"
        )


if __name__ == "__main__":
    main()
