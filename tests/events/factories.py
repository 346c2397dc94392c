from datetime import timedelta

import factory
from django.utils import timezone

from circles.models import Circle
from events.models import RSVP, Event, EventPreferences
from tests.members.factories import MemberFactory


class EventFactory(factory.django.DjangoModelFactory):
    """A circle meeting of Hovedstaden two weeks ahead; rows only, no reminders planned
    (use the services to get those)."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = Event.Kind.CIRCLE_MEETING
    circle = factory.LazyFunction(lambda: Circle.objects.get(slug="hovedstaden"))
    title = factory.Sequence(lambda n: f"Kredsmøde {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=3))
    location = "Rådhuset"
    organiser = factory.SubFactory(MemberFactory)


class RSVPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RSVP

    event = factory.SubFactory(EventFactory)
    member = factory.SubFactory(MemberFactory)
    answer = RSVP.Answer.YES


class EventPreferencesFactory(factory.django.DjangoModelFactory):
    """A member's meeting settings (a member without a row has the defaults)."""

    class Meta:
        model = EventPreferences
        django_get_or_create = ("member",)

    member = factory.SubFactory(MemberFactory)
