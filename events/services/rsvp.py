"""Answers to events: seats, the waitlist and its promotions, and a member's answers
withdrawn when they leave."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.outbox import Priority, mail_queue
from members.models import Member

from ..mails import (
    event_mails,
)
from ..models import (
    RSVP,
    Event,
    Reminder,
)
from .reminders import reminders_plan


class RSVPClosed(Exception):
    """The event takes no more answers (deadline passed, started or cancelled)."""


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
