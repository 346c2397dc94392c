"""Answers to events: seats, the waitlist and its promotions, and a member's answers
withdrawn when they leave."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.outbox import Priority, mail_queue
from members.models import Member

from ..mails import (
    event_mails,
    with_assistants_of,
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


class RSVPNoDeputy(Exception):
    """The member has no deputy to send."""


# Where a member's side of an event stands: None (no yes), or (waitlisted, since).
Place = tuple[bool, object] | None


def _place(rsvp: RSVP | None) -> Place:
    if rsvp is None or rsvp.answer != RSVP.Answer.YES:
        return None
    return rsvp.waitlisted, rsvp.waitlisted_since


def _take_place(event: Event, rsvp: RSVP, place: Place) -> None:
    """A yes keeps the place held before (a seat, or a turn on the waitlist); a new yes
    takes a free seat or joins the waitlist."""
    if place is not None:
        rsvp.waitlisted, rsvp.waitlisted_since = place
        return
    full = (
        event.capacity is not None
        and RSVP.objects.filter(event=event).attending().count() >= event.capacity
    )
    rsvp.waitlisted = full
    rsvp.waitlisted_since = timezone.now() if full else None


@transaction.atomic
def rsvp_answer(*, event: Event, member: Member, answer: str) -> RSVP:
    """Record the member's answer. A yes takes a free seat or joins the waitlist; a seat
    given up goes to the first on the waitlist, who is told by mail. "I am sending my
    deputy" moves the member's place (seat or waitlist) to their deputy, who is sent the
    invitation and gets the reminders instead (capacity counts one); any other answer
    takes the place back from the deputy. The event row is locked, so two members never
    both get the last seat."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.rsvp_open:
        raise RSVPClosed
    deputy = None
    if answer == RSVP.Answer.DEPUTY:
        deputy = Member.objects.deputy_of(member).first()
        if deputy is None:
            raise RSVPNoDeputy
    rsvp = RSVP.objects.filter(event=event, member=member).first() or RSVP(
        event=event, member=member
    )
    stand_in = RSVP.objects.filter(event=event, stands_in_for=member).first()
    place = _place(stand_in) if stand_in is not None else _place(rsvp)
    replanned = [member.pk]
    if stand_in is not None and (deputy is None or stand_in.member_id != deputy.pk):
        replanned.append(stand_in.member_id)
        stand_in.delete()
        stand_in = None
    sent = None
    if deputy is not None:
        rsvp.answer = RSVP.Answer.DEPUTY
        rsvp.waitlisted, rsvp.waitlisted_since = False, None
        rsvp.save()
        if stand_in is None:
            stand_in = RSVP.objects.filter(event=event, member=deputy).first() or RSVP(
                event=event, member=deputy
            )
            stand_in.answer = RSVP.Answer.YES
            stand_in.stands_in_for = member
            _take_place(event, stand_in, place)
            stand_in.save()
            sent = deputy
        replanned.append(deputy.pk)
    else:
        rsvp.answer = answer
        if answer == RSVP.Answer.YES:
            _take_place(event, rsvp, place)
        else:
            rsvp.waitlisted, rsvp.waitlisted_since = False, None
        rsvp.save()
    gave_up_seat = place == (False, None) and answer not in (RSVP.Answer.YES, RSVP.Answer.DEPUTY)
    promoted = _promote_waitlist(event) if gave_up_seat else []
    reminders_plan(event=event, member_ids=[*replanned, *(r.member_id for r in promoted)])
    _notify_promoted(event, promoted)
    if sent is not None:
        # The deputy is an invitee from now on: they get the invitation (and, as the
        # member's stand-in, every update and reminder after it).
        mail_queue(
            mails=event_mails(
                event=event,
                kind="invitation",
                members=with_assistants_of(Member.objects.filter(pk=sent.pk)),
                with_assistants=True,
            ),
            priority=Priority.MEETING,
        )
    return rsvp


def _linked_rsvps(*, event: Event, rsvp: RSVP):
    """The answers that go with `rsvp` when it goes: a member's "I am sending my deputy"
    and the deputy's stand-in answer belong together."""
    if rsvp.answer == RSVP.Answer.DEPUTY:
        return RSVP.objects.filter(event=event, stands_in_for_id=rsvp.member_id)
    if rsvp.stands_in_for_id is not None:
        return RSVP.objects.filter(
            event=event, member_id=rsvp.stands_in_for_id, answer=RSVP.Answer.DEPUTY
        )
    return RSVP.objects.none()


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
        replanned = [member.pk]
        if rsvp is not None:
            gone = [rsvp, *_linked_rsvps(event=event, rsvp=rsvp)]
            held_seat = any(_place(r) == (False, None) for r in gone)
            replanned += [r.member_id for r in gone[1:]]
            RSVP.objects.filter(pk__in=[r.pk for r in gone]).delete()
            removed += 1
            if held_seat and not event.is_cancelled:
                promoted = _promote_waitlist(event)
        reminders_plan(event=event, member_ids=[*replanned, *(r.member_id for r in promoted)])
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
