from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assemblies import services
from assemblies.models import AgendaItem, Candidacy
from tests.assemblies.factories import CandidacyFactory, MotionFactory, item_of, schedule_assembly
from tests.conftest import login
from tests.documents.factories import make_document
from tests.members.factories import MemberFactory, make_deputy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def count_queries(client, url: str, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status, url
    return len(queries)


def test_the_agenda_shows_items_descriptions_documents_and_candidates(
    client, assembly, board_member, member
):
    accounts = item_of(assembly, AgendaItem.Kind.ACCOUNTS)
    document = make_document(event=assembly.event, title="Årsregnskab")
    services.agenda_item_update(
        actor=board_member,
        item=accounts,
        title="Regnskab",
        kind="accounts",
        description="Det **reviderede** regnskab.",
        documents=[document],
    )
    candidate = MemberFactory(first_name="Lone", last_name="Dahl")
    services.candidacy_announce(
        actor=candidate,
        item=item_of(assembly, AgendaItem.Kind.BOARD_ELECTION),
        statement="Jeg stiller op.",
    )
    login(client, member)
    page = client.get(reverse("assemblies:agenda", args=[assembly.event_id])).content.decode()
    assert "Valg af dirigent" in page and "Eventuelt" in page
    assert "<strong>reviderede</strong>" in page
    assert f"/dokumenter/{document.pk}/" in page
    assert "Lone Dahl" in page and "Jeg stiller op." in page
    assert reverse("assemblies:agenda_edit", args=[assembly.event_id]) not in page


def test_the_event_page_links_to_its_agenda(client, assembly, member):
    login(client, member)
    page = client.get(assembly.event.get_absolute_url()).content.decode()
    assert reverse("assemblies:agenda", args=[assembly.event_id]) in page


def test_the_board_adds_moves_and_deletes_items_on_the_edit_page(client, assembly, board_member):
    login(client, board_member, mfa=True)
    url = reverse("assemblies:agenda_edit", args=[assembly.event_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"ny-title": "Vedtægter", "ny-kind": "other"})
    assert response.status_code == 302
    added = assembly.items.get(title="Vedtægter")
    assert added.position == 9
    assert client.post(url, {"item": added.pk, "action": "up"}).status_code == 302
    added.refresh_from_db()
    assert added.position == 8
    assert client.post(url, {"item": added.pk, "action": "delete"}).status_code == 302
    assert not assembly.items.filter(pk=added.pk).exists()
    for data in ({"item": "x", "action": "up"}, {"item": 2**70, "action": "up"}, {"action": ""}):
        assert client.post(url, data).status_code == 302
    assert client.post(url, {"ny-title": "To\nlinjer", "ny-kind": "other"}).status_code == 200


def test_the_board_edits_an_item_and_attaches_the_events_documents(client, assembly, board_member):
    document = make_document(event=assembly.event, title="Budget")
    item = item_of(assembly, AgendaItem.Kind.FEE)
    login(client, board_member, mfa=True)
    url = reverse("assemblies:item_edit", args=[assembly.event_id, item.pk])
    assert "Budget" in client.get(url).content.decode()
    response = client.post(
        url,
        {"title": "Kontingent 2027", "kind": "fee", "description": "", "documents": [document.pk]},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Kontingent 2027" and list(item.documents.all()) == [document]


def test_members_and_visitors_may_not_edit_the_agenda(client, assembly, member):
    item = assembly.items.first()
    urls = [
        reverse("assemblies:agenda_edit", args=[assembly.event_id]),
        reverse("assemblies:item_edit", args=[assembly.event_id, item.pk]),
        reverse("assemblies:notice", args=[assembly.event_id]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    login(client, member)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(urls[0], {"item": item.pk, "action": "delete"}).status_code == 404
    assert assembly.items.filter(pk=item.pk).exists()


def test_a_member_stands_for_election_and_withdraws(client, assembly, member):
    election = item_of(assembly, AgendaItem.Kind.AUDITOR_ELECTION)
    login(client, member)
    url = reverse("assemblies:candidacy", args=[assembly.event_id])
    assert client.get(url + f"?punkt={election.pk}").status_code == 200
    response = client.post(url, {"item": election.pk, "statement": "Revisor i ti år."})
    assert response.status_code == 302
    candidacy = Candidacy.objects.get(member=member)
    assert candidacy.item == election
    response = client.post(url, {"item": election.pk, "statement": "Igen"})
    assert "allerede" in response.content.decode()
    not_an_election = item_of(assembly, AgendaItem.Kind.REPORT)
    assert client.post(url, {"item": not_an_election.pk, "statement": ""}).status_code == 200
    assert client.post(url, {"candidacy": candidacy.pk}).status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.withdrawn_at is not None


def test_no_candidacy_once_the_assembly_has_started_nor_from_a_deputy(member):
    start = timezone.now() - timedelta(hours=1)
    assembly = schedule_assembly(starts_at=start)
    election = item_of(assembly, AgendaItem.Kind.BOARD_ELECTION)
    with pytest.raises(ValidationError):
        services.candidacy_announce(actor=member, item=election)
    future = schedule_assembly()
    with pytest.raises(PermissionDenied):
        services.candidacy_announce(
            actor=make_deputy(member), item=item_of(future, AgendaItem.Kind.BOARD_ELECTION)
        )


def test_another_members_candidacy_cannot_be_withdrawn(client, assembly, member):
    other = CandidacyFactory(item=item_of(assembly, AgendaItem.Kind.BOARD_ELECTION))
    login(client, member)
    url = reverse("assemblies:candidacy", args=[assembly.event_id])
    assert client.post(url, {"candidacy": other.pk}).status_code == 404
    assert client.post(url, {"candidacy": "x"}).status_code == 404


def test_the_index_goes_to_the_next_assembly_or_else_the_latest(client, member):
    login(client, member)
    index = reverse("assemblies:index")
    assert client.get(index)["Location"] == reverse("assemblies:archive")
    last_year = schedule_assembly(starts_at=timezone.now() - timedelta(days=365))
    assert client.get(index)["Location"] == reverse("assemblies:agenda", args=[last_year.event_id])
    next_one = schedule_assembly(days=40)
    schedule_assembly(days=400)
    assert client.get(index)["Location"] == reverse("assemblies:agenda", args=[next_one.event_id])
    page = client.get(reverse("assemblies:archive")).content.decode()
    assert str(timezone.localtime(last_year.event.starts_at).year) in page
    assert f"/arrangementer/{last_year.event_id}/referat/" in page


# --- Query budgets: pinned, and not growing with the data -------------------------------


def grow(assembly, board_member):
    for number in range(5):
        document = make_document(event=assembly.event, title=f"Bilag {number}")
        item = services.agenda_item_add(
            actor=board_member, assembly=assembly, title=f"Punkt {number}", documents=[document]
        )
        MotionFactory(assembly=assembly, title=f"Forslag {number}")
        CandidacyFactory(item=item_of(assembly, AgendaItem.Kind.BOARD_ELECTION))
        services.agenda_item_update(
            actor=board_member, item=item, title=item.title, kind="other", documents=[document]
        )


@pytest.mark.parametrize(
    ("name", "role", "budget"),
    [
        ("assemblies:agenda", "member", 7),
        ("assemblies:agenda", "board", 6),
        ("assemblies:motions", "member", 5),
        ("assemblies:motions", "board", 4),
        ("assemblies:motion_create", "member", 2),
        ("assemblies:candidacy", "member", 5),
        ("assemblies:agenda_edit", "board", 4),
        ("assemblies:notice", "board", 4),
        ("assemblies:archive", "member", 2),
    ],
)
def test_the_preparation_pages_keep_their_query_budgets(
    client, assembly, board_member, member, name, role, budget
):
    person = board_member if role == "board" else member
    login(client, person, mfa=role == "board")
    args = [] if name == "assemblies:archive" else [assembly.event_id]
    url = reverse(name, args=args)
    client.get(url)
    grow(assembly, board_member)
    few = count_queries(client, url)
    grow(assembly, board_member)
    schedule_assembly(days=500)
    many = count_queries(client, url)
    assert few == many == budget


def test_the_item_page_keeps_its_query_budget(client, assembly, board_member):
    login(client, board_member, mfa=True)
    item = item_of(assembly, AgendaItem.Kind.ACCOUNTS)
    url = reverse("assemblies:item_edit", args=[assembly.event_id, item.pk])
    make_document(event=assembly.event, title="Regnskab")
    few = count_queries(client, url)
    grow(assembly, board_member)
    many = count_queries(client, url)
    assert few == many == 7
