"""Rows for the assembly's day, made directly (not through the preparation's services)."""

from datetime import timedelta

from django.utils import timezone

from assemblies.models import AgendaItem, Assembly, Attendance, Proxy
from events.models import Event
from members.models import Municipality
from tests.members.factories import MemberFactory, make_deputy


def make_assembly(*, days_ahead: float = 14, organiser=None, **fields) -> Assembly:
    """A general assembly `days_ahead` days from now (negative: it has started)."""
    starts_at = timezone.now() + timedelta(days=days_ahead)
    event = Event.objects.create(
        kind=Event.Kind.GENERAL_ASSEMBLY,
        title="Generalforsamling",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        location="Christiansborg",
        organiser=organiser,
    )
    # The preparation made the assembly with the standard agenda as the event was saved
    # (assemblies.signals); the day's tests lay out their own items.
    assembly = Assembly.objects.get(event=event)
    assembly.items.all().delete()
    for name, value in fields.items():
        setattr(assembly, name, value)
    assembly.save()
    return assembly


def make_item(assembly: Assembly, *, position: int = 1, **fields) -> AgendaItem:
    fields.setdefault("title", f"Punkt {position}")
    return AgendaItem.objects.create(assembly=assembly, position=position, **fields)


def municipalities(count: int) -> list[Municipality]:
    return list(Municipality.objects.order_by("code")[:count])


def member_of(municipality: Municipality, **kwargs):
    return MemberFactory(municipality=municipality, home_circle=False, **kwargs)


def deputy_of(member, **kwargs):
    return make_deputy(member, **kwargs)


def check_in(assembly: Assembly, *people) -> None:
    Attendance.objects.bulk_create(Attendance(assembly=assembly, member=p) for p in people)


def give_proxy(assembly: Assembly, giver, holder) -> Proxy:
    return Proxy.objects.create(assembly=assembly, giver=giver, holder=holder)
