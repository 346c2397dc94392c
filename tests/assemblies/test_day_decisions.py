"""Decisions and elections per agenda item, applying an election, the search across years."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assemblies import services
from assemblies.models import AgendaItem, Decision, Election, Minutes
from members.permissions import is_board
from tests.assemblies.day_factories import make_assembly, make_item, member_of, municipalities
from tests.conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture
def assembly():
    return make_assembly(days_ahead=-0.1)


@pytest.fixture
def election_item(assembly):
    return make_item(
        assembly, position=6, kind=AgendaItem.Kind.BOARD_ELECTION, title="Valg til bestyrelsen"
    )


def test_the_board_records_a_decision_on_the_page(client, assembly, board_member):
    item = make_item(assembly, title="Regnskab")
    url = reverse("assemblies:decisions", args=[assembly.event.pk])
    login(client, board_member, mfa=True)
    response = client.post(
        url,
        {
            "action": "decision",
            "decision-item": item.pk,
            "decision-outcome": "adopted",
            "decision-votes_for": "40",
            "decision-votes_against": "2",
            "decision-votes_blank": "1",
            "decision-text": "Regnskabet blev godkendt.",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(item=item)
    assert (decision.votes_for, decision.votes_against, decision.votes_blank) == (40, 2, 1)
    assert decision.recorded_by == board_member


def test_a_bad_vote_count_is_a_form_error(client, assembly, board_member):
    item = make_item(assembly)
    url = reverse("assemblies:decisions", args=[assembly.event.pk])
    login(client, board_member, mfa=True)
    response = client.post(
        url,
        {
            "action": "decision",
            "decision-item": item.pk,
            "decision-outcome": "adopted",
            "decision-votes_for": "-3",
        },
    )
    assert response.status_code == 200
    assert response.context["decision_form"].errors
    assert not Decision.objects.exists()


def test_a_member_does_not_see_the_decisions_page(client, assembly, member):
    login(client, member)
    url = reverse("assemblies:decisions", args=[assembly.event.pk])
    assert client.get(url).status_code == 404


def test_an_election_is_recorded_and_applied_to_the_board(
    client, assembly, election_item, board_member, staff
):
    elected = member_of(municipalities(1)[0])
    decision = services.decision_record(item=election_item, actor=board_member, outcome="elected")
    url = reverse("assemblies:decisions", args=[assembly.event.pk])
    login(client, board_member, mfa=True)
    response = client.post(
        url,
        {
            "action": "election",
            "election-decision": decision.pk,
            "election-role": "board_member",
            "election-member": elected.pk,
            "election-term_until": "2028-04-30",
        },
    )
    assert response.status_code == 302
    election = Election.objects.get(decision=decision)
    assert election.name == elected.get_full_name()
    # The board may not apply it; staff may.
    client.post(url, {"action": "apply", "id": election.pk})
    election.refresh_from_db()
    assert election.applied_at is None
    client.logout()
    login(client, staff, mfa=True)
    assert client.post(url, {"action": "apply", "id": election.pk}).status_code == 302
    election.refresh_from_db()
    assert election.applied_at is not None
    elected.refresh_from_db()
    assert is_board(elected)
    with pytest.raises(ValidationError):
        services.election_apply(election=election)


def test_an_external_auditor_is_elected_by_name(assembly, board_member):
    item = make_item(assembly, kind=AgendaItem.Kind.AUDITOR_ELECTION, title="Valg af revisor")
    decision = services.decision_record(item=item, actor=board_member, outcome="elected")
    election = services.election_record(
        decision=decision, role="auditor", name="Revisionsfirma A/S"
    )
    assert election.member is None
    with pytest.raises(ValidationError):
        services.election_apply(election=election)
    with pytest.raises(ValidationError):
        services.election_record(decision=decision, role="auditor")


def test_approved_minutes_freeze_the_decisions(assembly, board_member):
    item = make_item(assembly)
    decision = services.decision_record(item=item, actor=board_member, outcome="noted")
    Minutes.objects.create(assembly=assembly, text="Referat", approved_at=assembly.event.starts_at)
    with pytest.raises(ValidationError, match="godkendt"):
        services.decision_record(item=item, actor=board_member, outcome="noted")
    with pytest.raises(ValidationError):
        services.decision_delete(decision=decision)


def test_decisions_are_searchable_across_years_by_members(client, member, board_member):
    from datetime import timedelta

    from django.utils import timezone

    old = make_assembly(days_ahead=-400)
    new = make_assembly(days_ahead=-10)
    for assembly, text in (
        (old, "Kontingentet hæves til 2.000 kr."),
        (new, "Kontingentet uændret"),
    ):
        item = make_item(assembly, title="Fastsættelse af kontingent")
        services.decision_record(item=item, actor=board_member, outcome="adopted", text=text)
        Minutes.objects.create(
            assembly=assembly, text="x", approved_at=timezone.now(), published_at=timezone.now()
        )
    draft = make_assembly(days_ahead=-1)
    services.decision_record(
        item=make_item(draft, title="Kontingent"), actor=board_member, outcome="adopted"
    )
    url = reverse("assemblies:decision_search")
    assert client.get(url, {"q": "kontingent"}).status_code == 302  # visitors log in
    login(client, member)
    response = client.get(url, {"q": "kontingent"})
    results = response.context["results"]
    # Newest first, drafts left out; each with its year.
    assert [d.item.assembly for d in results] == [new, old]
    assert str((timezone.now() - timedelta(days=400)).year) in response.content.decode()
    assert client.get(url, {"q": "x" * 101}).status_code == 200
    assert client.get(url).context["results"] == []


def test_the_decision_pages_make_a_fixed_number_of_queries(
    client, assembly, election_item, board_member, member, django_assert_num_queries
):
    for number in range(3):
        decision = services.decision_record(
            item=election_item, actor=board_member, outcome="elected", text=f"Valg {number}"
        )
        services.election_record(decision=decision, role="board_member", name=f"Navn {number}")
    login(client, board_member, mfa=True)
    url = reverse("assemblies:decisions", args=[assembly.event.pk])
    client.get(url)
    with django_assert_num_queries(DECISIONS_QUERIES):
        assert client.get(url).status_code == 200
    login(client, member)
    url = reverse("assemblies:decision_search")
    client.get(url, {"q": "valg"})
    with django_assert_num_queries(SEARCH_QUERIES):
        assert client.get(url, {"q": "valg"}).status_code == 200


DECISIONS_QUERIES = 11
SEARCH_QUERIES = 4
