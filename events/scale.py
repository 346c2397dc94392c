"""Bulk events, RSVPs and reminders for `seed_demo --scale N`: 50·N events over ±1 year
(mostly circle meetings), 1,000·N RSVPs and 2,000·N reminder rows, each unique where
the database says so. Bulk inserts only; see members/scale.py."""

import random
import uuid
from datetime import timedelta

from django.utils import timezone

from circles.models import CircleMembership
from members.models import Member

from .models import DEFAULT_REMINDER_OFFSETS, RSVP, Event, Reminder

EVENTS_PER_SCALE = 50
RSVPS_PER_SCALE = 1000
REMINDERS_PER_SCALE = 2000
BATCH_SIZE = 2000

MEETING_TOPICS = [
    "rekruttering af ledere",
    "budget og økonomistyring",
    "frisættelse i praksis",
    "samarbejdet med civilsamfundet",
    "frivillige i velfærden",
    "digitalisering og kunstig intelligens",
    "den grønne omstilling",
]
PROFESSIONAL_TOPICS = [
    "Data og kunstig intelligens i kommunerne",
    "Ledelse af velfærdsteknologi",
    "Fremtidens arbejdskraft",
]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def scale_events_create(*, rng: random.Random, scale: int, members: list[Member]) -> None:
    """Create 50·scale events with RSVPs and reminders among their invitees."""
    members_by_circle: dict[int, list[int]] = {}
    for member_id, circle_id in CircleMembership.objects.filter(member__in=members).values_list(
        "member_id", "circle_id"
    ):
        members_by_circle.setdefault(circle_id, []).append(member_id)
    circle_names = dict(
        CircleMembership.objects.filter(circle_id__in=members_by_circle)
        .values_list("circle_id", "circle__name")
        .distinct()
    )
    circles = sorted(members_by_circle)
    all_ids = [m.pk for m in members]
    now = timezone.now()
    events, invitees = [], []
    for _ in range(EVENTS_PER_SCALE * scale):
        starts_at = (now + timedelta(days=rng.randint(-365, 365))).replace(
            hour=rng.choice([8, 9, 10, 13]), minute=0, second=0, microsecond=0
        )
        roll = rng.random()
        if roll < 0.8:
            circle_id = rng.choice(circles)
            pool = members_by_circle[circle_id]
            event = Event(
                kind=Event.Kind.CIRCLE_MEETING,
                circle_id=circle_id,
                title=f"Kredsmøde i {circle_names[circle_id]}: {rng.choice(MEETING_TOPICS)}",
                organiser_id=rng.choice(pool),
            )
        elif roll < 0.9:
            pool = all_ids
            event = Event(
                kind=Event.Kind.PROFESSIONAL,
                title=f"Fagligt arrangement: {rng.choice(PROFESSIONAL_TOPICS)}",
                organiser_id=rng.choice(all_ids),
                external_partners="KL\nDigitaliseringsstyrelsen",
            )
        else:
            pool = all_ids
            event = Event(
                kind=Event.Kind.GENERAL_ASSEMBLY,
                title="KOMDIR generalforsamling",
                organiser_id=rng.choice(all_ids),
            )
        event.starts_at = starts_at
        event.ends_at = starts_at + timedelta(hours=rng.choice([2, 3, 4]))
        event.location = "Rådhuset, mødelokale 2"
        event.agenda = "1. Velkomst\n2. Erfaringsudveksling\n3. Næste møde"
        event.uid = _uuid(rng)
        event.announced_sequence = 0  # announced long ago: no mail goes out for these
        events.append(event)
        invitees.append(pool)
    Event.objects.bulk_create(events, batch_size=BATCH_SIZE)

    answered: dict[tuple[int, int], str] = {}
    answers = [RSVP.Answer.YES] * 7 + [RSVP.Answer.MAYBE] * 2 + [RSVP.Answer.NO]
    target = RSVPS_PER_SCALE * scale
    for _ in range(target * 20):  # bounded: small scales may have fewer free pairs
        if len(answered) == target:
            break
        index = rng.randrange(len(events))
        pair = (index, rng.choice(invitees[index]))
        if pair not in answered:
            answered[pair] = rng.choice(answers)
    RSVP.objects.bulk_create(
        [
            RSVP(event=events[index], member_id=member_id, answer=answer)
            for (index, member_id), answer in answered.items()
        ],
        batch_size=BATCH_SIZE,
    )

    # Reminders go to invitees who did not say no: one row per default offset. Those
    # whose due time has passed are recorded as sent, so no sweep picks them up.
    reminded: set[tuple[int, int]] = set()
    target_pairs = REMINDERS_PER_SCALE * scale // len(DEFAULT_REMINDER_OFFSETS)
    for _ in range(target_pairs * 20):
        if len(reminded) == target_pairs:
            break
        index = rng.randrange(len(events))
        pair = (index, rng.choice(invitees[index]))
        if answered.get(pair) != RSVP.Answer.NO:
            reminded.add(pair)
    reminders = []
    for index, member_id in sorted(reminded):
        event = events[index]
        for offset in DEFAULT_REMINDER_OFFSETS:
            due_at = event.starts_at - timedelta(minutes=offset)
            past = due_at <= now
            reminders.append(
                Reminder(
                    event=event,
                    member_id=member_id,
                    offset_minutes=offset,
                    due_at=due_at,
                    status=Reminder.Status.SENT if past else Reminder.Status.PENDING,
                    attempts=1 if past else 0,
                    sent_at=due_at if past else None,
                    message_id=f"<reminder-{_uuid(rng)}@komdir>",
                )
            )
    Reminder.objects.bulk_create(reminders, batch_size=BATCH_SIZE)
