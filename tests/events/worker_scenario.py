"""Steps of the worker integration test, run in a subprocess against the worker's own
database (the test's database is invisible to another process inside its transaction).

    python -m tests.events.worker_scenario schedule <title> <members>
    python -m tests.events.worker_scenario make-due <event id>
    python -m tests.events.worker_scenario sweep
    python -m tests.events.worker_scenario rows <event id>
    python -m tests.events.worker_scenario outbox
"""

import json
import os
import sys
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "komdir.settings")

import django

django.setup()

from django.utils import timezone  # noqa: E402

from circles.models import Circle, CircleMembership  # noqa: E402
from events import services  # noqa: E402
from events.models import Event, Reminder  # noqa: E402
from members.models import Member, Municipality  # noqa: E402


def schedule(title: str, members: int) -> None:
    circle = Circle.objects.get(slug="hovedstaden")
    home = Municipality.objects.get(name="Gentofte")
    prefix = title.lower().replace(" ", "-")
    people = []
    for number in range(members):
        member = Member.objects.create_user(
            email=f"{prefix}-{number}@kommune.example",
            first_name="Medlem",
            last_name=str(number),
            municipality=home,
        )
        CircleMembership.objects.get_or_create(member=member, circle=circle)
        people.append(member)
    CircleMembership.objects.filter(member=people[0], circle=circle).update(role="lead")
    start = timezone.now() + timedelta(days=8)
    event = services.event_create(
        actor=people[0],
        organiser=people[0],
        kind=Event.Kind.CIRCLE_MEETING,
        circle=circle,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location="Gentofte Rådhus",
    )
    print(
        json.dumps(
            {
                "event": event.pk,
                "reminders": event.reminders.pending().count(),
                "invitees": event.invitees().count(),
            }
        )
    )


def make_due(event_id: int) -> None:
    """Time passes: the reminders fall due, and the event was last changed long ago."""
    Reminder.objects.filter(event_id=event_id, status="pending").update(
        due_at=timezone.now() - timedelta(seconds=1)
    )
    Event.objects.filter(pk=event_id).update(updated_at=timezone.now() - timedelta(minutes=5))


def sweep() -> None:
    """What beat starts every minute: due reminders into the outbox, and the outbox."""
    from core.tasks import outbox_send_due_task
    from events.tasks import reminders_send_due

    reminders_send_due.delay()
    outbox_send_due_task.delay()


def outbox() -> None:
    from core.models import OutgoingMail

    print(
        json.dumps(list(OutgoingMail.objects.values("kind", "to_address", "message_id", "status")))
    )


def rows(event_id: int) -> None:
    print(
        json.dumps(
            [
                {
                    "member": r.member_id,
                    "offset": r.offset_minutes,
                    "status": r.status,
                    "message_id": r.message_id,
                    "uid": str(r.event.uid),
                }
                for r in Reminder.objects.filter(event_id=event_id).select_related("event")
            ]
        )
    )


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "schedule":
        schedule(args[0], int(args[1]))
    elif command == "make-due":
        make_due(int(args[0]))
    elif command == "sweep":
        sweep()
    elif command == "rows":
        rows(int(args[0]))
    elif command == "outbox":
        outbox()
    else:
        raise SystemExit(f"unknown step {command}")
