"""A circle lead schedules and edits only their own circle's meetings: the event services
ask the permission predicates themselves, so every channel (views, admin, commands) is
held to the rule, not only the form's choices."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from circles.models import CircleMembership
from events import services
from events.models import Event
from tests.conftest import login
from tests.events.conftest import deliver_outbox, lead_of, schedule
from tests.events.test_views import form_data
from tests.members.factories import BoardMemberFactory

pytestmark = pytest.mark.django_db


def meeting_args(circle, **overrides) -> dict:
    starts_at = timezone.now() + timedelta(days=10)
    return {
        "kind": Event.Kind.CIRCLE_MEETING,
        "circle": circle,
        "title": "Kredsmøde",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "location": "Rådhuset",
        **overrides,
    }


@pytest.fixture
def lead_and_plain_member(lead, nordjylland):
    """The lead of Hovedstaden, also a plain member of Nordjylland."""
    CircleMembership.objects.create(
        member=lead, circle=nordjylland, role=CircleMembership.Role.MEMBER
    )
    return lead


@pytest.fixture
def nordjylland_meeting(other_lead, nordjylland):
    event = schedule(organiser=other_lead, circle=nordjylland, title="Nordjysk kredsmøde")
    deliver_outbox()
    return event


def test_a_lead_may_not_schedule_for_a_circle_they_are_only_a_member_of(
    lead_and_plain_member, hovedstaden, nordjylland
):
    lead = lead_and_plain_member
    with pytest.raises(PermissionDenied):
        services.event_create(actor=lead, organiser=lead, **meeting_args(nordjylland))
    assert not Event.objects.filter(circle=nordjylland).exists()
    own = services.event_create(actor=lead, organiser=lead, **meeting_args(hovedstaden))
    assert own.circle == hovedstaden


def test_a_lead_may_not_change_cancel_or_write_minutes_for_the_other_circles_meeting(
    lead_and_plain_member, nordjylland_meeting, mailoutbox
):
    lead = lead_and_plain_member
    with pytest.raises(PermissionDenied):
        services.event_update(actor=lead, event=nordjylland_meeting, title="Overtaget")
    with pytest.raises(PermissionDenied):
        services.event_cancel(actor=lead, event=nordjylland_meeting)
    with pytest.raises(PermissionDenied):
        services.event_minutes_save(actor=lead, event=nordjylland_meeting, minutes="Referat")
    nordjylland_meeting.refresh_from_db()
    assert nordjylland_meeting.title == "Nordjysk kredsmøde"
    assert nordjylland_meeting.status == Event.Status.SCHEDULED and not nordjylland_meeting.minutes
    assert nordjylland_meeting.sequence == 0


def test_a_lead_may_not_move_their_own_meeting_into_another_circle(
    lead_and_plain_member, hovedstaden, nordjylland
):
    lead = lead_and_plain_member
    own = services.event_create(actor=lead, organiser=lead, **meeting_args(hovedstaden))
    with pytest.raises(PermissionDenied):
        services.event_update(actor=lead, event=own, circle=nordjylland)
    own.refresh_from_db()
    assert own.circle == hovedstaden


def test_through_the_views_the_other_circle_is_refused_and_its_meeting_is_not_found(
    client, lead_and_plain_member, nordjylland, nordjylland_meeting
):
    login(client, lead_and_plain_member)
    response = client.post(reverse("events:create"), form_data(nordjylland))
    assert response.status_code == 200 and "circle" in response.context["form"].errors
    # A member of the circle sees its meeting, but may not change it.
    assert client.get(nordjylland_meeting.get_absolute_url()).status_code == 200
    for name in ("events:edit", "events:cancel", "events:minutes"):
        assert client.get(reverse(name, args=[nordjylland_meeting.pk])).status_code == 404
    assert Event.objects.filter(circle=nordjylland).count() == 1
    # The service the views call refuses it as well.
    with pytest.raises(PermissionDenied):
        services.event_create(
            actor=lead_and_plain_member,
            organiser=lead_and_plain_member,
            **meeting_args(nordjylland),
        )


def test_a_board_member_who_leads_a_circle_schedules_association_wide_events_and_only_own_meetings(
    client, hovedstaden, nordjylland
):
    chair = lead_of(hovedstaden)
    chair.groups.add(*BoardMemberFactory().groups.all())
    assembly = services.event_create(
        actor=chair,
        organiser=chair,
        **meeting_args(None, kind=Event.Kind.GENERAL_ASSEMBLY, title="Generalforsamling"),
    )
    assert assembly.kind == Event.Kind.GENERAL_ASSEMBLY
    services.event_update(actor=chair, event=assembly, title="Ordinær generalforsamling")
    own = services.event_create(actor=chair, organiser=chair, **meeting_args(hovedstaden))
    assert own.circle == hovedstaden
    with pytest.raises(PermissionDenied):
        services.event_create(actor=chair, organiser=chair, **meeting_args(nordjylland))
    other = schedule(organiser=lead_of(nordjylland), circle=nordjylland)
    with pytest.raises(PermissionDenied):
        services.event_cancel(actor=chair, event=other)
    # Through the view, the form offers only the circle the board member leads.
    login(client, chair, mfa=True)
    response = client.post(reverse("events:create"), form_data(nordjylland))
    assert response.status_code == 200 and "circle" in response.context["form"].errors


def test_a_plain_member_may_not_schedule_and_actor_none_is_an_explicit_system_action(
    member, hovedstaden
):
    with pytest.raises(PermissionDenied):
        services.event_create(actor=member, organiser=member, **meeting_args(hovedstaden))
    # There is no default: a caller that has a user must say who acts.
    with pytest.raises(TypeError):
        services.event_create(organiser=member, **meeting_args(hovedstaden))
    seeded = services.event_create(actor=None, organiser=member, **meeting_args(hovedstaden))
    assert seeded.organiser == member


def test_a_lead_may_not_delete_the_other_circles_meeting(
    lead_and_plain_member, nordjylland_meeting
):
    with pytest.raises(PermissionDenied):
        services.event_delete(actor=lead_and_plain_member, event=nordjylland_meeting)
    assert Event.objects.filter(pk=nordjylland_meeting.pk).exists()
