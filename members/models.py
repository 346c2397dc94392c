import hashlib
import secrets

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.PositiveSmallIntegerField(_("region code"), unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.PositiveSmallIntegerField(_("municipality code"), unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


def active_member_q(prefix: str = "") -> models.Q:
    """THE rule for a member who may use the portal, also through a relation: for
    memberships, active_member_q("member__")."""
    return models.Q(**{f"{prefix}is_active": True, f"{prefix}status": Member.Status.ACTIVE})


def counted_member_q(prefix: str = "") -> models.Q:
    """THE rule for a member who counts as one of the association's members: active and
    not a deputy (a deputy stands in for a member and is never counted, nor invited, on
    their own), also through a relation: counted_member_q("member__")."""
    return active_member_q(prefix) & models.Q(**{f"{prefix}is_deputy": False})


class MemberQuerySet(models.QuerySet):
    def active(self):
        """Members who may use the portal."""
        return self.filter(active_member_q())

    def counted(self):
        """The association's members who count: active members who are not deputies (the
        rule of every count, meeting invitation and "all members")."""
        return self.filter(counted_member_q())

    def deputies(self):
        """Members' deputies (linked or not)."""
        return self.filter(is_deputy=True)

    def deputy_of(self, member):
        """The member's linked deputy, if active (whom the member can send to an event)."""
        return self.active().filter(deputy_for=member)

    def search(self, query: str):
        """Members whose name, job title or municipality contains every word of the query
        (at most the first five words, so a pasted essay stays a cheap query)."""
        qs = self
        for word in query.split()[:5]:
            # The municipalities as a subquery of their own small table, not a join: the
            # condition is then on the member's row alone, and PostgreSQL can walk the
            # directory's name index and stop at the first page's members.
            municipalities = Municipality.objects.filter(name__icontains=word).values("pk")
            qs = qs.filter(
                models.Q(first_name__icontains=word)
                | models.Q(last_name__icontains=word)
                | models.Q(job_title__icontains=word)
                | models.Q(municipality_id__in=municipalities)
            )
        return qs

    def for_directory(self):
        """Active members with what the directory shows, in name order."""
        return (
            self.active()
            .select_related("municipality__region", "deputy_for")
            .order_by("first_name", "last_name", "pk")
        )


class MemberManager(BaseUserManager.from_queryset(MemberQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        member = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class Member(AbstractBaseUser, PermissionsMixin):
    """A member of KOMDIR; the email address is the login."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        FORMER = "former", _("Former member")

    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("municipality"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    status = models.CharField(
        _("membership status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    member_since = models.DateField(_("member since"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    is_staff = models.BooleanField(
        _("administrator"),
        default=False,
        help_text=_("Gives access to the administration."),
    )
    is_active = models.BooleanField(_("can sign in"), default=True)
    date_joined = models.DateTimeField(_("created"), default=timezone.now)
    # A deputy (stedfortræder) has an account of their own and stands in for one member
    # of the same municipality; `is_deputy` stays when the link goes (the member erased
    # their account), so a deputy never turns into a counted member by accident.
    is_deputy = models.BooleanField(
        _("deputy"),
        default=False,
        help_text=_("A deputy stands in for a member and is not counted as a member."),
    )
    deputy_for = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
        verbose_name=_("deputy for"),
    )
    objects = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["first_name", "last_name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="member_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(deputy_for__isnull=True) | models.Q(is_deputy=True),
                name="member_deputy_for_is_deputy",
            ),
            models.CheckConstraint(
                condition=~models.Q(deputy_for=models.F("pk")), name="member_not_own_deputy"
            ),
        ]
        indexes = [models.Index(fields=["status", "first_name", "last_name"])]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        if self.anonymised_at:
            return str(_("Former member"))
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.pk])

    @property
    def deputy_label(self) -> str:
        """ "deputy for <name>" for a linked deputy, else empty (deputy_for is loaded)."""
        if self.deputy_for_id is None:
            return ""
        return _("deputy for %(name)s") % {"name": self.deputy_for.get_full_name()}

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


def hash_token(raw_token: str) -> str:
    """The stored form of a secret token: its SHA-256, so a database leak reveals no link."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A one-time, expiring invitation to sign up with one email address."""

    email = models.EmailField(_("email address"))
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    message = models.TextField(_("personal greeting"), blank=True, max_length=2000)
    name = models.CharField(_("name"), max_length=200, blank=True)
    deputy_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deputy_invitations",
        verbose_name=_("deputy for"),
        help_text=_("The person invited becomes this member's deputy."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("member created"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.email

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return str(_("Accepted"))
        if self.revoked_at:
            return str(_("Revoked"))
        if self.is_expired:
            return str(_("Expired"))
        return str(_("Pending"))


class MunicipalityChangeRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=MunicipalityChangeRequest.Status.PENDING)


class MunicipalityChangeRequest(models.Model):
    """A member's request to change municipality (and so, circle): the board or staff
    decides it; until then the member's municipality stays as it was."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="municipality_change_requests",
        verbose_name=_("member"),
    )
    from_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from municipality"),
    )
    to_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to municipality"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    objects = MunicipalityChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("municipality change request")
        verbose_name_plural = _("municipality change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="pending"),
                name="one_pending_municipality_change_per_member",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="municipality_change_status")]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_municipality or '-'} → {self.to_municipality}"


class TwoStepMethod(Authenticator):
    """allauth's record of a member's second factor (an authenticator app, recovery codes
    or a security key), as the admin lists it: allauth's own model has no translatable
    names, so the admin would say "authenticators"."""

    class Meta:
        proxy = True
        verbose_name = _("two-step method")
        verbose_name_plural = _("two-step methods")
