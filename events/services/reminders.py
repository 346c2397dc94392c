"""Reminders: the plan of rows per (event, member, offset), and due rows moved into
the outbox, which sends them."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.outbox import Priority, mail_queue

from ..mails import reminder_mail, reminder_recipients
from ..models import (
    Event,
    Reminder,
    new_reminder_message_id,
)

# Due reminders are moved into the outbox this many at a time.
REMINDER_BATCH_SIZE = 500


# --- Reminders ------------------------------------------------------------------------


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
