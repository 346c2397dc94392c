"""A member who leaves a circle gives up their answers to its coming meetings: the seat
goes to the waitlist, whatever path removed the membership."""

import pytest
from django.core import mail
from django.urls import reverse

from circles.models import Circle, CircleMembership
from circles.services import circle_membership_join_home
from core.outbox import outbox_send_due
from events import services as event_services
from events.models import RSVP
from members.models import Municipality
from tests.events.conftest import deliver_outbox, lead_of, member_of, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_meeting(db):
    """A meeting of Hovedstaden with one seat: `seated` holds it, `waiting` waits."""
    hovedstaden = Circle.objects.get(slug="hovedstaden")
    seated, waiting = member_of(hovedstaden), member_of(hovedstaden)
    meeting = schedule(organiser=lead_of(hovedstaden), circle=hovedstaden, capacity=1)
    event_services.rsvp_answer(event=meeting, member=seated, answer="yes")
    event_services.rsvp_answer(event=meeting, member=waiting, answer="yes")
    deliver_outbox()
    membership = CircleMembership.objects.get(member=seated, circle=hovedstaden)
    return meeting, membership, waiting


def assert_the_seat_went_to(meeting, membership, waiting):
    assert not RSVP.objects.filter(event=meeting, member=membership.member).exists()
    assert not meeting.reminders.pending().filter(member=membership.member).exists()
    assert RSVP.objects.get(event=meeting, member=waiting).waitlisted is False
    assert meeting.reminders.pending().filter(member=waiting).count() == 2
    outbox_send_due()
    assert [m.to for m in mail.outbox] == [[waiting.email]]


def test_the_admin_deleting_a_membership_frees_the_seat(staff_client, full_meeting):
    meeting, membership, waiting = full_meeting
    url = reverse("admin:circles_circlemembership_delete", args=[membership.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    assert_the_seat_went_to(meeting, membership, waiting)


def test_the_admins_delete_action_on_memberships_frees_the_seat(staff_client, full_meeting):
    meeting, membership, waiting = full_meeting
    response = staff_client.post(
        reverse("admin:circles_circlemembership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert_the_seat_went_to(meeting, membership, waiting)


def test_moving_a_membership_to_another_circle_in_the_admin_frees_the_seat(
    staff_client, full_meeting
):
    meeting, membership, waiting = full_meeting
    nordjylland = Circle.objects.get(slug="nordjylland")
    response = staff_client.post(
        reverse("admin:circles_circlemembership_change", args=[membership.pk]),
        {"member": membership.member_id, "circle": nordjylland.pk, "role": "member"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_the_seat_went_to(meeting, membership, waiting)


def test_joining_another_regions_circle_frees_the_seat_at_the_old_circles_meeting(
    full_meeting,
):
    meeting, membership, waiting = full_meeting
    member = membership.member
    member.municipality = Municipality.objects.get(name="Aalborg")
    member.save(update_fields=["municipality"])
    circle_membership_join_home(member=member)
    assert_the_seat_went_to(meeting, membership, waiting)


def test_a_lead_who_moves_keeps_the_seat_of_the_circle_they_still_lead(full_meeting):
    meeting, membership, waiting = full_meeting
    membership.role = CircleMembership.Role.LEAD
    membership.save(update_fields=["role"])
    member = membership.member
    member.municipality = Municipality.objects.get(name="Aalborg")
    member.save(update_fields=["municipality"])
    circle_membership_join_home(member=member)
    assert RSVP.objects.get(event=meeting, member=member).waitlisted is False
    assert RSVP.objects.get(event=meeting, member=waiting).waitlisted is True


def test_deleting_a_member_with_a_seat_deletes_their_memberships_and_answers(full_meeting):
    meeting, membership, _ = full_meeting
    membership.member.delete()
    assert not CircleMembership.objects.filter(pk=membership.pk).exists()
    assert RSVP.objects.filter(event=meeting).count() == 1
