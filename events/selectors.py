"""Reads for events, RSVPs and reminders."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from circles.models import Circle
from core.inputs import validate_sane_date
from core.time import COPENHAGEN, iso_or_none
from members.models import Member

from .models import RSVP, Event, EventPreferences, MinutesRevision, Reminder

# Cancelled events stay in the feeds this long, so calendars learn of the cancellation.
CANCELLED_KEPT_IN_FEEDS = timedelta(days=30)
# Past events stay in the feeds this long.
PAST_KEPT_IN_FEEDS = timedelta(days=180)
# Calendars show the year ahead; an event further off joins the feed as it comes near.
FUTURE_IN_FEEDS = timedelta(days=365)


def _with_rsvp_of(events: QuerySet[Event], member: Member) -> QuerySet[Event]:
    return events.prefetch_related(
        Prefetch(
            "rsvps",
            queryset=RSVP.objects.filter(member=member).select_related("stands_in_for"),
            to_attr="own_rsvps",
        )
    )


def _listed(events: QuerySet[Event], member: Member) -> QuerySet[Event]:
    # A correlated subquery, not Count() over a join: PostgreSQL then counts the seats of
    # the rows on the page only (from the partial index rsvp_seat_taken), instead of
    # grouping every visible event with all its answers before the LIMIT; and the
    # paginator's COUNT(*) leaves the unused subquery out, where it had to keep the join.
    # The organiser is not shown in lists, so not joined either.
    seats_taken = (
        RSVP.objects.attending()
        .filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(count=Count("*"))
        .values("count")
    )
    return _with_rsvp_of(
        events.select_related("circle").annotate(yes_count=Coalesce(Subquery(seats_taken), 0)),
        member,
    )


def visible_events(
    *, user: Member, circle: Circle | None = None, kind: str = ""
) -> QuerySet[Event]:
    """The events the user may see, filtered."""
    events = Event.objects.visible_to(user)
    if circle is not None:
        events = events.filter(circle=circle)
    if kind:
        events = events.filter(kind=kind)
    return events


def event_list(*, user: Member, circle: Circle | None = None, kind: str = "") -> QuerySet[Event]:
    """The events the user may see, filtered, with the user's own answer and the count
    of seats taken, in a fixed number of queries."""
    return _listed(visible_events(user=user, circle=circle, kind=kind), user)


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    events: list


def month_of(value: str | None) -> date | None:
    """The first day of the month in `?maaned=YYYY-MM`, or of the current month when the
    value is no month; None for a month outside the years events may have."""
    try:
        year, month = (int(part) for part in (value or "").split("-", 1))
        first = date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)
    try:
        validate_sane_date(first)
    except ValidationError:
        return None
    return first


def month_grid(*, events: QuerySet[Event], month: date) -> list[list[CalendarDay]]:
    """The weeks of the month (Monday first), each day with its events in Copenhagen time."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1] + timedelta(days=1)
    in_range = events.filter(
        starts_at__gte=datetime.combine(first, time.min, tzinfo=COPENHAGEN),
        starts_at__lt=datetime.combine(last, time.min, tzinfo=COPENHAGEN),
    ).order_by("starts_at", "pk")
    by_day: dict[date, list[Event]] = {}
    for event in in_range:
        by_day.setdefault(event.starts_at.astimezone(COPENHAGEN).date(), []).append(event)
    return [
        [CalendarDay(day, day.month == month.month, by_day.get(day, [])) for day in week]
        for week in weeks
    ]


def event_detail(*, user: Member, event_id: int) -> Event | None:
    """An event the user may see, with tags, organiser, circle and the user's answer."""
    return (
        _with_rsvp_of(Event.objects.visible_to(user), user)
        .select_related("circle", "organiser")
        .prefetch_related("tags")
        .filter(pk=event_id)
        .first()
    )


@dataclass
class Attendance:
    yes: list[RSVP]
    maybe: list[RSVP]
    no: list[RSVP]
    waitlist: list[RSVP]
    sending_deputy: list[RSVP]


def event_attendance(*, event: Event) -> Attendance:
    """Every answer to the event, grouped, the waitlist in join order; a deputy's answer
    knows whom they stand in for."""
    rsvps = list(
        RSVP.objects.filter(event=event)
        .select_related("member__municipality", "stands_in_for")
        .order_by("created_at", "pk")
    )
    waitlist = sorted((r for r in rsvps if r.waitlisted), key=lambda r: (r.waitlisted_since, r.pk))
    return Attendance(
        yes=[r for r in rsvps if r.answer == RSVP.Answer.YES and not r.waitlisted],
        maybe=[r for r in rsvps if r.answer == RSVP.Answer.MAYBE],
        no=[r for r in rsvps if r.answer == RSVP.Answer.NO],
        waitlist=waitlist,
        sending_deputy=[r for r in rsvps if r.answer == RSVP.Answer.DEPUTY],
    )


def deputy_to_send(*, member: Member) -> Member | None:
    """The member's deputy whom they can send to an event, if any."""
    return (
        Member.objects.deputy_of(member)
        .only("pk", "first_name", "last_name", "email", "anonymised_at")
        .first()
    )


REMINDER_ROWS_SHOWN = 200


def reminders_to_go(*, event: Event) -> QuerySet[Reminder]:
    """Reminders still to go out, soonest first."""
    return (
        event.reminders.filter(status__in=[Reminder.Status.PENDING, Reminder.Status.SENDING])
        .select_related("member")
        .order_by("due_at", "member__first_name", "pk")
    )


def reminder_log(*, event: Event) -> QuerySet[Reminder]:
    """Reminders sent, skipped or failed, latest first."""
    return (
        event.reminders.exclude(status__in=[Reminder.Status.PENDING, Reminder.Status.SENDING])
        .select_related("member")
        .order_by("-sent_at", "-due_at", "pk")
    )


def upcoming_for_member(*, member: Member, limit: int = 5) -> list[Event]:
    """The member's next events they have not declined, for the home page."""
    declined = RSVP.objects.filter(member=member, answer=RSVP.Answer.NO).values("event_id")
    events = (
        Event.objects.scheduled()
        .upcoming()
        .invited(member)
        .exclude(pk__in=declined)
        .select_related("circle")
    )
    return list(_with_rsvp_of(events, member)[:limit])


def _feed_window(events: QuerySet[Event]) -> QuerySet[Event]:
    now = timezone.now()
    return events.filter(
        ends_at__gte=now - PAST_KEPT_IN_FEEDS, starts_at__lte=now + FUTURE_IN_FEEDS
    ).filter(Q(status=Event.Status.SCHEDULED) | Q(cancelled_at__gte=now - CANCELLED_KEPT_IN_FEEDS))


class FeedEntry(NamedTuple):
    """An event in a feed, as far as it tells whether the event's cached VEVENT is current:
    every change goes through save(), or EventQuerySet.update(), and moves updated_at."""

    pk: int
    sequence: int
    status: str
    updated_at: datetime


def personal_feed_events(*, member: Member) -> list[FeedEntry]:
    """The member's events for their feed: those they said yes or maybe to first, then the
    others they are invited to and have not declined; cancellations kept for 30 days."""
    answers = dict(RSVP.objects.filter(member=member).values_list("event_id", "answer"))
    invited = Event.objects.invited(member).exclude(
        pk__in=[pk for pk, answer in answers.items() if answer == RSVP.Answer.NO]
    )
    events = _feed_window(invited).order_by("starts_at", "pk").values_list(*FeedEntry._fields)
    coming = (RSVP.Answer.YES, RSVP.Answer.MAYBE)
    return sorted(
        (FeedEntry(*row) for row in events), key=lambda e: answers.get(e.pk) not in coming
    )


def circle_feed_events(*, circle: Circle) -> list[FeedEntry]:
    """The circle's meetings for its feed; cancellations kept for 30 days."""
    events = _feed_window(Event.objects.filter(circle=circle)).order_by("starts_at", "pk")
    return [FeedEntry(*row) for row in events.values_list(*FeedEntry._fields)]


def feed_events_in_full(*, pks: list[int]) -> list[Event]:
    """Events by pk, with what their feed VEVENT is written from (any order; those deleted
    meanwhile are left out)."""
    return list(Event.objects.filter(pk__in=pks).order_by())


def member_by_calendar_token(*, token: str) -> Member | None:
    """The active member whose feed token this is, or None."""
    if not token or len(token) < 32:
        return None
    return Member.objects.active().filter(event_preferences__calendar_token=token).first()


def member_event_preferences(*, member) -> EventPreferences:
    """The member's meeting settings; the defaults (an unsaved row) if they chose none."""
    preferences = EventPreferences.objects.filter(member=member).first()
    return preferences or EventPreferences(member_id=member.pk)


def events_data_of_member(*, member) -> dict:
    """The member's meeting settings, RSVPs, reminders, events organised and minutes
    written for the GDPR export."""
    preferences = member_event_preferences(member=member)
    return {
        "meeting_settings": {
            "reminders_opt_out": preferences.reminders_opt_out,
            "calendar_assistant_email": preferences.calendar_assistant_email,
            "calendar_assistant_consent": preferences.calendar_assistant_consent,
            # Whether the personal calendar feed is on; the secret itself stays out of files.
            "calendar_feed": bool(preferences.calendar_token),
        },
        "rsvps": [
            {
                "event": rsvp.event.title,
                "starts_at": iso_or_none(rsvp.event.starts_at),
                "answer": rsvp.answer,
                "waitlisted": rsvp.waitlisted,
                "deputy_for": rsvp.stands_in_for.get_full_name() if rsvp.stands_in_for else None,
                "answered_at": iso_or_none(rsvp.created_at),
                "changed_at": iso_or_none(rsvp.updated_at),
            }
            for rsvp in RSVP.objects.filter(member=member).select_related("event", "stands_in_for")
        ],
        "reminders": [
            {
                "event": reminder.event.title,
                "minutes_before": reminder.offset_minutes,
                "due_at": iso_or_none(reminder.due_at),
                "status": reminder.status,
                "sent_at": iso_or_none(reminder.sent_at),
            }
            for reminder in Reminder.objects.filter(member=member).select_related("event")
        ],
        "events_organised": [
            {"title": event.title, "starts_at": iso_or_none(event.starts_at)}
            for event in Event.objects.filter(organiser=member)
        ],
        "minutes_written": [
            {
                "event": revision.event.title,
                "starts_at": iso_or_none(revision.event.starts_at),
                "saved_at": iso_or_none(revision.created_at),
                "text": revision.text,
            }
            for revision in MinutesRevision.objects.filter(author=member)
            .select_related("event")
            .order_by("created_at", "pk")
        ],
    }
