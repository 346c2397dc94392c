"""Writes for events, RSVPs and reminders. Views, admin actions and tasks call these."""

import logging
import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.outbox import Priority, mail_fan_out, mail_queue
from members.models import Member

from .mails import (
    ANNOUNCEMENT,
    announcement_recipients,
    event_mails,
    event_snapshot,
    reminder_mail,
    with_assistants_of,
)
from .models import (
    RSVP,
    Event,
    EventPreferences,
    MinutesRevision,
    Reminder,
    new_reminder_message_id,
)

logger = logging.getLogger(__name__)

# Due reminders are moved into the outbox this many at a time.
REMINDER_BATCH_SIZE = 500
# Fields whose change makes the calendar entry different: SEQUENCE goes up.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "location", "online_url", "description")


class RSVPClosed(Exception):
    """The event takes no more answers (deadline passed, started or cancelled)."""


# --- Events ---------------------------------------------------------------------------
#
# Every write takes the acting user, keyword-only and without a default: the portal's views
# and the admin pass request.user, and the service asks events/permissions.py, so that no
# channel can schedule or change what its user may not. `actor=None` is a system action
# (seeding, a command acting for the association) and must be written out as such.

# May schedule, change, cancel or delete this event (or, unsaved, one like it).
MANAGE = "events.change_event"
WRITE_MINUTES = "events.write_minutes"


def _authorise(*, actor: Member | None, permission: str, event: Event) -> None:
    """Raise PermissionDenied unless the actor has `permission` on the event; None is the
    system."""
    if actor is not None and not actor.has_perm(permission, event):
        raise PermissionDenied


def _event_validate(event: Event) -> None:
    """The model's rules on each field, which the form and the admin meet too; relations
    and constraints are the database's to check."""
    event.full_clean(
        exclude=["circle", "organiser"], validate_unique=False, validate_constraints=False
    )


@transaction.atomic
def event_create(
    *,
    actor: Member | None,
    organiser: Member,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    circle=None,
    description: str = "",
    location: str = "",
    online_url: str = "",
    external_partners: str = "",
    tags: Iterable[str] = (),
    capacity: int | None = None,
    rsvp_deadline: date | None = None,
    agenda: str = "",
    reminder_offsets: Iterable[int] | None = None,
    announce: bool = True,
) -> Event:
    """Schedule an event if the actor may schedule one of this kind (and circle), plan its
    reminders and queue the invitations in the outbox (`announce` False for an event
    announced elsewhere, such as the demo's); a field the model refuses (a date out of
    range, say) raises ValidationError."""
    circle = circle if kind == Event.Kind.CIRCLE_MEETING else None
    _authorise(actor=actor, permission=MANAGE, event=Event(kind=kind, circle=circle))
    event = Event(
        organiser=organiser,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        circle=circle,
        description=description,
        location=location,
        online_url=online_url,
        external_partners=external_partners,
        capacity=capacity,
        rsvp_deadline=rsvp_deadline,
        agenda=agenda,
        **(
            {"reminder_offsets": sorted({int(o) for o in reminder_offsets}, reverse=True)}
            if reminder_offsets is not None
            else {}
        ),
    )
    _event_validate(event)
    event.save()
    if tags:
        event.tags.set(list(tags))
    reminders_plan(event=event)
    if announce:
        _announce(event=event, kind="invitation")
    else:
        Event.objects.filter(pk=event.pk).update(announced_sequence=event.sequence)
    return event


@transaction.atomic
def event_update(
    *, actor: Member | None, event: Event, tags: Iterable[str] | None = None, **changes
) -> Event:
    """Change an event the actor may manage (into one they may manage: a lead cannot move
    a meeting into another circle); a change to its time, place or text raises SEQUENCE,
    re-plans the reminders and mails an update to every invitee who has not declined."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _authorise(actor=actor, permission=MANAGE, event=event)
    if "reminder_offsets" in changes:
        changes["reminder_offsets"] = sorted(
            {int(o) for o in changes["reminder_offsets"]}, reverse=True
        )
    if "kind" in changes and changes["kind"] != Event.Kind.CIRCLE_MEETING:
        changes["circle"] = None
    if "kind" in changes or "circle" in changes:
        becomes = Event(
            kind=changes.get("kind", event.kind), circle=changes.get("circle", event.circle)
        )
        _authorise(actor=actor, permission=MANAGE, event=becomes)
    calendar_changed = any(
        field in changes and getattr(event, field) != changes[field] for field in CALENDAR_FIELDS
    )
    capacity_changed = "capacity" in changes and changes["capacity"] != event.capacity
    for field, value in changes.items():
        setattr(event, field, value)
    if calendar_changed:
        event.sequence += 1
    _event_validate(event)
    event.save()
    if tags is not None:
        event.tags.set(list(tags))
    promoted = _promote_waitlist(event) if capacity_changed else []
    reminders_plan(event=event)
    if calendar_changed:
        _announce(event=event, kind="update")
    _notify_promoted(event, promoted)
    return event


@transaction.atomic
def event_cancel(*, actor: Member | None, event: Event) -> Event:
    """Cancel the event: no more reminders, and a METHOD:CANCEL to everyone who has not
    declined."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _authorise(actor=actor, permission=MANAGE, event=event)
    if event.is_cancelled:
        return event
    _cancel(event=event)
    return event


def _cancel(*, event: Event, snapshot: bool = False) -> None:
    """Cancel the locked event and queue the METHOD:CANCEL mails (carrying the cancelled
    event whole if `snapshot`, for an event about to be deleted)."""
    event.status = Event.Status.CANCELLED
    event.cancelled_at = timezone.now()
    event.sequence += 1
    event.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    event.reminders.filter(status=Reminder.Status.PENDING).update(status=Reminder.Status.SKIPPED)
    mail_params = {"snapshot": event_snapshot(event)} if snapshot else {}
    _announce(event=event, kind="cancellation", **mail_params)


@transaction.atomic
def event_delete(*, actor: Member | None, event: Event) -> None:
    """Delete the event with its answers and reminders. A scheduled event that has not
    started is cancelled first, so that its invitees get a METHOD:CANCEL (rendered from
    a snapshot, the row being gone when it is sent) and their calendars drop it."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _authorise(actor=actor, permission=MANAGE, event=event)
    if not event.is_cancelled and not event.has_started:
        _cancel(event=event, snapshot=True)
    event.delete()


@transaction.atomic
def event_minutes_save(*, actor: Member | None, event: Event, minutes: str) -> Event:
    """Save the minutes, if the actor may write them, and keep this version as a revision
    by the actor."""
    _authorise(actor=actor, permission=WRITE_MINUTES, event=event)
    event.minutes = minutes
    event.save(update_fields=["minutes", "updated_at"])
    MinutesRevision.objects.create(event=event, text=minutes, author=actor)
    return event


def _announce(*, event: Event, kind: str, **mail_params) -> None:
    """Queue the event's current SEQUENCE (an invitation, update or cancellation) in the
    outbox, in the transaction of the change: one row, which a worker turns into a mail
    to every invitee who has not declined (events.mails.announcement_mails). With a
    snapshot (the event is about to be deleted) the mails are written at once, since
    nobody could be found from the event afterwards."""
    if mail_params:
        recipients = with_assistants_of(announcement_recipients(event=event))
        mail_queue(
            mails=event_mails(
                event=event, kind=kind, members=recipients, with_assistants=True, **mail_params
            ),
            priority=Priority.MEETING,
        )
    else:
        mail_fan_out(
            kind=ANNOUNCEMENT,
            params={"event": event.pk, "kind": kind, "sequence": event.sequence},
            priority=Priority.MEETING,
        )
    Event.objects.filter(pk=event.pk).update(announced_sequence=event.sequence)


@transaction.atomic
def event_invitation_resend(*, event: Event) -> None:
    """Send the current invitation again to every invitee who has not declined (and their
    calendar assistants)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _announce(event=event, kind="update")


# --- RSVP -----------------------------------------------------------------------------


@transaction.atomic
def rsvp_answer(*, event: Event, member: Member, answer: str) -> RSVP:
    """Record the member's answer. A yes takes a free seat or joins the waitlist; a seat
    given up goes to the first on the waitlist, who is told by mail. The event row is
    locked, so two members never both get the last seat."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.rsvp_open:
        raise RSVPClosed
    rsvp = RSVP.objects.filter(event=event, member=member).first()
    held_seat = bool(rsvp and rsvp.answer == RSVP.Answer.YES and not rsvp.waitlisted)
    if rsvp is None:
        rsvp = RSVP(event=event, member=member)
    already_yes = rsvp.pk is not None and rsvp.answer == RSVP.Answer.YES
    rsvp.answer = answer
    if answer != RSVP.Answer.YES:
        rsvp.waitlisted, rsvp.waitlisted_since = False, None
    elif not already_yes:
        full = (
            event.capacity is not None
            and RSVP.objects.filter(event=event).attending().count() >= event.capacity
        )
        rsvp.waitlisted = full
        rsvp.waitlisted_since = timezone.now() if full else None
    rsvp.save()
    promoted = _promote_waitlist(event) if held_seat and answer != RSVP.Answer.YES else []
    reminders_plan(event=event, member_ids=[member.pk, *(r.member_id for r in promoted)])
    _notify_promoted(event, promoted)
    return rsvp


@transaction.atomic
def rsvps_withdraw(*, member: Member, events=None) -> int:
    """Remove the member's answers to events that have not started (among `events`, or
    all): each seat given up goes to the waitlist, whose promoted members are told by mail,
    and the member's reminders for those events are planned again (so a member who is no
    longer invited has none left). Each event row is locked as rsvp_answer() locks it.
    Returns how many answers were removed."""
    upcoming = Event.objects.filter(starts_at__gt=timezone.now()).filter(
        Q(rsvps__member=member)
        | Q(
            reminders__member=member,
            reminders__status__in=[Reminder.Status.PENDING, Reminder.Status.SENDING],
        )
    )
    if events is not None:
        upcoming = upcoming.filter(
            pk__in=events.values("pk") if hasattr(events, "values") else [e.pk for e in events]
        )
    event_ids = set(upcoming.values_list("pk", flat=True))
    removed = 0
    # Locked in one order (pk), so that two withdrawals never wait on each other.
    for event in Event.objects.select_for_update().filter(pk__in=event_ids).order_by("pk"):
        rsvp = RSVP.objects.filter(event=event, member=member).first()
        promoted = []
        if rsvp is not None:
            held_seat = rsvp.answer == RSVP.Answer.YES and not rsvp.waitlisted
            rsvp.delete()
            removed += 1
            if held_seat and not event.is_cancelled:
                promoted = _promote_waitlist(event)
        reminders_plan(event=event, member_ids=[member.pk, *(r.member_id for r in promoted)])
        _notify_promoted(event, promoted)
    return removed


def member_gives_up_events(*, member: Member) -> None:
    """A member who left (or was erased): their answers to coming events go, seats move to
    the waitlist, and no reminder of theirs is sent, nor one already handed to the outbox."""
    rsvps_withdraw(member=member)
    Reminder.objects.filter(
        member=member, status__in=[Reminder.Status.PENDING, Reminder.Status.SENDING]
    ).update(status=Reminder.Status.SKIPPED)


def _promote_waitlist(event: Event) -> list[RSVP]:
    """Give free seats to the waitlist in join order; the caller holds the event lock."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - RSVP.objects.filter(event=event).attending().count()
        if free <= 0:
            return []
    waiting = RSVP.objects.filter(event=event).waitlist()
    promoted = list(waiting if free is None else waiting[:free])
    for rsvp in promoted:
        rsvp.waitlisted, rsvp.waitlisted_since = False, None
        rsvp.save(update_fields=["waitlisted", "waitlisted_since", "updated_at"])
    if promoted:
        reminders_plan(event=event, member_ids=[r.member_id for r in promoted])
    return promoted


def _notify_promoted(event: Event, promoted: list[RSVP]) -> None:
    """Tell each member promoted from the waitlist that a seat has come free for them."""
    if promoted:
        members = Member.objects.filter(pk__in=[r.member_id for r in promoted])
        mail_queue(
            mails=event_mails(event=event, kind="promoted", members=members),
            priority=Priority.MEETING,
        )


# --- Reminders ------------------------------------------------------------------------


def reminder_recipients(*, event: Event):
    """Invitees who get reminders: not opted out, not declined, not on the waitlist."""
    return (
        event.invitees()
        .exclude(event_preferences__reminders_opt_out=True)
        .exclude(
            pk__in=event.rsvps.filter(Q(answer=RSVP.Answer.NO) | Q(waitlisted=True)).values(
                "member_id"
            )
        )
    )


@transaction.atomic
def reminders_plan(*, event: Event, member_ids: Iterable[int] | None = None) -> int:
    """Bring the event's reminder rows in line with its time, offsets and answers
    (for all invitees, or only `member_ids`); returns how many rows were created.
    Due times already past when planned are skipped; sent rows stay sent unless the
    event moved, in which case they are planned again under a new Message-ID."""
    rows = Reminder.objects.filter(event=event)
    recipients = reminder_recipients(event=event)
    if member_ids is not None:
        member_ids = list(member_ids)
        rows = rows.filter(member_id__in=member_ids)
        recipients = recipients.filter(pk__in=member_ids)
    if event.is_cancelled or event.has_started:
        rows.filter(status=Reminder.Status.PENDING).update(status=Reminder.Status.SKIPPED)
        return 0
    now = timezone.now()
    recipient_ids = set(recipients.values_list("pk", flat=True))
    offsets = [int(o) for o in event.reminder_offsets]
    rows.filter(status=Reminder.Status.PENDING).exclude(offset_minutes__in=offsets).update(
        status=Reminder.Status.SKIPPED
    )
    created = 0
    # In UTC: aware arithmetic in Europe/Copenhagen would count wall-clock time, and a
    # "24 hours before" across a summer-time change would be 23 or 25 hours.
    starts_at = event.starts_at.astimezone(UTC)
    for offset in offsets:
        due = starts_at - timedelta(minutes=offset)
        at_offset = rows.filter(offset_minutes=offset)
        if due <= now:
            at_offset.filter(status=Reminder.Status.PENDING).update(status=Reminder.Status.SKIPPED)
            continue
        at_offset.filter(status=Reminder.Status.PENDING).exclude(
            member_id__in=recipient_ids
        ).update(status=Reminder.Status.SKIPPED)
        at_offset.filter(
            member_id__in=recipient_ids,
            status__in=[Reminder.Status.PENDING, Reminder.Status.SKIPPED],
        ).exclude(status=Reminder.Status.PENDING, due_at=due).update(
            status=Reminder.Status.PENDING, due_at=due
        )
        # Sent, or queued in the outbox: a mail of the old time must not count for the new
        # one. The queued mail is dropped when sent (its Message-ID is no longer the row's).
        moved_after_sending = list(
            at_offset.filter(
                member_id__in=recipient_ids,
                status__in=[Reminder.Status.SENT, Reminder.Status.SENDING],
            ).exclude(due_at=due)
        )
        for reminder in moved_after_sending:
            reminder.status = Reminder.Status.PENDING
            reminder.due_at = due
            reminder.sent_at = None
            reminder.attempts = 0
            reminder.message_id = new_reminder_message_id()
        Reminder.objects.bulk_update(
            moved_after_sending,
            ["status", "due_at", "sent_at", "attempts", "message_id"],
            batch_size=500,
        )
        planned = set(at_offset.values_list("member_id", flat=True))
        missing = [
            Reminder(event=event, member_id=member_id, offset_minutes=offset, due_at=due)
            for member_id in sorted(recipient_ids - planned)
        ]
        Reminder.objects.bulk_create(missing, batch_size=1000, ignore_conflicts=True)
        created += len(missing)
    return created


def _reminders_retire(*, now: datetime) -> int:
    """Skip planned reminders that can no longer be sent (cancelled or started events)."""
    retired = Reminder.objects.filter(status=Reminder.Status.PENDING).filter(
        Q(event__status=Event.Status.CANCELLED) | Q(event__starts_at__lte=now)
    )
    return Reminder.objects.filter(pk__in=list(retired.values_list("pk", flat=True))).update(
        status=Reminder.Status.SKIPPED
    )


def reminders_queue_due(*, batch_size: int = REMINDER_BATCH_SIZE) -> int:
    """Move every due reminder into the outbox, each once and under its own Message-ID;
    the outbox sends it (or drops it if, by then, it is no longer wanted) and the row
    follows its mail to sent, skipped or failed. Returns how many were queued."""
    now = timezone.now()
    _reminders_retire(now=now)
    queued = 0
    while True:
        with transaction.atomic():
            batch = list(
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    status=Reminder.Status.PENDING,
                    due_at__lte=now,
                    event__status=Event.Status.SCHEDULED,
                    event__starts_at__gt=now,
                )
                .select_related("member")
                .order_by("due_at", "pk")[:batch_size]
            )
            if not batch:
                return queued
            mail_queue(mails=[reminder_mail(r) for r in batch], priority=Priority.MEETING)
            Reminder.objects.filter(pk__in=[r.pk for r in batch]).update(
                status=Reminder.Status.SENDING
            )
        queued += len(batch)


def reminders_send_now(*, event: Event) -> int:
    """Make the event's pending reminders due now and queue them (admin: "send reminders
    now"). Returns how many."""
    event.reminders.filter(status=Reminder.Status.PENDING).update(due_at=timezone.now())
    return reminders_queue_due()


# --- The member's own settings: reminders, calendar assistant, feed token ----------------


def _preferences_write(*, member: Member, **values) -> None:
    """Write the member's settings: an update of their row, or its insert on the first write
    (a member without a row has the defaults)."""
    if EventPreferences.objects.filter(member=member).update(**values):
        return
    try:
        with transaction.atomic():
            EventPreferences.objects.create(member=member, **values)
    except IntegrityError:  # a request of theirs created the row a moment ago
        EventPreferences.objects.filter(member=member).update(**values)


def event_preferences_update(
    *,
    member: Member,
    reminders_opt_out: bool,
    calendar_assistant_email: str,
    calendar_assistant_consent: bool,
) -> None:
    """Save the member's meeting settings, all three (the form's); an assistant receives
    nothing without consent."""
    consent = bool(calendar_assistant_email and calendar_assistant_consent)
    _preferences_write(
        member=member,
        reminders_opt_out=reminders_opt_out,
        calendar_assistant_email=calendar_assistant_email if consent else "",
        calendar_assistant_consent=consent,
    )


def event_preferences_forget(*, member: Member) -> None:
    """Erasure: the member's settings, the assistant's address and the feed token go."""
    EventPreferences.objects.filter(member=member).delete()


def calendar_token_regenerate(*, member: Member) -> str:
    """Give the member a new secret feed token (256 bits); the old feed address stops working."""
    token = secrets.token_urlsafe(32)
    _preferences_write(member=member, calendar_token=token)
    return token


def calendar_token_revoke(*, member: Member) -> None:
    """Switch the member's personal feed off."""
    EventPreferences.objects.filter(member=member).update(calendar_token=None)
