"""The minutes: a draft from the agenda, attendance and decisions, versions, the chair's
approval that freezes them, publication to the members."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assemblies import services
from assemblies.models import Minutes, MinutesVersion
from core.models import OutgoingMail
from tests.assemblies.day_factories import (
    check_in,
    give_proxy,
    make_assembly,
    make_item,
    member_of,
    municipalities,
)
from tests.conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture
def assembly():
    assembly = make_assembly(days_ahead=-0.1, quorum=2)
    make_item(assembly, position=1, title="Valg af dirigent")
    make_item(assembly, position=2, title="Bestyrelsens beretning")
    return assembly


def minutes_url(assembly) -> str:
    return reverse("assemblies:minutes", args=[assembly.event.pk])


def test_the_draft_is_written_from_agenda_attendance_and_decisions(assembly, board_member):
    people = [member_of(place) for place in municipalities(3)]
    check_in(assembly, people[0])
    give_proxy(assembly, people[1], people[0])
    item = assembly.items.get(position=2)
    decision = services.decision_record(
        item=item,
        actor=board_member,
        outcome="noted",
        text="Beretningen blev taget til efterretning.",
    )
    services.election_record(decision=decision, role="board_member", name="Hanne Hansen")
    minutes = services.minutes_draft_generate(assembly=assembly, actor=board_member)
    text = minutes.text
    assert "Valg af dirigent" in text and "Bestyrelsens beretning" in text
    assert "Beretningen blev taget til efterretning." in text
    assert "Hanne Hansen" in text
    assert "beslutningsdygtig" in text
    assert MinutesVersion.objects.filter(minutes=minutes, author=board_member).count() == 1


def test_each_save_is_a_version_and_approval_freezes(client, assembly, board_member):
    login(client, board_member, mfa=True)
    url = minutes_url(assembly)
    client.post(url, {"action": "save", "text": "# Referat\n\nUdkast 1"})
    client.post(url, {"action": "save", "text": "# Referat\n\nUdkast 2"})
    minutes = Minutes.objects.get(assembly=assembly)
    assert minutes.text.endswith("Udkast 2")
    assert minutes.versions.count() == 2
    page = client.get(url)
    assert len(page.context["versions"]) == 2
    # No chair set: the board approves.
    assert client.post(url, {"action": "approve"}).status_code == 302
    minutes.refresh_from_db()
    assert minutes.is_frozen and minutes.approved_by == board_member
    response = client.post(url, {"action": "save", "text": "Ændret"}, follow=True)
    assert "kan ikke længere ændres" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.text.endswith("Udkast 2")
    with pytest.raises(ValidationError):
        services.minutes_save(assembly=assembly, text="Ændret", actor=board_member)


def test_with_a_chair_only_the_chair_approves(client, board_member):
    chair = member_of(municipalities(1)[0])
    assembly = make_assembly(days_ahead=-0.1, chair=chair)
    services.minutes_save(assembly=assembly, text="Referat", actor=board_member)
    login(client, board_member, mfa=True)
    client.post(minutes_url(assembly), {"action": "approve"})
    assert not Minutes.objects.get(assembly=assembly).is_frozen
    client.logout()
    login(client, chair)
    assert client.get(minutes_url(assembly)).status_code == 200
    client.post(minutes_url(assembly), {"action": "approve"})
    assert Minutes.objects.get(assembly=assembly).approved_by == chair


def test_members_see_only_published_minutes(client, assembly, board_member, member):
    services.minutes_save(assembly=assembly, text="Hemmeligt udkast", actor=board_member)
    login(client, member)
    assert client.get(minutes_url(assembly)).status_code == 404
    minutes = Minutes.objects.get(assembly=assembly)
    with pytest.raises(ValidationError, match="godkende"):
        services.minutes_publish(minutes=minutes)
    services.minutes_approve(minutes=minutes, actor=board_member)
    assert client.get(minutes_url(assembly)).status_code == 404
    services.minutes_publish(minutes=minutes)
    response = client.get(minutes_url(assembly))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hemmeligt udkast" in page
    assert 'name="text"' not in page and response.context["versions"] == []
    mails = OutgoingMail.objects.filter(kind=services.MINUTES_MAIL)
    assert {m.to_address for m in mails} >= {member.email, board_member.email}
    with pytest.raises(ValidationError):
        services.minutes_publish(minutes=minutes)


def test_a_visitor_is_sent_to_log_in(client, assembly):
    response = client.get(minutes_url(assembly))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_another_events_minutes_are_the_events_app(client, circle_lead):
    from tests.events.factories import EventFactory

    event = EventFactory(organiser=circle_lead)
    login(client, circle_lead)
    response = client.get(reverse("events:minutes", args=[event.pk]))
    assert response.status_code == 200
    assert "events/event_minutes.html" in [t.name for t in response.templates]


def test_the_minutes_page_makes_a_fixed_number_of_queries(
    client, assembly, board_member, member, django_assert_num_queries
):
    for number in range(5):
        services.minutes_save(assembly=assembly, text=f"Udkast {number}", actor=board_member)
    login(client, board_member, mfa=True)
    client.get(minutes_url(assembly))
    with django_assert_num_queries(BOARD_QUERIES):
        assert client.get(minutes_url(assembly)).status_code == 200
    minutes = Minutes.objects.get(assembly=assembly)
    services.minutes_approve(minutes=minutes, actor=board_member)
    services.minutes_publish(minutes=minutes)
    login(client, member)
    client.get(minutes_url(assembly))
    with django_assert_num_queries(MEMBER_QUERIES):
        assert client.get(minutes_url(assembly)).status_code == 200


BOARD_QUERIES = 4
MEMBER_QUERIES = 3
