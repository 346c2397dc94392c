"""The general assembly (generalforsamling) as the statutes run it: an event of kind general
assembly with its notice period and deadline for motions, an agenda of ordered items with
their documents, the motions and candidacies members submit, the proxies (fuldmagter)
they give, the attendance on the day, each item's decision and elections, and the minutes
the chair (dirigent) approves.

One vote per member municipality: who carries it is worked out from the attendance, the
deputies (members.Member.deputy_for) and the proxies by assemblies.selectors.votes."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.inputs import validate_one_line
from core.time import moment_text
from documents.models import Document
from events.models import Event

NOTICE_DAYS = 28  # four weeks
MOTION_DAYS = 14
PROXY_LIMIT = 1


class Assembly(models.Model):
    """The assembly of one general-assembly event."""

    event = models.OneToOneField(
        Event,
        on_delete=models.CASCADE,
        related_name="assembly",
        limit_choices_to={"kind": Event.Kind.GENERAL_ASSEMBLY},
        verbose_name=_("event"),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("notice (days before)"),
        default=NOTICE_DAYS,
        help_text=_("The statutes' notice period: the notice goes out at least this long before."),
    )
    motion_days = models.PositiveSmallIntegerField(
        _("deadline for motions (days before)"), default=MOTION_DAYS
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum (votes)"),
        null=True,
        blank=True,
        help_text=_("Votes present or represented that the assembly needs; empty: none."),
    )
    proxy_limit = models.PositiveSmallIntegerField(
        _("proxies a member may hold"), default=PROXY_LIMIT
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair (dirigent)"),
    )
    notice_sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True)
    motions_published_at = models.DateTimeField(_("motions published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("general assembly")
        verbose_name_plural = _("general assemblies")

    def __str__(self) -> str:
        return str(self.event)

    @property
    def notice_due(self):
        """The latest moment the statutes allow the notice to go out."""
        return self.event.starts_at - timedelta(days=self.notice_days)

    @property
    def motion_deadline(self):
        """Motions must be in before this moment."""
        return self.event.starts_at - timedelta(days=self.motion_days)


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        CHAIR = "chair", _("Election of the chair")
        REPORT = "report", _("The board's report")
        ACCOUNTS = "accounts", _("Accounts")
        MOTIONS = "motions", _("Motions received")
        FEE = "fee", _("Membership fee")
        BOARD_ELECTION = "board_election", _("Election to the board")
        AUDITOR_ELECTION = "auditor_election", _("Election of auditor")
        ANY_OTHER = "any_other", _("Any other business")
        OTHER = "other", _("Other item")

    ELECTIONS = (Kind.BOARD_ELECTION, Kind.AUDITOR_ELECTION)

    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, related_name="items", verbose_name=_("assembly")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    description = models.TextField(_("description"), blank=True)
    # The item points to its documents (the annual report, the accounts, the budget);
    # a document never knows of the agenda.
    documents = models.ManyToManyField(
        Document, blank=True, related_name="+", verbose_name=_("documents")
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["assembly", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def is_election(self) -> bool:
        return self.kind in self.ELECTIONS


class Motion(models.Model):
    """A motion (indkomne forslag) a member submits before the deadline."""

    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, related_name="motions", verbose_name=_("assembly")
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    text = models.TextField(_("motion"))
    reasoning = models.TextField(_("reasoning"), blank=True)
    board_recommendation = models.TextField(_("the board's recommendation"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["assembly", "submitted_at", "pk"]
        verbose_name = _("motion")
        verbose_name_plural = _("motions")

    def __str__(self) -> str:
        return self.title


class Candidacy(models.Model):
    """A member standing for election under an election item."""

    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="candidacies",
        verbose_name=_("election"),
        limit_choices_to={"kind__in": AgendaItem.ELECTIONS},
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("candidate"),
    )
    statement = models.TextField(_("statement"), blank=True)
    created_at = models.DateTimeField(_("announced"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["item", "created_at", "pk"]
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "member"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_candidacy_per_election",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.item}"


class Proxy(models.Model):
    """A written proxy (fuldmagt): `giver` lets `holder` carry their vote."""

    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, related_name="proxies", verbose_name=_("assembly")
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("given by"),
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("held by"),
    )
    created_at = models.DateTimeField(_("given"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["assembly", "created_at", "pk"]
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "giver"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_proxy_per_giver",
            ),
            models.CheckConstraint(
                condition=~Q(giver=models.F("holder")), name="proxy_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.holder}"


class Attendance(models.Model):
    """A person checked in on the day: a member, a deputy or a proxy holder."""

    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("assembly")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("present"),
    )
    checked_in_at = models.DateTimeField(_("checked in"), auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        ordering = ["assembly", "checked_in_at", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["assembly", "member"], name="checked_in_once")
        ]

    def __str__(self) -> str:
        return str(self.member)


class Decision(models.Model):
    """What the assembly decided under an agenda item (or on one of its motions)."""

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        NOTED = "noted", _("Noted")
        ELECTED = "elected", _("Elected")

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("item")
    )
    motion = models.ForeignKey(
        Motion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("motion"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_blank = models.PositiveSmallIntegerField(_("blank votes"), null=True, blank=True)
    text = models.TextField(_("decision"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["item", "recorded_at", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.item}: {self.get_outcome_display()}"


class Election(models.Model):
    """Who an election decision elected, to what and for which term."""

    class Role(models.TextChoices):
        BOARD_MEMBER = "board_member", _("Board member")
        BOARD_ALTERNATE = "board_alternate", _("Alternate to the board")
        CHAIR_OF_BOARD = "chair_of_board", _("Chair of the board")
        AUDITOR = "auditor", _("Auditor")
        ASSEMBLY_CHAIR = "assembly_chair", _("Chair of the assembly")

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="elections", verbose_name=_("decision")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("elected"),
    )
    # The name as elected, kept when the member's account is erased (the minutes are the
    # association's record) and for an auditor who is no member.
    name = models.CharField(_("name"), max_length=200, validators=[validate_one_line])
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    term_until = models.DateField(_("term until"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied to the board group"), null=True, blank=True)

    class Meta:
        ordering = ["decision", "pk"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def __str__(self) -> str:
        return f"{self.name}: {self.get_role_display()}"


class Minutes(models.Model):
    """The assembly's minutes: a Markdown draft with revisions until the chair approves
    it, which freezes it; then published to members."""

    assembly = models.OneToOneField(
        Assembly, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("assembly")
    )
    text = models.TextField(_("minutes"), blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.assembly)

    @property
    def is_frozen(self) -> bool:
        return self.approved_at is not None


class MinutesVersion(models.Model):
    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="versions", verbose_name=_("minutes")
    )
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
        ordering = ["minutes", "-created_at", "-pk"]
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")

    def __str__(self) -> str:
        if self.created_at is None:
            return str(self.minutes)
        return f"{self.minutes} ({moment_text(self.created_at, 'SHORT_DATETIME_FORMAT')})"
