"""Reads for events, RSVPs and reminders."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from circles.models import Circle
from core.diff import word_diff
from core.inputs import validate_sane_date
from core.time import COPENHAGEN, iso_or_none, short_day_writer, time_writer
from members.models import Member

from .models import RSVP, AgendaRevision, Event, EventPreferences, MinutesRevision, Reminder

# Cancelled events stay in the feeds this long, so calendars learn of the cancellation.
CANCELLED_KEPT_IN_FEEDS = timedelta(days=30)
# Past events stay in the feeds this long.
PAST_KEPT_IN_FEEDS = timedelta(days=180)
# Calendars show the year ahead; an event further off joins the feed as it comes near.
FUTURE_IN_FEEDS = timedelta(days=365)
# An invitation the member has not answered joins their personal feed this long ahead,
# and leaves it once the event is over: a feed of the events they are coming to, with
# the invitations that are near, not every association-wide event of the year.
UNANSWERED_AHEAD_IN_FEEDS = timedelta(days=90)


def _with_rsvp_of(events: QuerySet[Event], member: Member) -> QuerySet[Event]:
    return events.prefetch_related(
        Prefetch(
            "rsvps",
            queryset=RSVP.objects.filter(member=member).select_related("stands_in_for"),
            to_attr="own_rsvps",
        )
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


class EventRow(NamedTuple):
    """An event as a row of the event list shows it: every value ready to print, worked
    out once here rather than by filters and lookups in each cell."""

    pk: int
    url: str
    title: str
    cancelled: bool
    day: str
    times: str
    kind: str
    circle: str
    place: str
    answer: str
    seats: str


DASH = "\N{EN DASH}"  # between two times of day, and for no answer

ROW_COLUMNS = (
    "id",
    "title",
    "status",
    "starts_at",
    "ends_at",
    "kind",
    "circle__name",
    "location",
    "capacity",
    "yes_count",
    "own_answer",
    "own_waitlisted",
)


def event_row_values(events: QuerySet[Event], *, member: Member) -> QuerySet:
    """`events` as plain rows of ROW_COLUMNS: the member's own answer and the seats taken
    as correlated subqueries of each row, no model instances, no prefetch."""
    seats_taken = (
        RSVP.objects.attending()
        .filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(count=Count("*"))
        .values("count")
    )
    own = RSVP.objects.filter(event=OuterRef("pk"), member=member).order_by()
    return events.annotate(
        yes_count=Coalesce(Subquery(seats_taken), 0),
        own_answer=Subquery(own.values("answer")[:1]),
        own_waitlisted=Subquery(own.values("waitlisted")[:1]),
    ).values(*ROW_COLUMNS)


def event_rows(rows) -> list[EventRow]:
    """EventRows of rows from event_row_values(), in the active language."""
    kinds = dict(Event.Kind.choices)
    answers = {**dict(RSVP.Answer.choices), None: DASH}
    waitlist, online, cancelled = _("Waitlist"), _("Online"), Event.Status.CANCELLED
    of_capacity = _("%(taken)s of %(capacity)s")
    # The day and the times as the list formats write them, looked up once for all rows.
    short_day, short_time = short_day_writer(), time_writer()
    # The detail address once, its id filled in per row: reverse() for each row of a
    # hundred would be a tenth of the page's time.
    detail = reverse("events:detail", args=[0]).removesuffix("0/")
    listed = []
    for row in rows:
        starts = row["starts_at"].astimezone(COPENHAGEN)
        ends = row["ends_at"].astimezone(COPENHAGEN)
        taken, capacity = row["yes_count"], row["capacity"]
        listed.append(
            EventRow(
                pk=row["id"],
                url=f"{detail}{row['id']}/",
                title=row["title"],
                cancelled=row["status"] == cancelled,
                day=short_day(starts),
                times=f"{short_time(starts)}{DASH}{short_time(ends)}",
                kind=kinds.get(row["kind"], row["kind"]),
                circle=row["circle__name"] or "",
                place=row["location"] or online,
                answer=waitlist if row["own_waitlisted"] else answers[row["own_answer"]],
                seats=(
                    of_capacity % {"taken": taken, "capacity": capacity} if capacity else str(taken)
                ),
            )
        )
    return listed


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
    """The member's events for their feed: those they said yes or maybe to (from 180 days
    back to a year ahead) first, then the invitations they have not answered that have
    not ended and start within 90 days; cancellations kept for 30 days."""
    answers = dict(RSVP.objects.filter(member=member).values_list("event_id", "answer"))
    coming = (RSVP.Answer.YES, RSVP.Answer.MAYBE)
    invited = Event.objects.invited(member).exclude(
        pk__in=[pk for pk, answer in answers.items() if answer == RSVP.Answer.NO]
    )
    now = timezone.now()
    near = Q(ends_at__gte=now, starts_at__lte=now + UNANSWERED_AHEAD_IN_FEEDS)
    events = (
        _feed_window(invited)
        .filter(near | Q(pk__in=[pk for pk, answer in answers.items() if answer in coming]))
        .order_by("starts_at", "pk")
        .values_list(*FeedEntry._fields)
    )
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
    """The member's meeting settings, RSVPs, reminders, events organised, and minutes and
    agendas written, for the GDPR export."""
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
        "agendas_written": [
            {
                "event": revision.event.title,
                "starts_at": iso_or_none(revision.event.starts_at),
                "saved_at": iso_or_none(revision.created_at),
                "text": revision.text,
            }
            for revision in AgendaRevision.objects.filter(author=member)
            .select_related("event")
            .order_by("created_at", "pk")
        ],
    }


HISTORY_SHOWN = 25  # versions of each text on the history page


@dataclass
class TextVersion:
    """One saved version of an event's text, with what changed since the one before it
    (core/diff.py; for the oldest shown, what it held)."""

    revision: AgendaRevision | MinutesRevision
    changes: list
    is_first: bool  # the first version saved: `changes` are all it held


def _versions(revisions) -> list[TextVersion]:
    rows = list(revisions.select_related("author")[: HISTORY_SHOWN + 1])
    versions = []
    for index, newer in enumerate(rows):
        older = rows[index + 1] if index + 1 < len(rows) else None
        before = older.text.splitlines() if older else []
        changes = word_diff(before, newer.text.splitlines())
        versions.append(TextVersion(newer, changes, is_first=older is None))
    return versions[:HISTORY_SHOWN]


def event_text_history(*, event: Event) -> dict[str, list[TextVersion]]:
    """The newest versions of the event's agenda and minutes, newest first, each with its
    changes: two queries."""
    return {
        "agenda": _versions(event.agenda_revisions.all()),
        "minutes": _versions(event.minutes_revisions.all()),
    }


def event_text_revision(*, event: Event, kind: str, revision_id: int):
    """A saved version of the event's agenda ("agenda") or minutes, or None."""
    revisions = {"agenda": event.agenda_revisions, "minutes": event.minutes_revisions}.get(kind)
    return revisions.filter(pk=revision_id).first() if revisions is not None else None
