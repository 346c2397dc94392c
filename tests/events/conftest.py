from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from circles.models import Circle, CircleMembership
from core.time import COPENHAGEN
from events import services
from events.models import Event
from tests.events.factories import EventPreferencesFactory
from tests.members.factories import MemberFactory


@pytest.fixture
def hovedstaden(db):
    return Circle.objects.get(slug="hovedstaden")


@pytest.fixture
def nordjylland(db):
    return Circle.objects.get(slug="nordjylland")


PREFERENCES = ("reminders_opt_out", "calendar_assistant_email", "calendar_assistant_consent")


def member_of(circle, **kwargs):
    """An active member living in the circle's region (so, in the circle); meeting settings
    among the keywords go to their EventPreferences row."""
    preferences = {name: kwargs.pop(name) for name in PREFERENCES if name in kwargs}
    member = MemberFactory(municipality=circle.region.municipalities.first(), **kwargs)
    if preferences:
        EventPreferencesFactory(member=member, **preferences)
    return member


def lead_of(circle, **kwargs):
    lead = member_of(circle, **kwargs)
    CircleMembership.objects.filter(member=lead, circle=circle).update(
        role=CircleMembership.Role.LEAD
    )
    return lead


@pytest.fixture
def lead(hovedstaden):
    return lead_of(hovedstaden, first_name="Søren", last_name="Kragh")


@pytest.fixture
def other_lead(nordjylland):
    return lead_of(nordjylland, first_name="Jens", last_name="Overgaard")


def copenhagen(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


def schedule(*, organiser, circle, starts_at=None, hours=3, **kwargs) -> Event:
    """A circle meeting through the service, as a lead would schedule it."""
    starts_at = starts_at or timezone.now() + timedelta(days=14)
    return services.event_create(
        actor=kwargs.pop("actor", organiser),
        organiser=organiser,
        kind=Event.Kind.CIRCLE_MEETING,
        circle=circle,
        title=kwargs.pop("title", "Kredsmøde"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        location=kwargs.pop("location", "Gentofte Rådhus"),
        **kwargs,
    )


def deliver_outbox() -> None:
    """Send what the outbox holds and forget it: the mails went out long ago."""
    from django.core import mail

    from core.outbox import outbox_send_due

    outbox_send_due()
    mail.outbox.clear()


@pytest.fixture
def meeting(lead, hovedstaden):
    event = schedule(organiser=lead, circle=hovedstaden)
    deliver_outbox()
    return event
