"""Writes for events, RSVPs and reminders. Views, admin actions and tasks call these."""

import logging
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.mime.text import MIMEText
from email.policy import Compat32

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.enqueue import enqueue_on_commit
from members.models import Member

from .calendars import invitation_ics_for
from .models import RSVP, Event, MinutesRevision, Reminder, new_reminder_message_id

logger = logging.getLogger(__name__)

MAX_REMINDER_ATTEMPTS = 5
# Each claim sorts all due rows, so fewer, larger batches are cheaper; a batch must still
# be sent well within the lease (500 mails at half a second each take 250 s of 600).
REMINDER_BATCH_SIZE = 500
# Sent reminders are recorded in groups of this many, or of what was sent in this long.
REMINDER_RECORD_EVERY = 20
REMINDER_RECORD_SECONDS = 1.0
# Fields whose change makes the calendar entry different: SEQUENCE goes up.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "location", "online_url", "description")


class RSVPClosed(Exception):
    """The event takes no more answers (deadline passed, started or cancelled)."""


# --- Events ---------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
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
) -> Event:
    """Schedule an event, plan its reminders and mail the invitations after commit."""
    event = Event.objects.create(
        organiser=organiser,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        circle=circle if kind == Event.Kind.CIRCLE_MEETING else None,
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
    if tags:
        event.tags.set(list(tags))
    reminders_plan(event=event)
    from .tasks import event_announce_task

    enqueue_on_commit(event_announce_task, event.pk)
    return event


@transaction.atomic
def event_update(*, event: Event, tags: Iterable[str] | None = None, **changes) -> Event:
    """Change an event; a change to its time, place or text raises SEQUENCE, re-plans the
    reminders and mails an update to those who said yes or maybe."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if "reminder_offsets" in changes:
        changes["reminder_offsets"] = sorted(
            {int(o) for o in changes["reminder_offsets"]}, reverse=True
        )
    if "kind" in changes and changes["kind"] != Event.Kind.CIRCLE_MEETING:
        changes["circle"] = None
    calendar_changed = any(
        field in changes and getattr(event, field) != changes[field] for field in CALENDAR_FIELDS
    )
    capacity_changed = "capacity" in changes and changes["capacity"] != event.capacity
    for field, value in changes.items():
        setattr(event, field, value)
    if calendar_changed:
        event.sequence += 1
    event.save()
    if tags is not None:
        event.tags.set(list(tags))
    promoted = _promote_waitlist(event) if capacity_changed else []
    reminders_plan(event=event)
    if calendar_changed:
        from .tasks import event_announce_task

        enqueue_on_commit(event_announce_task, event.pk)
    _notify_promoted(promoted)
    return event


@transaction.atomic
def event_cancel(*, event: Event) -> Event:
    """Cancel the event: no more reminders, and a METHOD:CANCEL to everyone who has not
    declined."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        return event
    event.status = Event.Status.CANCELLED
    event.cancelled_at = timezone.now()
    event.sequence += 1
    event.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    event.reminders.filter(status=Reminder.Status.PENDING).update(status=Reminder.Status.SKIPPED)
    from .tasks import event_announce_task

    enqueue_on_commit(event_announce_task, event.pk)
    return event


@transaction.atomic
def event_minutes_save(*, event: Event, minutes: str, author: Member) -> Event:
    """Save the minutes and keep this version as a revision."""
    event.minutes = minutes
    event.save(update_fields=["minutes", "updated_at"])
    MinutesRevision.objects.create(event=event, text=minutes, author=author)
    return event


def _announcement_recipients(event: Event, *, first: bool):
    if event.is_cancelled:
        return event.invitees().exclude(
            pk__in=event.rsvps.filter(answer=RSVP.Answer.NO).values("member_id")
        )
    if first:
        return event.invitees()
    return event.invitees().filter(
        pk__in=event.rsvps.exclude(answer=RSVP.Answer.NO).values("member_id")
    )


def event_announce(*, event_id: int) -> int:
    """Mail the current SEQUENCE of the event (invitation, update or cancellation) once;
    returns how many mails went out. Safe to call twice: the second call sends nothing."""
    event = Event.objects.select_related("organiser", "circle").filter(pk=event_id).first()
    if event is None:
        return 0
    previous = event.announced_sequence
    claimed = (
        Event.objects.filter(pk=event.pk, sequence=event.sequence)
        .filter(Q(announced_sequence__isnull=True) | Q(announced_sequence__lt=event.sequence))
        .update(announced_sequence=event.sequence)
    )
    if not claimed or (event.is_cancelled and previous is None):
        return 0
    if event.is_cancelled:
        kind = "cancellation"
    elif previous is None:
        kind = "invitation"
    else:
        kind = "update"
    recipients = _announcement_recipients(event, first=previous is None)
    return _mail_many(event=event, kind=kind, recipients=recipients, with_assistants=True)


def events_announce_pending() -> int:
    """Announce every change whose queued task never ran (a broker outage, say)."""
    settled = timezone.now() - timedelta(minutes=1)
    stale = Event.objects.filter(
        Q(announced_sequence__isnull=True) | Q(announced_sequence__lt=F("sequence")),
        updated_at__lt=settled,
        ends_at__gt=timezone.now(),
    ).values_list("pk", flat=True)
    return sum(event_announce(event_id=pk) for pk in stale)


def event_invitation_resend(*, event: Event) -> int:
    """Send the current invitation again to those who said yes or maybe (and their
    calendar assistants); returns how many mails went out."""
    recipients = event.invitees().filter(
        pk__in=event.rsvps.exclude(answer=RSVP.Answer.NO).values("member_id")
    )
    return _mail_many(event=event, kind="update", recipients=recipients, with_assistants=True)


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
    _notify_promoted(promoted)
    return rsvp


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


def _notify_promoted(promoted: list[RSVP]) -> None:
    from .tasks import rsvp_promotion_notify_task

    for rsvp in promoted:
        enqueue_on_commit(rsvp_promotion_notify_task, rsvp.pk)


def rsvp_promotion_notify(*, rsvp_id: int) -> bool:
    """Tell a member that a seat has come free for them; False if it no longer applies."""
    rsvp = RSVP.objects.select_related("event__organiser", "member").filter(pk=rsvp_id).first()
    if rsvp is None or rsvp.answer != RSVP.Answer.YES or rsvp.waitlisted:
        return False
    return bool(_mail_many(event=rsvp.event, kind="promoted", recipients=[rsvp.member]))


# --- Reminders ------------------------------------------------------------------------


def reminder_recipients(*, event: Event):
    """Invitees who get reminders: not opted out, not declined, not on the waitlist."""
    return (
        event.invitees()
        .filter(reminders_opt_out=False)
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
            status=Reminder.Status.PENDING, due_at=due, claimed_at=None
        )
        moved_after_sending = list(
            at_offset.filter(member_id__in=recipient_ids, status=Reminder.Status.SENT).exclude(
                due_at=due
            )
        )
        for reminder in moved_after_sending:
            reminder.status = Reminder.Status.PENDING
            reminder.due_at = due
            reminder.sent_at = reminder.claimed_at = None
            reminder.attempts = 0
            reminder.message_id = new_reminder_message_id()
        Reminder.objects.bulk_update(
            moved_after_sending,
            ["status", "due_at", "sent_at", "claimed_at", "attempts", "message_id"],
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


@dataclass
class SweepResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0


def _reminder_lease() -> timedelta:
    return timedelta(seconds=settings.REMINDER_LEASE_SECONDS)


def _reminders_claim(*, now: datetime, batch_size: int) -> list[Reminder]:
    """Claim due rows in a short transaction: another sweep skips the locked ones and
    sees the claimed ones as `sending`; a claim older than the lease is taken again."""
    lease_expired = now - _reminder_lease()
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                Q(status=Reminder.Status.PENDING, due_at__lte=now)
                | Q(status=Reminder.Status.SENDING, claimed_at__lt=lease_expired),
                attempts__lt=MAX_REMINDER_ATTEMPTS,
                event__status=Event.Status.SCHEDULED,
                event__starts_at__gt=now,
            )
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return []
        Reminder.objects.filter(pk__in=ids).update(
            status=Reminder.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    batch = list(
        Reminder.objects.filter(pk__in=ids, claimed_at=now)
        .select_related("member")
        .order_by("due_at", "pk")
    )
    # A batch holds few events: each is fetched once and shared by its rows.
    events = Event.objects.select_related("organiser", "circle").in_bulk(
        {r.event_id for r in batch}
    )
    batch = [r for r in batch if r.event_id in events]  # an event deleted meanwhile
    for reminder in batch:
        reminder.event = events[reminder.event_id]
    return batch


def _reminders_retire(*, now: datetime) -> int:
    """Skip rows that can no longer be sent (cancelled or started events) and fail rows
    that have used up their attempts."""
    lease_expired = now - _reminder_lease()
    retired = Reminder.objects.filter(
        Q(status=Reminder.Status.PENDING)
        | Q(status=Reminder.Status.SENDING, claimed_at__lt=lease_expired),
    ).filter(Q(event__status=Event.Status.CANCELLED) | Q(event__starts_at__lte=now))
    skipped = Reminder.objects.filter(pk__in=list(retired.values_list("pk", flat=True))).update(
        status=Reminder.Status.SKIPPED
    )
    Reminder.objects.filter(
        status=Reminder.Status.SENDING,
        claimed_at__lt=lease_expired,
        attempts__gte=MAX_REMINDER_ATTEMPTS,
    ).update(status=Reminder.Status.FAILED)
    return skipped


def _still_wanted(reminder: Reminder, declined_or_waiting: set[tuple[int, int]]) -> bool:
    member = reminder.member
    return (
        member.is_active
        and member.status == Member.Status.ACTIVE
        and not member.reminders_opt_out
        and (reminder.event_id, reminder.member_id) not in declined_or_waiting
    )


def _reminders_record_sent(*, claimed: QuerySet, pks: list[int]) -> None:
    if pks:
        claimed.filter(pk__in=pks).update(
            status=Reminder.Status.SENT, sent_at=timezone.now(), last_error=""
        )


def reminders_send_due(*, batch_size: int = REMINDER_BATCH_SIZE) -> SweepResult:
    """Send every due reminder once: claim a batch, mail each recipient outside the
    transaction under the row's fixed Message-ID, record the outcomes, repeat.

    Sent rows are recorded in groups (every REMINDER_RECORD_EVERY mails or
    REMINDER_RECORD_SECONDS, and at the end of a batch), one UPDATE and commit per group
    instead of per mail. The price is the crash window: a worker killed between sending
    and recording leaves up to that many sent rows `sending`, and they go out once more,
    under the same Message-ID, when the lease has expired (instead of at most one).
    A batch still unsent at half the lease (a slow SMTP server) is handed back, so that
    no row is sent after another sweep may have taken it over."""
    result = SweepResult()
    result.skipped += _reminders_retire(now=timezone.now())
    while True:
        claim_time = timezone.now()
        batch = _reminders_claim(now=claim_time, batch_size=batch_size)
        if not batch:
            return result
        declined_or_waiting = set(
            RSVP.objects.filter(
                Q(answer=RSVP.Answer.NO) | Q(waitlisted=True),
                event_id__in={r.event_id for r in batch},
                member_id__in={r.member_id for r in batch},
            ).values_list("event_id", "member_id")
        )
        mine = Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at=claim_time)
        wanted = [r for r in batch if _still_wanted(r, declined_or_waiting)]
        unwanted = {r.pk for r in batch} - {r.pk for r in wanted}
        if unwanted:
            mine.filter(pk__in=unwanted).update(status=Reminder.Status.SKIPPED)
            result.skipped += len(unwanted)
        # Each event's text, HTML and calendar are rendered once per batch; each mail
        # adds only what is the recipient's own.
        parts: dict[int, _EventMailParts] = {}
        unrecorded: list[int] = []
        oldest_unrecorded = 0.0
        try:
            with get_connection() as connection:
                for position, reminder in enumerate(wanted):
                    if position and timezone.now() - claim_time > _reminder_lease() / 2:
                        rest = [r.pk for r in wanted[position:]]
                        mine.filter(pk__in=rest).update(
                            status=Reminder.Status.PENDING, attempts=F("attempts") - 1
                        )
                        break
                    event = reminder.event
                    if event.pk not in parts:
                        parts[event.pk] = _event_mail_parts(event=event, kind="reminder")
                    try:
                        _event_mail(
                            event=event,
                            kind="reminder",
                            member=reminder.member,
                            message_id=reminder.message_id,
                            reminder=reminder,
                            parts=parts[event.pk],
                        ).send_with(connection)
                    except Exception as error:
                        logger.warning("Reminder %s not sent: %s", reminder.pk, error)
                        gave_up = reminder.attempts >= MAX_REMINDER_ATTEMPTS
                        mine.filter(pk=reminder.pk).update(
                            status=Reminder.Status.FAILED if gave_up else Reminder.Status.PENDING,
                            last_error=str(error)[:500],
                        )
                        result.failed += 1
                        continue
                    result.sent += 1
                    if not unrecorded:
                        oldest_unrecorded = time.monotonic()
                    unrecorded.append(reminder.pk)
                    if (
                        len(unrecorded) >= REMINDER_RECORD_EVERY
                        or time.monotonic() - oldest_unrecorded >= REMINDER_RECORD_SECONDS
                    ):
                        _reminders_record_sent(claimed=mine, pks=unrecorded)
                        unrecorded = []
        finally:
            # Also when an exception ends the batch (the worker is being stopped, the
            # SMTP connection could not be closed): what was sent is recorded as sent.
            _reminders_record_sent(claimed=mine, pks=unrecorded)


def reminders_send_now(*, event: Event) -> int:
    """Make the event's pending reminders due now (admin: "send reminders now"); the
    next sweep sends them. Returns how many."""
    return event.reminders.filter(status=Reminder.Status.PENDING).update(due_at=timezone.now())


# --- Calendar feed token --------------------------------------------------------------


def calendar_token_regenerate(*, member: Member) -> str:
    """Give the member a new secret feed token (256 bits); the old feed address stops working."""
    member.calendar_token = secrets.token_urlsafe(32)
    member.save(update_fields=["calendar_token"])
    return member.calendar_token


def calendar_token_revoke(*, member: Member) -> None:
    """Switch the member's personal feed off."""
    member.calendar_token = None
    member.save(update_fields=["calendar_token"])


# --- Mail -----------------------------------------------------------------------------


class _MailPolicy(Compat32):
    """compat32 (the policy of Django's mails) with a shortcut for the common header: a
    short line of printable ASCII is written as it is, which is what compat32 makes of
    it through email.header.Header, at a third of a mail's serialisation time."""

    def fold_binary(self, name: str, value) -> bytes:
        if (
            isinstance(value, str)
            and value.isascii()
            and value.isprintable()  # no CR, LF or other line breaks, no tab
            and self.max_line_length is not None
            and len(name) + 2 + len(value) <= self.max_line_length
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


_MAIL_POLICY = _MailPolicy()


class _EventMail(EmailMultiAlternatives):
    def message(self):
        message = super().message()
        # The generator writes every part's headers with the outermost message's policy.
        message.policy = _MAIL_POLICY
        return message

    def send_with(self, connection) -> None:
        self.connection = connection
        self.send()


SUBJECTS = {
    "invitation": lambda e: _("Invitation: %(title)s") % {"title": e.title},
    "update": lambda e: _("Changed: %(title)s") % {"title": e.title},
    "cancellation": lambda e: _("Cancelled: %(title)s") % {"title": e.title},
    "reminder": lambda e: _("Reminder: %(title)s") % {"title": e.title},
    "promoted": lambda e: _("You have a seat: %(title)s") % {"title": e.title},
}


@dataclass(frozen=True)
class _EventMailParts:
    """What one kind of mail about one event says to every recipient alike."""

    subject: str
    text: str
    html: str
    ics: Callable[..., bytes]
    cancelled: bool


def _event_mail_parts(*, event: Event, kind: str) -> _EventMailParts:
    """Render the recipient-independent parts of an event's mail, once for many mails."""
    context = {
        "event": event,
        "kind": kind,
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "settings_url": settings.SITE_URL + reverse("members:profile"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        return _EventMailParts(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + SUBJECTS[kind](event),
            text=render_to_string("events/emails/event_mail_body.txt", context),
            html=render_to_string("events/emails/event_mail_body.html", context),
            ics=invitation_ics_for(event=event),
            cancelled=event.is_cancelled,
        )


def _event_mail(
    *,
    event: Event,
    kind: str,
    member: Member,
    to: str | None = None,
    message_id: str | None = None,
    reminder: Reminder | None = None,
    parts: _EventMailParts | None = None,
) -> _EventMail:
    """One Danish mail (text and HTML) to one recipient, with the event as iCalendar;
    `parts` from _event_mail_parts() for this event and kind saves rendering them again."""
    parts = parts or _event_mail_parts(event=event, kind=kind)
    context = {
        "event": event,
        "member": member,
        "for_assistant": to is not None and to != member.email,
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("events/emails/event_mail.txt", {**context, "body": parts.text})
        html = render_to_string("events/emails/event_mail.html", {**context, "body": parts.html})
    headers = {"Message-ID": message_id} if message_id else {}
    if reminder is not None:
        # Which (event, member, offset) this is, for tracing copies across retries.
        headers["X-KOMDIR-Reminder"] = f"{event.uid}/{member.pk}/{reminder.offset_minutes}"
    mail = _EventMail(subject=parts.subject, body=text, to=[to or member.email], headers=headers)
    mail.attach_alternative(html, "text/html")
    ics = parts.ics(recipient_email=member.email, recipient_name=member.get_full_name())
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", "CANCEL" if parts.cancelled else "REQUEST")
    filename = "cancel.ics" if parts.cancelled else "invite.ics"
    part.add_header("Content-Disposition", "attachment", filename=filename)
    mail.attach(part)
    return mail


def _mail_many(*, event: Event, kind: str, recipients, with_assistants: bool = False) -> int:
    """One mail per recipient (and per consenting calendar assistant) over one connection."""
    sent = 0
    parts = _event_mail_parts(event=event, kind=kind)
    with get_connection() as connection:
        for member in recipients:
            addresses = [member.email]
            if (
                with_assistants
                and member.calendar_assistant_consent
                and member.calendar_assistant_email
            ):
                addresses.append(member.calendar_assistant_email)
            for address in addresses:
                _event_mail(
                    event=event, kind=kind, member=member, to=address, parts=parts
                ).send_with(connection)
                sent += 1
    return sent
