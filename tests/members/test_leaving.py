"""A member who leaves (marked former, anonymised, or erased at their own request) gives up
their seats: the waitlist moves, and none of their reminders or unsent mails go out."""

import threading

import pytest
from django.core import mail
from django.db import connection

from circles.models import Circle
from core.models import OutgoingMail
from core.outbox import Mail, Priority, mail_queue, outbox_send_due
from events import services as event_services
from events.models import RSVP, Reminder
from members import services
from tests.events.conftest import deliver_outbox, lead_of, member_of, schedule

pytestmark = pytest.mark.django_db


def leave_by_marking_former(member):
    services.member_mark_former(member=member)


def leave_by_anonymising(member):
    # The admin's "anonymise former members" action: marked former first, then anonymised.
    services.member_mark_former(member=member)
    services.member_erase(member=member, contributions=services.ContributionChoice.ANONYMISE)


def leave_by_erasure(member):
    services.member_erase(member=member, contributions=services.ContributionChoice.DELETE)


WAYS_OF_LEAVING = pytest.mark.parametrize(
    "leave",
    [leave_by_marking_former, leave_by_anonymising, leave_by_erasure],
    ids=["marked-former", "anonymised", "erased"],
)


@pytest.fixture
def full_meeting(db):
    """A meeting of one seat: `seated` holds it, `waiting` is first on the waitlist."""
    hovedstaden = Circle.objects.get(slug="hovedstaden")
    seated, waiting = member_of(hovedstaden), member_of(hovedstaden)
    meeting = schedule(organiser=lead_of(hovedstaden), circle=hovedstaden, capacity=1)
    event_services.rsvp_answer(event=meeting, member=seated, answer="yes")
    event_services.rsvp_answer(event=meeting, member=waiting, answer="yes")
    deliver_outbox()
    assert RSVP.objects.get(event=meeting, member=waiting).waitlisted
    return meeting, seated, waiting


@WAYS_OF_LEAVING
def test_a_leaving_members_seat_goes_to_the_waitlist_and_the_promoted_member_is_told(
    full_meeting, leave
):
    meeting, seated, waiting = full_meeting
    leave(seated)

    assert not RSVP.objects.filter(event=meeting, member=seated).exists()
    promoted = RSVP.objects.get(event=meeting, member=waiting)
    assert promoted.waitlisted is False
    assert meeting.reminders.pending().filter(member=waiting).count() == 2
    outbox_send_due()
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    assert "plads" in mail.outbox[0].subject.lower()


@WAYS_OF_LEAVING
def test_a_leaving_members_pending_reminders_are_skipped(full_meeting, leave):
    _, seated, _ = full_meeting
    assert Reminder.objects.filter(member=seated, status=Reminder.Status.PENDING).count() == 2

    leave(seated)

    assert not Reminder.objects.filter(member=seated, status=Reminder.Status.PENDING).exists()
    # Every reminder left of theirs is skipped (an erasure may delete them instead).
    assert set(Reminder.objects.filter(member_id=seated.pk).values_list("status", flat=True)) <= {
        Reminder.Status.SKIPPED
    }


@WAYS_OF_LEAVING
def test_a_leaving_members_unsent_mails_are_dropped(full_meeting, leave):
    meeting, seated, _ = full_meeting
    address = seated.email
    mail_queue(
        mails=[
            Mail(kind="test.notice", to=address, recipient=seated, subject="Til dig", text="Hej."),
            Mail(kind="test.notice", to=address, subject="Til adressen", text="Hej."),
        ],
        priority=Priority.BULK,
    )
    event_services.event_invitation_resend(event=meeting)  # one row for every invitee
    assert OutgoingMail.objects.unsent().filter(to_address=address).count() == 2
    assert OutgoingMail.objects.unsent().filter(kind="events.announcement").exists()

    leave(seated)

    assert not OutgoingMail.objects.unsent().filter(recipient_id=seated.pk).exists()
    assert not OutgoingMail.objects.unsent().filter(to_address__iexact=address).exists()
    outbox_send_due()
    assert address not in {to for m in mail.outbox for to in m.to}


def test_an_erasure_leaves_no_mail_record_of_the_member(full_meeting):
    _, seated, _ = full_meeting
    address = seated.email
    assert OutgoingMail.objects.filter(to_address=address).exists()  # the invitation

    leave_by_erasure(seated)

    assert not OutgoingMail.objects.filter(to_address__iexact=address).exists()
    assert not OutgoingMail.objects.filter(recipient_id=seated.pk).exists()


def test_the_export_holds_the_members_mail_records(client, full_meeting):
    import json

    from django.urls import reverse

    from tests.conftest import login

    _, seated, _ = full_meeting
    login(client, seated)
    data = json.loads(client.get(reverse("members:data_export")).content)

    [invitation] = [m for m in data["mails"] if m["kind"] == "events.invitation"]
    assert invitation["status"] == "sent"
    assert set(invitation) == {"kind", "subject", "status", "created_at", "sent_at"}
    assert invitation["created_at"] and invitation["sent_at"]


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SKIPPED LOUDLY: row locking (select_for_update) needs PostgreSQL; "
    "run with DATABASE_URL=postgres://...",
)


@needs_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_seat_freed_by_leaving_while_another_member_answers_yes_is_taken_once():
    """The leaving member's withdrawal and a new yes lock the same event row: the new
    member ends up with the seat, never on a waitlist beside a free seat."""
    hovedstaden = Circle.objects.get(slug="hovedstaden")
    seated, newcomer = member_of(hovedstaden), member_of(hovedstaden)
    meeting = schedule(organiser=lead_of(hovedstaden), circle=hovedstaden, capacity=1)
    event_services.rsvp_answer(event=meeting, member=seated, answer="yes")
    barrier = threading.Barrier(2)

    def run(action):
        try:
            barrier.wait()
            action()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(lambda: services.member_mark_former(member=seated),)),
        threading.Thread(
            target=run,
            args=(
                lambda: event_services.rsvp_answer(event=meeting, member=newcomer, answer="yes"),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert list(
        RSVP.objects.filter(event=meeting).attending().values_list("member", flat=True)
    ) == [newcomer.pk]
    assert not RSVP.objects.filter(event=meeting).waitlist().exists()


def test_a_mail_queued_before_a_member_left_the_circle_is_not_sent_to_them(full_meeting):
    from circles.models import CircleMembership

    meeting, seated, _ = full_meeting
    from django.utils import timezone

    event_services.event_invitation_resend(event=meeting)
    mail.outbox.clear()
    before_the_rows = timezone.now()
    # The fan-out is expanded, and its rows, due from a moment later, wait.
    outbox_send_due(clock=lambda: before_the_rows)
    assert OutgoingMail.objects.unsent().filter(to_address=seated.email).exists()
    assert mail.outbox == []
    CircleMembership.objects.filter(member=seated, circle=meeting.circle).delete()
    outbox_send_due()
    assert mail.outbox, "the other invitees still get theirs"
    assert seated.email not in {to for m in mail.outbox for to in m.to}
