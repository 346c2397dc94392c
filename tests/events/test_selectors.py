"""The event list's reads: which events count as upcoming or past, and the seats taken."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events import selectors
from events.models import RSVP, Event
from tests.events.factories import EventFactory, RSVPFactory

pytestmark = pytest.mark.django_db


def at(days: float, hours: float = 3) -> dict:
    """Start and end of an event `days` from now (negative: ago), `hours` long."""
    starts_at = timezone.now() + timedelta(days=days)
    return {"starts_at": starts_at, "ends_at": starts_at + timedelta(hours=hours)}


def test_an_event_under_way_is_upcoming_however_long_ago_it_started():
    ended = EventFactory(title="ended", **at(-10))
    long_running = EventFactory(title="long running", **at(-20, hours=24 * 21))
    under_way = EventFactory(title="under way", **at(-0.05))
    coming = EventFactory(title="coming", **at(3))

    assert list(Event.objects.upcoming()) == [long_running, under_way, coming]
    assert list(Event.objects.past()) == [ended]


def test_upcoming_and_past_are_empty_without_events():
    assert list(Event.objects.upcoming()) == []
    assert list(Event.objects.past()) == []


def test_the_list_counts_only_the_yes_answers_that_hold_a_seat(member):
    full = EventFactory(kind=Event.Kind.PROFESSIONAL, circle=None, capacity=2)
    RSVPFactory.create_batch(2, event=full, answer=RSVP.Answer.YES)
    RSVPFactory(event=full, answer=RSVP.Answer.YES, waitlisted=True)
    RSVPFactory(event=full, answer=RSVP.Answer.MAYBE)
    RSVPFactory(event=full, answer=RSVP.Answer.NO)
    unanswered = EventFactory(kind=Event.Kind.PROFESSIONAL, circle=None)

    rows = selectors.event_row_values(selectors.visible_events(user=member), member=member)
    listed = {row["id"]: row for row in rows}

    assert listed[full.pk]["yes_count"] == 2
    assert listed[unanswered.pk]["yes_count"] == 0
