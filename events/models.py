import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, F, Q, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from core.inputs import validate_sane_date
from core.time import COPENHAGEN, moment_text

# Offsets before the start, in minutes: 7 days and 24 hours unless the organiser chooses.
DEFAULT_REMINDER_OFFSETS = [7 * 24 * 60, 24 * 60]


# An event's length, as the event_duration index has it.
EVENT_LENGTH = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=models.DurationField())


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


# What calendars._vevent writes a feed's VEVENT from, besides pk and updated_at.
VEVENT_FIELDS = frozenset(
    {"uid", "sequence", "status", "starts_at", "ends_at", "title", "description", "location"}
)


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # updated_at is the version by which the feeds cache each event's VEVENT
        # (calendars.feed_ics); a bulk change to what a VEVENT shows moves it, as save() does.
        if kwargs.keys() & VEVENT_FIELDS and "updated_at" not in kwargs:
            kwargs["updated_at"] = timezone.now()
        return super().update(**kwargs)

    def scheduled(self):
        return self.filter(status=Event.Status.SCHEDULED)

    def upcoming(self):
        """Events that have not ended yet, soonest first."""
        now = timezone.now()
        # No event that has not ended can have started before now minus the longest
        # event's length (one lookup in the event_duration index). Said outright, that
        # lets PostgreSQL start the walk in starts_at order there, instead of stepping
        # over every past event first.
        longest = (
            Event.objects.order_by()
            .annotate(length=EVENT_LENGTH)
            .order_by("-length")
            .values("length")[:1]
        )
        earliest_start = ExpressionWrapper(
            Value(now) - Subquery(longest), output_field=models.DateTimeField()
        )
        return self.filter(ends_at__gte=now, starts_at__gte=earliest_start).order_by(
            "starts_at", "pk"
        )

    def past(self):
        """Events that have ended, latest first."""
        now = timezone.now()
        # starts_at < now follows from ends_at < now (ends_after_start); said outright, it
        # lets PostgreSQL walk the starts_at index backwards from now and stop after a
        # page, instead of stepping over every upcoming event first.
        return self.filter(ends_at__lt=now, starts_at__lt=now).order_by("-starts_at", "-pk")

    def visible_to(self, user):
        """Events the user is invited to; the board and staff see all."""
        from members.permissions import is_board

        if not user.is_authenticated:
            return self.none()
        if user.is_staff or is_board(user):
            return self
        from circles.models import CircleMembership

        own_circles = CircleMembership.objects.filter(member=user).values("circle_id")
        return self.filter(~Q(kind=Event.Kind.CIRCLE_MEETING) | Q(circle_id__in=own_circles))

    def invited(self, member):
        """The events `member` is invited to (Event.invitees' rule, from the member's side):
        their circles' meetings and the association-wide events; for a deputy, only the
        events their member sent them to."""
        if member.is_deputy:
            return self.filter(
                pk__in=RSVP.objects.filter(member=member, stands_in_for__isnull=False).values(
                    "event_id"
                )
            )
        from circles.models import CircleMembership

        own_circles = CircleMembership.objects.filter(member=member).values("circle_id")
        return self.filter(~Q(kind=Event.Kind.CIRCLE_MEETING) | Q(circle_id__in=own_circles))


class Event(models.Model):
    """A circle meeting, general assembly or professional event; times are stored in UTC."""

    class Kind(models.TextChoices):
        CIRCLE_MEETING = "circle_meeting", _("Circle meeting")
        GENERAL_ASSEMBLY = "general_assembly", _("General assembly")
        PROFESSIONAL = "professional", _("Professional event")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"), validators=[validate_sane_date])
    ends_at = models.DateTimeField(_("ends"), validators=[validate_sane_date])
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    circle = models.ForeignKey(
        "circles.Circle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("circle"),
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="organised_events",
        verbose_name=_("organiser"),
    )
    external_partners = models.TextField(_("external partners"), blank=True)
    tags = TaggableManager(_("tags"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    rsvp_deadline = models.DateField(
        _("RSVP deadline"), null=True, blank=True, validators=[validate_sane_date]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    # The SEQUENCE whose invitation, update or cancellation has gone out by mail.
    announced_sequence = models.IntegerField(
        _("announced version"), null=True, blank=True, editable=False
    )
    reminder_offsets = models.JSONField(
        _("reminders (minutes before the start)"), default=default_reminder_offsets
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["starts_at"]),
            models.Index(fields=["ends_at"]),
            models.Index(fields=["kind", "starts_at"]),
            # The longest event's length, for upcoming().
            models.Index(EVENT_LENGTH.desc(), name="event_duration"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(kind="circle_meeting") | Q(circle__isnull=False),
                name="circle_meeting_has_circle",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def rsvp_closes_at(self) -> datetime | None:
        """A deadline date closes at the end of that day, Copenhagen time."""
        if self.rsvp_deadline is None:
            return None
        next_day = self.rsvp_deadline + timedelta(days=1)
        return datetime.combine(next_day, time.min, tzinfo=COPENHAGEN)

    @property
    def rsvp_open(self) -> bool:
        if self.is_cancelled or self.has_started:
            return False
        closes = self.rsvp_closes_at
        return closes is None or timezone.now() < closes

    def invitees(self):
        """The circle's counted members for a circle meeting; all counted members otherwise
        (a deputy is not invited on their own: Member.objects.counted()); and the deputies
        members sent in their place (their RSVP stands in for the member)."""
        from members.models import Member, counted_member_q

        invited = counted_member_q()
        if self.kind == self.Kind.CIRCLE_MEETING:
            invited &= Q(
                pk__in=Member.objects.filter(circle_memberships__circle_id=self.circle_id).values(
                    "pk"
                )
            )
        sent = RSVP.objects.filter(event_id=self.pk, stands_in_for__isnull=False)
        return Member.objects.active().filter(invited | Q(pk__in=sent.values("member_id")))


class EventTextRevision(models.Model):
    """A text of an event (its agenda, its minutes) as it was saved, one row per save:
    the history the organiser reads, compares and restores from."""

    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        if self.created_at is None:
            return str(self.event)
        return f"{self.event}, {moment_text(self.created_at, 'SHORT_DATETIME_FORMAT')}"


class MinutesRevision(EventTextRevision):
    """The minutes as they were saved, one row per save."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="minutes_revisions", verbose_name=_("event")
    )

    class Meta(EventTextRevision.Meta):
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")


class AgendaRevision(EventTextRevision):
    """The agenda as it was saved, one row per change."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="agenda_revisions", verbose_name=_("event")
    )

    class Meta(EventTextRevision.Meta):
        verbose_name = _("agenda revision")
        verbose_name_plural = _("agenda revisions")


class RSVPQuerySet(models.QuerySet):
    def attending(self):
        """Yes answers that hold a seat."""
        return self.filter(answer=RSVP.Answer.YES, waitlisted=False)

    def sending_deputy(self):
        """Members who send their deputy in their place."""
        return self.filter(answer=RSVP.Answer.DEPUTY)

    def waitlist(self):
        """The waitlist in join order."""
        return self.filter(answer=RSVP.Answer.YES, waitlisted=True).order_by(
            "waitlisted_since", "pk"
        )


class RSVP(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("No")
        # The member's deputy goes instead: the deputy's own RSVP (stands_in_for) holds
        # the seat and gets the mails and reminders.
        DEPUTY = "deputy", _("I am sending my deputy")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="rsvps", verbose_name=_("event")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="rsvps",
        verbose_name=_("member"),
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    stands_in_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stand_in_rsvps",
        verbose_name=_("deputy for"),
        help_text=_("The member who sent this deputy in their place."),
    )
    waitlisted = models.BooleanField(_("on the waitlist"), default=False)
    waitlisted_since = models.DateTimeField(_("on the waitlist since"), null=True, blank=True)
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = RSVPQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="one_rsvp_per_member"),
            models.UniqueConstraint(
                fields=["event", "stands_in_for"],
                condition=Q(stands_in_for__isnull=False),
                name="one_deputy_per_member_and_event",
            ),
        ]
        indexes = [
            # The seats taken per event, for the event lists: only the rows that count, so
            # the count reads the index (and, once vacuumed, not the table).
            models.Index(
                fields=["event"],
                condition=Q(answer="yes", waitlisted=False),
                name="rsvp_seat_taken",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_answer_display()}"

    @property
    def stand_in_label(self) -> str:
        """ "deputy for <name>" on a deputy's stand-in answer (stands_in_for loaded), else
        empty."""
        if self.stands_in_for_id is None:
            return ""
        return _("deputy for %(name)s") % {"name": self.stands_in_for.get_full_name()}


def new_reminder_message_id() -> str:
    return f"<reminder-{uuid.uuid4()}@komdir>"


class ReminderQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Reminder.Status.PENDING)


class Reminder(models.Model):
    """One reminder of one member about one event at one offset; the database row is
    the truth, a Celery sweep only does the sending."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("event")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("member"),
    )
    offset_minutes = models.PositiveIntegerField(_("minutes before the start"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Decided when the row is created, so that a retry after a crash is the same message.
    message_id = models.CharField(
        _("Message-ID"), max_length=100, unique=True, default=new_reminder_message_id
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member", "offset_minutes"], name="one_reminder_per_offset"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.member} ({self.offset_minutes} min)"


class EventPreferences(models.Model):
    """A member's own settings for meetings: reminders, a calendar assistant, the secret of
    the personal calendar feed. A member without a row has the defaults."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_preferences",
        verbose_name=_("member"),
    )
    reminders_opt_out = models.BooleanField(
        _("no reminders before meetings"),
        default=False,
        help_text=_(
            "You still receive invitations, changes and cancellations, "
            "only not the reminders before a meeting."
        ),
    )
    calendar_assistant_email = models.EmailField(
        _("calendar assistant's email address"),
        blank=True,
        help_text=_("Receives the same invitations and updates as you, e.g. your secretary."),
    )
    calendar_assistant_consent = models.BooleanField(
        _("the assistant may receive my invitations"), default=False
    )
    # The secret of the personal calendar feed; None means no feed.
    calendar_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")

    def __str__(self) -> str:
        return str(self.member)
