"""Scheduling events: create, change, cancel, delete, minutes, and the announcements
they queue in the outbox."""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.outbox import Priority, mail_fan_out, mail_queue
from members.models import Member

from ..mails import (
    ANNOUNCEMENT,
    announcement_mail_list,
    event_snapshot,
)
from ..models import (
    AgendaRevision,
    Event,
    MinutesRevision,
    Reminder,
)
from .reminders import reminders_plan
from .rsvp import _notify_promoted, _promote_waitlist

# Fields whose change makes the calendar entry different: SEQUENCE goes up.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "location", "online_url", "description")


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
    if agenda:
        AgendaRevision.objects.create(event=event, text=agenda, author=actor or organiser)
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
    agenda_changed = "agenda" in changes and changes["agenda"] != event.agenda
    for field, value in changes.items():
        setattr(event, field, value)
    if calendar_changed:
        event.sequence += 1
    _event_validate(event)
    event.save()
    if agenda_changed:
        AgendaRevision.objects.create(event=event, text=event.agenda, author=actor)
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
    _announce(
        event=event, kind="cancellation", snapshot=event_snapshot(event) if snapshot else None
    )


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


@transaction.atomic
def event_text_restore(
    *, actor: Member | None, event: Event, revision: AgendaRevision | MinutesRevision
) -> Event:
    """Make an earlier version of the event's agenda or minutes the current one, through
    the same path as an edit (so the restore is a revision of its own, by the actor)."""
    if revision.event_id != event.pk:
        raise PermissionDenied
    if isinstance(revision, AgendaRevision):
        return event_update(actor=actor, event=event, agenda=revision.text)
    return event_minutes_save(actor=actor, event=event, minutes=revision.text)


def _announce(*, event: Event, kind: str, snapshot: dict | None = None) -> None:
    """Queue the event's current SEQUENCE (an invitation, update or cancellation) in the
    outbox, in the transaction of the change: one row, which a worker turns into a mail
    to every invitee who has not declined (events.mails.announcement_mails). With a
    snapshot (the event is about to be deleted) the mails are written at once, since
    nobody could be found from the event afterwards."""
    if snapshot is not None:
        mail_queue(
            mails=announcement_mail_list(event=event, kind=kind, snapshot=snapshot),
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
