"""Assemblies made through the services (the event through events' own), and rows for
the preparation's objects."""

from datetime import timedelta

import factory
from django.utils import timezone

from assemblies.models import AgendaItem, Assembly, Candidacy, Motion
from events import services as event_services
from events.models import Event
from tests.members.factories import MemberFactory


def schedule_assembly(*, organiser=None, days: int = 60, title: str = "Generalforsamling", **kw):
    """A general assembly scheduled as the board does it (the system as actor, no
    invitations): its Assembly and standard agenda come with the event."""
    organiser = organiser or MemberFactory()
    starts_at = kw.pop("starts_at", None) or timezone.now() + timedelta(days=days)
    event = event_services.event_create(
        actor=None,
        organiser=organiser,
        kind=Event.Kind.GENERAL_ASSEMBLY,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=5),
        location=kw.pop("location", "Nyborg Strand"),
        announce=kw.pop("announce", False),
        **kw,
    )
    return Assembly.objects.select_related("event").get(event=event)


def item_of(assembly: Assembly, kind: str) -> AgendaItem:
    return assembly.items.get(kind=kind)


class MotionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Motion

    proposer = factory.SubFactory(MemberFactory)
    title = factory.Sequence(lambda n: f"Forslag {n}")
    text = "Generalforsamlingen beslutter at ..."
    reasoning = "Fordi ..."


class CandidacyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidacy

    member = factory.SubFactory(MemberFactory)
    statement = "Jeg stiller op."
