import re
import threading
from datetime import timedelta
from email.policy import compat32

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django.utils.html import escape
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.models import OutgoingMail
from core.outbox import MAX_ATTEMPTS, outbox_send_due
from events import mails, services
from events.models import RSVP, Event, Reminder
from tests.events.conftest import copenhagen, deliver_outbox, member_of, schedule

pytestmark = pytest.mark.django_db

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SKIPPED LOUDLY: row locking (select_for_update) needs PostgreSQL; "
    "run with DATABASE_URL=postgres://...",
)


def test_the_waitlist_promotes_in_join_order_and_tells_the_promoted_member(
    meeting, hovedstaden, django_capture_on_commit_callbacks
):
    services.event_update(actor=None, event=meeting, capacity=1)
    first, second, third = (member_of(hovedstaden) for _ in range(3))
    services.rsvp_answer(event=meeting, member=first, answer="yes")
    services.rsvp_answer(event=meeting, member=second, answer="yes")
    services.rsvp_answer(event=meeting, member=third, answer="yes")
    waitlist = list(RSVP.objects.filter(event=meeting).waitlist().values_list("member", flat=True))
    assert waitlist == [second.pk, third.pk]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_answer(event=meeting, member=first, answer="no")
    assert RSVP.objects.get(member=second).waitlisted is False
    assert RSVP.objects.get(member=third).waitlisted is True
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert "plads" in mail.outbox[0].subject.lower()


def test_a_waitlisted_member_gets_no_reminders_until_promoted(meeting, hovedstaden):
    services.event_update(actor=None, event=meeting, capacity=1)
    first, second = member_of(hovedstaden), member_of(hovedstaden)
    services.rsvp_answer(event=meeting, member=first, answer="yes")
    services.rsvp_answer(event=meeting, member=second, answer="yes")
    assert not meeting.reminders.pending().filter(member=second).exists()
    services.rsvp_answer(event=meeting, member=first, answer="maybe")
    assert meeting.reminders.pending().filter(member=second).count() == 2


def test_raising_the_capacity_promotes_the_waitlist(meeting, hovedstaden):
    services.event_update(actor=None, event=meeting, capacity=1)
    members = [member_of(hovedstaden) for _ in range(3)]
    for member in members:
        services.rsvp_answer(event=meeting, member=member, answer="yes")
    services.event_update(actor=None, event=meeting, capacity=3)
    assert RSVP.objects.filter(event=meeting).attending().count() == 3


def test_a_cancelled_event_takes_no_answers(meeting, hovedstaden):
    services.event_cancel(actor=None, event=meeting)
    with pytest.raises(services.RSVPClosed):
        services.rsvp_answer(event=meeting, member=member_of(hovedstaden), answer="yes")


@needs_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_members_taking_the_last_seat_at_once_never_both_get_it(lead, hovedstaden):
    event = schedule(organiser=lead, circle=hovedstaden, capacity=1)
    members = [member_of(hovedstaden) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def answer(member):
        try:
            barrier.wait()
            services.rsvp_answer(event=event, member=member, answer="yes")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert RSVP.objects.filter(event=event).attending().count() == 1
    assert RSVP.objects.filter(event=event, waitlisted=True).count() == 1


# --- Reminder planning ----------------------------------------------------------------


def test_reminders_are_planned_7_days_and_24_hours_before_for_every_invitee(meeting):
    invitees = set(meeting.invitees().values_list("pk", flat=True))
    rows = list(meeting.reminders.all())
    assert {(r.member_id, r.offset_minutes) for r in rows} == {
        (pk, offset) for pk in invitees for offset in (10080, 1440)
    }
    for row in rows:
        assert row.due_at == meeting.starts_at - timedelta(minutes=row.offset_minutes)
        assert row.status == Reminder.Status.PENDING
        assert row.message_id.startswith("<reminder-") and row.message_id.endswith("@komdir>")


@pytest.mark.parametrize(
    ("start", "week_before", "day_before"),
    [
        # Last Sunday of March 2027 (28th): clocks go forward at 02:00.
        (copenhagen(2027, 3, 28, 10), copenhagen(2027, 3, 21, 9), copenhagen(2027, 3, 27, 9)),
        # Last Sunday of October 2027 (31st): clocks go back at 03:00.
        (
            copenhagen(2027, 10, 31, 10),
            copenhagen(2027, 10, 24, 11),
            copenhagen(2027, 10, 30, 11),
        ),
    ],
    ids=["summer-time-starts", "summer-time-ends"],
)
def test_reminder_due_times_are_exact_durations_across_the_summer_time_changes(
    lead, hovedstaden, start, week_before, day_before
):
    """Offsets are exact durations: before a 10:00 start on the change day, the reminders
    fall at 09:00 (March) or 11:00 (October) on the Copenhagen wall clock."""
    event = schedule(organiser=lead, circle=hovedstaden, starts_at=start)
    due = {r.offset_minutes: r.due_at for r in event.reminders.filter(member=lead)}
    assert due[10080] == week_before
    assert due[1440] == day_before
    assert start - due[1440] == timedelta(hours=24)
    assert start - due[10080] == timedelta(days=7)


def test_moving_an_event_replans_pending_reminders(meeting, lead):
    new_start = meeting.starts_at + timedelta(days=2, hours=1)
    services.event_update(
        actor=None, event=meeting, starts_at=new_start, ends_at=new_start + timedelta(hours=2)
    )
    for row in meeting.reminders.filter(member=lead):
        assert row.status == Reminder.Status.PENDING
        assert row.due_at == new_start - timedelta(minutes=row.offset_minutes)


def test_moving_an_event_nearer_skips_reminders_already_past(meeting, lead):
    new_start = timezone.now() + timedelta(days=2)
    services.event_update(
        actor=None, event=meeting, starts_at=new_start, ends_at=new_start + timedelta(hours=2)
    )
    statuses = dict(meeting.reminders.filter(member=lead).values_list("offset_minutes", "status"))
    assert statuses == {10080: "skipped", 1440: "pending"}


def test_changing_the_offsets_replans(meeting, lead):
    services.event_update(actor=None, event=meeting, reminder_offsets=[120])
    statuses = dict(meeting.reminders.filter(member=lead).values_list("offset_minutes", "status"))
    assert statuses == {10080: "skipped", 1440: "skipped", 120: "pending"}


def make_due(event) -> None:
    """The reminders fall due; whatever was queued before went out long ago."""
    deliver_outbox()
    Reminder.objects.filter(event=event).update(due_at=timezone.now() - timedelta(minutes=1))


def sweep(**kwargs):
    """What beat does every minute: due reminders into the outbox, the outbox sent."""
    services.reminders_queue_due()
    return outbox_send_due(**kwargs)


def reminder_mails():
    return OutgoingMail.objects.filter(kind="events.reminder")


def test_the_sweep_sends_one_mail_per_due_reminder_with_its_message_id(meeting, mailoutbox):
    make_due(meeting)
    message_ids = set(meeting.reminders.values_list("message_id", flat=True))
    mailoutbox.clear()
    result = sweep()
    assert result.sent == meeting.reminders.count()
    assert not meeting.reminders.exclude(status="sent").exists()
    assert {m.extra_headers["Message-ID"] for m in mailoutbox} == message_ids
    assert all("/profil/" in m.body for m in mailoutbox)
    assert sweep().sent == 0


def test_no_reminders_for_a_cancelled_event(meeting, mailoutbox):
    services.event_cancel(actor=None, event=meeting)
    make_due(meeting)
    sweep()
    assert not any("Påmindelse" in m.subject for m in mailoutbox)
    assert not meeting.reminders.exclude(status="skipped").exists()


def test_no_reminders_for_a_member_who_answered_no(meeting, hovedstaden, mailoutbox):
    member = member_of(hovedstaden)
    services.reminders_plan(event=meeting)
    services.rsvp_answer(event=meeting, member=member, answer="no")
    make_due(meeting)
    mailoutbox.clear()
    sweep()
    assert member.email not in {address for m in mailoutbox for address in m.to}
    assert set(meeting.reminders.filter(member=member).values_list("status", flat=True)) == {
        "skipped"
    }


def test_no_reminders_for_a_member_who_opted_out_even_after_planning(meeting, hovedstaden):
    member = member_of(hovedstaden)
    services.reminders_plan(event=meeting)
    services.event_preferences_update(
        member=member,
        reminders_opt_out=True,
        calendar_assistant_email="",
        calendar_assistant_consent=False,
    )
    make_due(meeting)
    sweep()
    assert not meeting.reminders.filter(member=member, status="sent").exists()
    assert meeting.reminders.filter(member=member, status="skipped").exists()


def test_a_reminder_that_fell_due_while_workers_were_down_is_sent_if_the_event_has_not_started(
    meeting,
):
    deliver_outbox()
    Reminder.objects.filter(event=meeting).update(due_at=timezone.now() - timedelta(days=3))
    assert sweep().sent == meeting.reminders.count()


def test_no_reminder_after_the_start(meeting):
    Event.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5), ends_at=timezone.now() + timedelta(hours=1)
    )
    make_due(meeting)
    assert sweep().sent == 0
    assert not meeting.reminders.exclude(status="skipped").exists()


def test_a_reminder_left_sending_past_its_lease_is_sent_again_with_the_same_message_id(
    meeting, mailoutbox, settings
):
    make_due(meeting)
    Reminder.objects.filter(event=meeting).exclude(pk=meeting.reminders.first().pk).delete()
    row = meeting.reminders.get()
    services.reminders_queue_due()
    stale = timezone.now() - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 5)
    reminder_mails().update(status="sending", claimed_at=stale, attempts=1)
    mailoutbox.clear()
    outbox_send_due()
    row.refresh_from_db()
    assert row.status == "sent"
    assert reminder_mails().get().attempts == 2
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [row.message_id]


def test_a_reminder_within_its_lease_is_left_alone(meeting, mailoutbox):
    make_due(meeting)
    services.reminders_queue_due()
    reminder_mails().update(status="sending", claimed_at=timezone.now())
    assert outbox_send_due().sent == 0


def test_a_failed_reminder_is_retried_with_backoff_then_given_up(meeting, monkeypatch):
    make_due(meeting)
    Reminder.objects.filter(event=meeting).exclude(pk=meeting.reminders.first().pk).delete()

    def refuse(self, *args, **kwargs):
        raise RuntimeError("mailbox refused")

    monkeypatch.setattr(mails.EventMail, "send", refuse)
    services.reminders_queue_due()
    moment = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        outbox_send_due(clock=lambda moment=moment: moment)
        moment += timedelta(hours=2)  # past every backoff
    row = meeting.reminders.get()
    assert row.status == "failed" and row.attempts == MAX_ATTEMPTS
    assert "mailbox refused" in row.last_error
    assert reminder_mails().get().status == "failed"


def test_a_reminder_queued_before_the_event_moved_is_dropped_and_planned_anew(meeting, mailoutbox):
    make_due(meeting)
    services.reminders_queue_due()
    new_start = meeting.starts_at + timedelta(days=3)
    services.event_update(
        actor=None, event=meeting, starts_at=new_start, ends_at=new_start + timedelta(hours=2)
    )
    mailoutbox.clear()
    outbox_send_due()
    assert not any("Påmindelse" in m.subject for m in mailoutbox)
    assert set(meeting.reminders.values_list("status", flat=True)) == {"pending"}


def ics_text(message) -> str:
    (part,) = message.attachments
    return re.sub(r"DTSTAMP:\w+", "DTSTAMP:X", part.get_payload(decode=True).decode())


def test_mails_from_an_events_shared_parts_are_each_recipients_own(meeting, hovedstaden):
    """The text, HTML and calendar of an event are rendered once for many mails; each
    mail is still the one event_mail() builds for its recipient alone."""
    members = [
        member_of(hovedstaden, first_name=name) for name in ("Åse", '<b>"Bo" & Co</b>', "Lone")
    ]
    parts = mails.event_mail_parts(event=meeting, kind="reminder")
    for member in members:
        for to in (None, "sekretaer@kommune.example"):
            shared = mails.event_mail(
                event=meeting, kind="reminder", member=member, to=to, parts=parts
            )
            alone = mails.event_mail(event=meeting, kind="reminder", member=member, to=to)
            assert (shared.subject, shared.to, shared.body, shared.alternatives) == (
                alone.subject,
                alone.to,
                alone.body,
                alone.alternatives,
            )
            assert ics_text(shared) == ics_text(alone)
            html = shared.alternatives[0][0]
            assert f"Kære {member.first_name}" in shared.body
            assert f"Kære {escape(member.first_name)}" in html
            assert (member.get_full_name() in shared.body) == (to is not None)
            assert f"mailto:{member.email}" in ics_text(shared).replace("\r\n ", "")
            others = [m.first_name for m in members if m != member]
            assert not any(f"Kære {name}" in shared.body for name in others)
            assert "/profil/" in shared.body and meeting.title in html


@given(
    name=st.sampled_from(["Subject", "To", "Content-Type", "X-KOMDIR-Reminder"]),
    value=st.one_of(
        st.text(alphabet=st.characters(max_codepoint=127), max_size=100),
        st.text(alphabet=" \tabc;,=", max_size=90),
        st.text(alphabet="ab ;", min_size=55, max_size=80),  # around the line length
        st.text(max_size=40),
    ),
)
@hypothesis_settings(max_examples=500, deadline=None)
def test_the_mail_policy_writes_every_header_as_compat32_does(name, value):
    """_MailPolicy's shortcut gives compat32's bytes, or leaves the header to it."""
    for linesep in ("\n", "\r\n"):
        fast = mails._MAIL_POLICY.clone(linesep=linesep)
        try:
            expected = compat32.clone(linesep=linesep).fold_binary(name, value)
        except Exception as error:
            with pytest.raises(type(error)):
                fast.fold_binary(name, value)
        else:
            assert fast.fold_binary(name, value) == expected


def test_the_sweep_renders_each_event_once_per_batch(lead, hovedstaden, monkeypatch, mailoutbox):
    for _ in range(3):
        member_of(hovedstaden)
    events = [schedule(organiser=lead, circle=hovedstaden, title=t) for t in ("Et", "To")]
    OutgoingMail.objects.all().delete()  # the invitations
    for event in events:
        make_due(event)
    rendered = []
    render = mails.event_mail_parts

    def counting(*, event, kind):
        rendered.append(event.pk)
        return render(event=event, kind=kind)

    monkeypatch.setattr(mails, "event_mail_parts", counting)
    mailoutbox.clear()
    result = sweep(batch_size=1000)
    assert result.sent == len(mailoutbox) == sum(e.reminders.count() for e in events) > 8
    assert sorted(rendered) == sorted(e.pk for e in events)


@needs_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_sweeps_send_each_reminder_exactly_once(
    lead, hovedstaden, mailoutbox, monkeypatch
):
    # Committed at once here, and tasks run inline: no hand-off may send before the sweeps.
    monkeypatch.setattr("core.outbox.queueing.outbox_handoff", lambda: None)
    for _ in range(15):
        member_of(hovedstaden)
    event = schedule(organiser=lead, circle=hovedstaden)
    OutgoingMail.objects.all().delete()  # the invitations
    make_due(event)
    services.reminders_queue_due()
    expected = event.reminders.count()
    mailoutbox.clear()
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        try:
            barrier.wait()
            results.append(outbox_send_due(batch_size=3))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in results) == expected
    ids = [m.extra_headers["Message-ID"] for m in mailoutbox]
    assert len(ids) == len(set(ids)) == expected
    assert not event.reminders.exclude(status="sent").exists()


# --- Announcements --------------------------------------------------------------------


def test_scheduling_mails_an_invitation_to_every_invitee_once(
    lead, hovedstaden, django_capture_on_commit_callbacks, mailoutbox
):
    member_of(hovedstaden)
    with django_capture_on_commit_callbacks(execute=True):
        event = schedule(organiser=lead, circle=hovedstaden)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        event.invitees().values_list("email", flat=True)
    )
    mailoutbox.clear()
    assert outbox_send_due().sent == 0
    assert mailoutbox == []


def test_moving_sends_an_update_to_every_invitee_who_has_not_declined(
    meeting, hovedstaden, lead, django_capture_on_commit_callbacks, mailoutbox
):
    yes, maybe, no, silent = (member_of(hovedstaden) for _ in range(4))
    for member, answer in ((yes, "yes"), (maybe, "maybe"), (no, "no")):
        services.rsvp_answer(event=meeting, member=member, answer=answer)
    mailoutbox.clear()
    new_start = meeting.starts_at + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            actor=None, event=meeting, starts_at=new_start, ends_at=new_start + timedelta(hours=2)
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [yes.email, maybe.email, silent.email, lead.email]
    )
    ics = mailoutbox[0].attachments[0].get_payload(decode=True).decode()
    assert "METHOD:REQUEST" in ics and "SEQUENCE:1" in ics


def test_the_calendar_assistant_gets_the_invitations_with_consent(
    lead, hovedstaden, django_capture_on_commit_callbacks, mailoutbox
):
    member_of(
        hovedstaden,
        calendar_assistant_email="sekretaer@kommune.example",
        calendar_assistant_consent=True,
    )
    member_of(hovedstaden, calendar_assistant_email="ikke@kommune.example")
    with django_capture_on_commit_callbacks(execute=True):
        schedule(organiser=lead, circle=hovedstaden)
    recipients = {m.to[0] for m in mailoutbox}
    assert "sekretaer@kommune.example" in recipients
    assert "ikke@kommune.example" not in recipients


def test_a_broker_outage_while_scheduling_loses_nothing(
    lead, hovedstaden, django_capture_on_commit_callbacks, monkeypatch, mailoutbox
):
    from core import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.outbox_send_due_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        event = schedule(organiser=lead, circle=hovedstaden)
    assert mailoutbox == [] and event.reminders.pending().exists()
    Reminder.objects.filter(event=event).update(due_at=timezone.now() - timedelta(minutes=1))
    sweep()  # the periodic sweep, once the workers run again
    kinds = {m.subject.split(":")[0] for m in mailoutbox}
    assert kinds == {"[KOMDIR] Påmindelse", "[KOMDIR] Invitation"}


def test_the_demo_events_send_no_invitation_mails(mailoutbox):
    from circles.demo import seed_circle_memberships
    from events.demo import seed_events
    from members.demo import seed_people

    seed_circle_memberships(seed_people())
    events = seed_events()
    assert events
    assert not OutgoingMail.objects.exclude(kind="events.reminder").exists()
    assert mailoutbox == []
