from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assemblies import services
from assemblies.models import AgendaItem, Assembly
from events import services as event_services
from events.models import Event
from tests.assemblies.factories import item_of, schedule_assembly
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

STANDARD = [
    ("chair", "Valg af dirigent"),
    ("report", "Bestyrelsens beretning"),
    ("accounts", "Regnskab"),
    ("motions", "Indkomne forslag"),
    ("fee", "Fastsættelse af kontingent"),
    ("board_election", "Valg til bestyrelsen"),
    ("auditor_election", "Valg af revisor"),
    ("any_other", "Eventuelt"),
]


def agenda(assembly):
    return list(assembly.items.order_by("position").values_list("kind", "title"))


def test_scheduling_a_general_assembly_gives_it_the_standard_agenda(board_member):
    assembly = schedule_assembly(organiser=board_member)
    assert agenda(assembly) == STANDARD
    assert list(assembly.items.order_by("position").values_list("position", flat=True)) == list(
        range(1, 9)
    )
    assert (assembly.notice_days, assembly.motion_days, assembly.proxy_limit) == (28, 14, 1)


def test_other_kinds_of_event_get_no_assembly_and_are_refused(board_member):
    start = timezone.now() + timedelta(days=10)
    event = event_services.event_create(
        actor=None,
        organiser=board_member,
        kind=Event.Kind.PROFESSIONAL,
        title="Fagligt arrangement",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location="KL-huset",
        announce=False,
    )
    assert not Assembly.objects.filter(event=event).exists()
    with pytest.raises(ValidationError, match="generalforsamling"):
        services.assembly_create(actor=board_member, event=event)


def test_creating_an_assembly_twice_keeps_the_first(assembly, board_member):
    again = services.assembly_create(actor=board_member, event=assembly.event)
    assert again.pk == assembly.pk
    assert assembly.items.count() == 8


def test_a_member_may_not_create_an_assembly(member):
    event = EventFactory(kind=Event.Kind.PROFESSIONAL, circle=None)
    with pytest.raises(PermissionDenied):
        services.assembly_create(actor=member, event=event)


def test_items_move_up_and_down_and_stay_at_the_ends(assembly, board_member):
    fee = item_of(assembly, AgendaItem.Kind.FEE)
    services.agenda_item_move(actor=board_member, item=fee, up=True)
    kinds = [kind for kind, _ in agenda(assembly)]
    assert kinds[3:5] == ["fee", "motions"]
    first = item_of(assembly, AgendaItem.Kind.CHAIR)
    services.agenda_item_move(actor=board_member, item=first, up=True)
    last = item_of(assembly, AgendaItem.Kind.ANY_OTHER)
    services.agenda_item_move(actor=board_member, item=last, up=False)
    kinds = [kind for kind, _ in agenda(assembly)]
    assert kinds[0] == "chair" and kinds[-1] == "any_other"


def test_adding_and_deleting_items_keeps_the_numbering_without_gaps(assembly, board_member):
    added = services.agenda_item_add(
        actor=board_member, assembly=assembly, title="Vedtægtsændringer", description="*Ny*"
    )
    assert added.position == 9
    services.agenda_item_delete(actor=board_member, item=item_of(assembly, AgendaItem.Kind.FEE))
    positions = list(assembly.items.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, 9))
    services.agenda_reorder(actor=board_member, assembly=assembly, order=[added.pk])
    assert agenda(assembly)[0] == ("other", "Vedtægtsændringer")


def test_an_item_takes_only_documents_of_its_own_event(assembly, board_member):
    from tests.documents.factories import make_document

    own = make_document(event=assembly.event, title="Årsregnskab")
    other = make_document(event=EventFactory(), title="Andet")
    accounts = item_of(assembly, AgendaItem.Kind.ACCOUNTS)
    services.agenda_item_update(
        actor=board_member, item=accounts, title="Regnskab", kind="accounts", documents=[own]
    )
    assert list(accounts.documents.all()) == [own]
    with pytest.raises(ValidationError):
        services.agenda_item_update(
            actor=board_member, item=accounts, title="Regnskab", kind="accounts", documents=[other]
        )


def test_a_member_may_not_edit_the_agenda(assembly, member):
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(actor=member, assembly=assembly, title="Mit punkt")
    with pytest.raises(PermissionDenied):
        services.agenda_item_move(actor=member, item=assembly.items.first(), up=False)
