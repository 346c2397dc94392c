"""A member cannot move themselves into another circle: a change of municipality on the
profile is a request, which the board or staff approves or rejects."""

import pytest
from django.core import mail
from django.urls import reverse

from circles.models import Circle, CircleMembership
from core.outbox import outbox_send_due
from events import services as event_services
from events.models import RSVP
from members.models import Member, Municipality
from tests.conftest import login
from tests.events.conftest import deliver_outbox, lead_of, member_of, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def mover(db):
    """A member of Hovedstaden (in Gentofte) with a seat at the next meeting, someone on
    its waitlist, and a lead in Nordjylland, whose circle has a circle-only contribution."""
    hovedstaden = Circle.objects.get(slug="hovedstaden")
    nordjylland = Circle.objects.get(slug="nordjylland")
    member = member_of(hovedstaden, first_name="Karen", last_name="Flytter")
    member.municipality = Municipality.objects.get(name="Gentofte")
    member.save(update_fields=["municipality"])
    waiting = member_of(hovedstaden)
    meeting = schedule(organiser=lead_of(hovedstaden), circle=hovedstaden, capacity=1)
    event_services.rsvp_answer(event=meeting, member=member, answer="yes")
    event_services.rsvp_answer(event=meeting, member=waiting, answer="yes")
    north_lead = lead_of(nordjylland)
    from focusareas import services as focusarea_services
    from focusareas.models import Contribution

    secret = focusarea_services.contribution_create(
        author=north_lead,
        title="Kun for Nordjylland",
        body="Tekst.",
        tags=[],
        visibility=Contribution.Visibility.CIRCLE,
        circle=nordjylland,
        publish=True,
    )
    deliver_outbox()
    return {
        "member": member,
        "waiting": waiting,
        "meeting": meeting,
        "north_lead": north_lead,
        "secret": secret,
        "hovedstaden": hovedstaden,
        "nordjylland": nordjylland,
    }


def profile_data(member: Member, municipality: Municipality) -> dict:
    return {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "job_title": member.job_title,
        "municipality": municipality.pk,
        "phone": member.phone,
        "bio": member.bio,
    }


def request_move(client, member, to: str = "Aalborg"):
    login(client, member)
    response = client.post(
        reverse("members:profile"), profile_data(member, Municipality.objects.get(name=to))
    )
    assert response.status_code == 302
    return response


def test_a_new_municipality_on_the_profile_is_a_request_that_changes_nothing(client, mover):
    member = mover["member"]
    request_move(client, member)

    member.refresh_from_db()
    assert member.municipality.name == "Gentofte"
    assert list(CircleMembership.objects.filter(member=member).values_list("circle", flat=True))
    assert not CircleMembership.objects.filter(member=member, circle=mover["nordjylland"]).exists()
    assert client.get(mover["secret"].get_absolute_url()).status_code == 404
    assert RSVP.objects.get(event=mover["meeting"], member=member).waitlisted is False
    from members.models import MunicipalityChangeRequest

    [change] = MunicipalityChangeRequest.objects.filter(member=member)
    assert change.status == MunicipalityChangeRequest.Status.PENDING
    assert (change.from_municipality.name, change.to_municipality.name) == ("Gentofte", "Aalborg")

    page = client.get(reverse("members:profile")).content.decode()
    assert "Din anmodning om at skifte til Aalborg afventer bestyrelsens godkendelse" in page


def test_saving_the_profile_again_keeps_the_request_and_the_old_municipality_withdraws_it(
    client, mover
):
    from members.models import MunicipalityChangeRequest

    member = mover["member"]
    request_move(client, member)
    form = client.get(reverse("members:profile")).context["form"]
    assert form.initial["municipality"] == Municipality.objects.get(name="Aalborg").pk
    request_move(client, member, to="Aalborg")
    assert MunicipalityChangeRequest.objects.filter(member=member).count() == 1
    request_move(client, member, to="Hjørring")
    assert MunicipalityChangeRequest.objects.get(member=member).to_municipality.name == "Hjørring"
    request_move(client, member, to="Gentofte")
    assert not MunicipalityChangeRequest.objects.pending().filter(member=member).exists()


def test_the_board_approves_a_move_and_the_member_changes_circle_and_gives_up_the_seat(
    client, mover, board_member
):
    from members.models import MunicipalityChangeRequest

    member, waiting = mover["member"], mover["waiting"]
    request_move(client, member)
    change = MunicipalityChangeRequest.objects.get(member=member)
    client.logout()
    login(client, board_member, mfa=True)
    page = client.get(reverse("members:municipality_changes"))
    assert page.status_code == 200
    assert "Karen Flytter" in page.content.decode() and "Aalborg" in page.content.decode()

    response = client.post(
        reverse("members:municipality_changes"), {"request": change.pk, "decision": "approve"}
    )
    assert response.status_code == 302

    change.refresh_from_db()
    assert change.status == MunicipalityChangeRequest.Status.APPROVED
    assert change.decided_by == board_member and change.decided_at
    member.refresh_from_db()
    assert member.municipality.name == "Aalborg"
    assert set(CircleMembership.objects.filter(member=member).values_list("circle", flat=True)) == {
        mover["nordjylland"].pk
    }
    assert not RSVP.objects.filter(event=mover["meeting"], member=member).exists()
    assert RSVP.objects.get(event=mover["meeting"], member=waiting).waitlisted is False
    outbox_send_due()
    recipients = sorted(to for m in mail.outbox for to in m.to)
    assert recipients == sorted([member.email, mover["north_lead"].email, waiting.email])
    told = next(m for m in mail.outbox if m.to == [member.email])
    assert "Kreds Nordjylland" in told.body
    assert (
        "Karen Flytter" in next(m for m in mail.outbox if m.to == [mover["north_lead"].email]).body
    )
    client.logout()
    login(client, member)
    assert client.get(mover["secret"].get_absolute_url()).status_code == 200


def test_the_board_rejects_a_move_and_nothing_changes(client, mover, board_member):
    from members.models import MunicipalityChangeRequest

    member = mover["member"]
    request_move(client, member)
    change = MunicipalityChangeRequest.objects.get(member=member)
    client.logout()
    login(client, board_member, mfa=True)
    response = client.post(
        reverse("members:municipality_changes"), {"request": change.pk, "decision": "reject"}
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == MunicipalityChangeRequest.Status.REJECTED
    member.refresh_from_db()
    assert member.municipality.name == "Gentofte"
    assert RSVP.objects.get(event=mover["meeting"], member=member).waitlisted is False
    assert not client.get(reverse("members:municipality_changes")).context["requests"]


def test_a_member_cannot_decide_requests(client, mover):
    from members.models import MunicipalityChangeRequest

    member = mover["member"]
    request_move(client, member)
    change = MunicipalityChangeRequest.objects.get(member=member)
    response = client.post(
        reverse("members:municipality_changes"), {"request": change.pk, "decision": "approve"}
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.municipality.name == "Gentofte"


def test_staff_approve_and_reject_in_the_admin_through_the_same_service(mover, staff_client, staff):
    from django.test import Client

    from members.models import MunicipalityChangeRequest

    member, other = mover["member"], member_of(mover["hovedstaden"])
    request_move(Client(), member)
    request_move(Client(), other, to="Odense")
    moving = MunicipalityChangeRequest.objects.get(member=member)
    staying = MunicipalityChangeRequest.objects.get(member=other)
    changelist = reverse("admin:members_municipalitychangerequest_changelist")
    assert staff_client.get(changelist).status_code == 200
    staff_client.post(changelist, {"action": "approve", "_selected_action": [moving.pk]})
    staff_client.post(changelist, {"action": "reject", "_selected_action": [staying.pk]})

    moving.refresh_from_db()
    staying.refresh_from_db()
    assert (moving.status, moving.decided_by) == ("approved", staff)
    assert (staying.status, staying.decided_by) == ("rejected", staff)
    member.refresh_from_db()
    other.refresh_from_db()
    assert member.municipality.name == "Aalborg"
    assert CircleMembership.objects.filter(member=member, circle=mover["nordjylland"]).exists()
    assert not RSVP.objects.filter(event=mover["meeting"], member=member).exists()
    assert other.municipality.region.slug == "hovedstaden"


def test_a_new_member_still_joins_the_circle_of_their_municipality(db):
    from members.services import member_signup_complete
    from tests.members.factories import MemberFactory, issue_invitation

    issued = issue_invitation("ny@kommune.example")
    member = MemberFactory(email="ny@kommune.example", municipality=None, home_circle=False)
    member_signup_complete(
        member=member,
        invitation_id=issued.invitation.pk,
        job_title="Kommunaldirektør",
        municipality=Municipality.objects.get(name="Odense"),
    )
    assert [m.circle.slug for m in CircleMembership.objects.filter(member=member)] == ["syddanmark"]


def test_the_export_holds_the_members_requests_and_an_erasure_deletes_them(client, mover):
    import json

    from members.models import MunicipalityChangeRequest
    from members.services import member_erase

    member = mover["member"]
    request_move(client, member)
    data = json.loads(client.get(reverse("members:data_export")).content)
    [change] = data["municipality_change_requests"]
    assert (change["from_municipality"], change["to_municipality"]) == ("Gentofte", "Aalborg")
    assert change["status"] == "pending"

    member_erase(member=member, contributions="anonymise")
    assert not MunicipalityChangeRequest.objects.filter(member_id=member.pk).exists()
