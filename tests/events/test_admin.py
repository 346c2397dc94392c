"""The admin changes events through the portal's services: the same mails (subjects,
recipients, METHOD and SEQUENCE), the same reminder rows, the same waitlist."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.outbox import outbox_send_due
from events import mails
from events.models import RSVP, Event, Reminder
from tests.admin_forms import admin_form_data
from tests.conftest import login
from tests.events.conftest import deliver_outbox, member_of, schedule

pytestmark = pytest.mark.django_db


def sent() -> list[tuple]:
    """What went out, as (subject, recipients, METHOD, SEQUENCE), and forget it."""
    outbox_send_due()
    summary = []
    for message in mail.outbox:
        (part,) = message.attachments
        ics = part.get_payload(decode=True).decode()
        method = re.search(r"^METHOD:(\w+)", ics, re.M).group(1)
        sequence = re.search(r"^SEQUENCE:(\d+)", ics, re.M).group(1)
        summary.append((message.subject, tuple(message.to), method, sequence))
    mail.outbox.clear()
    return sorted(summary)


def reminder_rows(event: Event) -> list[tuple]:
    start = event.starts_at
    return sorted(
        (r.member_id, r.offset_minutes, r.status, start - r.due_at)
        for r in Reminder.objects.filter(event=event)
    )


@pytest.fixture
def invitees(hovedstaden, lead):
    """The lead, two members who have not answered and one who declines every meeting."""
    return {
        "lead": lead,
        "members": [member_of(hovedstaden), member_of(hovedstaden)],
        "declines": member_of(hovedstaden),
    }


@pytest.fixture
def twins(lead, hovedstaden, invitees):
    """Two identical meetings: one changed through the portal, one through the admin."""
    start = timezone.now() + timedelta(days=20)
    pair = [
        schedule(organiser=lead, circle=hovedstaden, starts_at=start, title="Kredsmøde")
        for _ in range(2)
    ]
    for event in pair:
        RSVP.objects.create(event=event, member=invitees["declines"], answer=RSVP.Answer.NO)
    deliver_outbox()
    return pair


@pytest.fixture
def lead_client(lead):
    return login(Client(), lead)


def change_page(staff_client, event):
    return staff_client.get(reverse("admin:events_event_change", args=[event.pk]))


def post_change(staff_client, event, **changes):
    data = admin_form_data(change_page(staff_client, event), form_id="event_form", **changes)
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def portal_form(event, **overrides) -> dict:
    from tests.events.test_views import form_data

    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    fields = {
        "title": event.title,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
        "location": event.location,
        "agenda": event.agenda,
        "tags": "",
    }
    return form_data(event.circle, **{**fields, **overrides})


def test_moving_an_event_in_the_admin_sends_the_portals_update(
    staff_client, lead_client, twins, invitees
):
    portal, admin = twins
    new_start = timezone.localtime(portal.starts_at) + timedelta(days=1, hours=2)
    new_start = new_start.replace(second=0, microsecond=0)  # the portal's form has minutes
    new_end = new_start + timedelta(hours=2)
    response = lead_client.post(
        reverse("events:edit", args=[portal.pk]),
        portal_form(
            portal,
            starts_at=new_start.strftime("%Y-%m-%dT%H:%M"),
            ends_at=new_end.strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 302
    through_portal = sent()
    post_change(
        staff_client,
        admin,
        starts_at_0=new_start.strftime("%Y-%m-%d"),
        starts_at_1=new_start.strftime("%H:%M:%S"),
        ends_at_0=new_end.strftime("%Y-%m-%d"),
        ends_at_1=new_end.strftime("%H:%M:%S"),
    )
    through_admin = sent()
    assert through_admin == through_portal
    assert {(method, sequence) for *_, method, sequence in through_admin} == {("REQUEST", "1")}
    # The lead and the two members (and the staff user, if of the circle); not who declined.
    assert {to for _, (to,), *_ in through_admin} == {
        m.email for m in mails.announcement_recipients(event=admin)
    }
    assert invitees["declines"].email not in {to for _, (to,), *_ in through_admin}
    portal.refresh_from_db()
    admin.refresh_from_db()
    assert (admin.sequence, admin.announced_sequence) == (1, 1)
    assert reminder_rows(admin) == reminder_rows(portal)


def test_cancelling_an_event_in_the_admin_sends_the_portals_cancellation(
    staff_client, lead_client, twins
):
    portal, admin = twins
    response = lead_client.post(reverse("events:cancel", args=[portal.pk]), {"confirm": "on"})
    assert response.status_code == 302
    through_portal = sent()
    post_change(staff_client, admin, status=Event.Status.CANCELLED)
    through_admin = sent()
    assert through_admin == through_portal
    assert {(method, sequence) for *_, method, sequence in through_admin} == {("CANCEL", "1")}
    admin.refresh_from_db()
    assert admin.is_cancelled and admin.cancelled_at is not None
    assert not admin.reminders.filter(status=Reminder.Status.PENDING).exists()
    assert reminder_rows(admin) == reminder_rows(Event.objects.get(pk=portal.pk))


def test_adding_an_event_in_the_admin_sends_the_portals_invitations(
    staff_client, lead_client, lead, hovedstaden, invitees
):
    start = timezone.localtime() + timedelta(days=12)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0)
    end = start + timedelta(hours=3)
    response = lead_client.post(
        reverse("events:create"),
        portal_form(
            Event(
                circle=hovedstaden,
                title="Nyt kredsmøde",
                starts_at=start,
                ends_at=end,
                location="Gentofte Rådhus",
                agenda="1. Velkomst",
            )
        ),
    )
    assert response.status_code == 302
    portal = Event.objects.get()
    through_portal = sent()
    page = staff_client.get(reverse("admin:events_event_add"))
    data = admin_form_data(
        page,
        form_id="event_form",
        kind=Event.Kind.CIRCLE_MEETING,
        circle=str(hovedstaden.pk),
        organiser=str(lead.pk),
        title="Nyt kredsmøde",
        starts_at_0=start.strftime("%Y-%m-%d"),
        starts_at_1=start.strftime("%H:%M:%S"),
        ends_at_0=end.strftime("%Y-%m-%d"),
        ends_at_1=end.strftime("%H:%M:%S"),
        location="Gentofte Rådhus",
        agenda="1. Velkomst",
        reminder_offsets="[10080, 1440]",
    )
    response = staff_client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    admin = Event.objects.exclude(pk=portal.pk).get()
    through_admin = sent()
    assert through_admin == through_portal
    assert {(method, sequence) for *_, method, sequence in through_admin} == {("REQUEST", "0")}
    assert {to for _, (to,), *_ in through_admin} == {
        m.email for m in mails.announcement_recipients(event=admin)
    }
    assert admin.announced_sequence == 0 and admin.organiser == lead
    assert reminder_rows(admin) == reminder_rows(portal)


@pytest.mark.parametrize("how", ["delete view", "delete selected"])
def test_deleting_a_coming_event_in_the_admin_cancels_it_in_the_invitees_calendars_first(
    staff_client, lead_client, twins, how
):
    portal, admin = twins
    lead_client.post(reverse("events:cancel", args=[portal.pk]), {"confirm": "on"})
    through_portal = sent()
    if how == "delete view":
        url = reverse("admin:events_event_delete", args=[admin.pk])
        response = staff_client.post(url, {"post": "yes"})
    else:
        response = staff_client.post(
            reverse("admin:events_event_changelist"),
            {"action": "delete_selected", "_selected_action": [admin.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not Event.objects.filter(pk=admin.pk).exists()
    assert not Reminder.objects.filter(event_id=admin.pk).exists()
    through_admin = sent()
    assert through_admin == through_portal
    assert {(method, sequence) for *_, method, sequence in through_admin} == {("CANCEL", "1")}


def test_deleting_a_cancelled_or_past_event_in_the_admin_sends_nothing_more(
    staff_client, lead, hovedstaden, invitees
):
    past = schedule(
        actor=None,
        organiser=lead,
        circle=hovedstaden,
        starts_at=timezone.now() - timedelta(days=3),
        title="Afholdt kredsmøde",
    )
    cancelled = schedule(organiser=lead, circle=hovedstaden, title="Aflyst kredsmøde")
    post_change(staff_client, cancelled, status=Event.Status.CANCELLED)
    deliver_outbox()
    response = staff_client.post(
        reverse("admin:events_event_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [past.pk, cancelled.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Event.objects.exists()
    assert sent() == []


def test_the_rsvp_inline_keeps_the_capacity_and_promotes_from_the_waitlist_like_the_portal(
    staff_client, client, lead, hovedstaden, invitees
):
    event = schedule(organiser=lead, circle=hovedstaden, capacity=1, title="Lille kredsmøde")
    first, second = invitees["members"]
    RSVP.objects.create(event=event, member=first, answer=RSVP.Answer.YES)
    deliver_outbox()
    # The seat is taken: a yes recorded in the admin joins the waitlist.
    post_change(
        staff_client,
        event,
        **{
            "rsvps-TOTAL_FORMS": "2",
            "rsvps-1-member": str(second.pk),
            "rsvps-1-answer": RSVP.Answer.YES,
            "rsvps-1-event": str(event.pk),
        },
    )
    waiting = RSVP.objects.get(event=event, member=second)
    assert waiting.waitlisted and waiting.waitlisted_since is not None
    assert not Reminder.objects.filter(event=event, member=second, status="pending").exists()
    # The first gives up the seat in the admin: the second is promoted and told, as in
    # the portal.
    post_change(staff_client, event, **{"rsvps-0-answer": RSVP.Answer.NO})
    waiting.refresh_from_db()
    assert not waiting.waitlisted
    assert Reminder.objects.filter(event=event, member=second, status="pending").exists()
    outbox_send_due()
    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"[KOMDIR] Du har fået en plads: {event.title}", [second.email])
    ]


def test_the_rsvp_inline_refuses_a_non_invitee_and_deletes_no_answer(
    staff_client, lead, hovedstaden, nordjylland, invitees
):
    event = schedule(organiser=lead, circle=hovedstaden, title="Kredsmøde")
    member = invitees["members"][0]
    RSVP.objects.create(event=event, member=member, answer=RSVP.Answer.YES)
    stranger = member_of(nordjylland)
    data = admin_form_data(
        change_page(staff_client, event),
        form_id="event_form",
        **{
            "rsvps-0-DELETE": "on",
            "rsvps-TOTAL_FORMS": "2",
            "rsvps-1-member": str(stranger.pk),
            "rsvps-1-answer": RSVP.Answer.YES,
            "rsvps-1-event": str(event.pk),
        },
    )
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 200
    assert not RSVP.objects.filter(member=stranger).exists()
    assert RSVP.objects.filter(event=event, member=member).exists()
    del data["rsvps-1-member"], data["rsvps-1-answer"]
    data["rsvps-TOTAL_FORMS"] = "1"
    staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    # There is no deleting an answer: it is changed to no, which frees the seat.
    assert RSVP.objects.filter(event=event, member=member).exists()


def test_minutes_saved_in_the_admin_are_kept_as_a_revision_by_the_staff_user(
    staff_client, staff, meeting
):
    post_change(staff_client, meeting, minutes="Referat fra admin")
    meeting.refresh_from_db()
    assert meeting.minutes == "Referat fra admin"
    (revision,) = meeting.minutes_revisions.all()
    assert (revision.text, revision.author) == ("Referat fra admin", staff)
