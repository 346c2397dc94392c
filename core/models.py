"""The outbox: every mail the portal sends is first a row here."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MESSAGE_ID_DOMAIN = "komdir"


def new_message_id() -> str:
    """A Message-ID decided before the first try, so that every copy carries the same one."""
    return f"<{uuid.uuid4()}@{MESSAGE_ID_DOMAIN}>"


class OutgoingMailQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(
            status__in=[
                OutgoingMail.Status.PENDING,
                OutgoingMail.Status.SENDING,
                OutgoingMail.Status.FAILED,
            ]
        )

    def for_member(self, member):
        """Mail to the member's account or address."""
        return self.filter(models.Q(recipient=member) | models.Q(to_address__iexact=member.email))


class OutgoingMail(models.Model):
    """One mail to one address. It is written in the same transaction as the change that
    causes it; a sweep sends it, claiming with skip_locked under a lease, and records each
    send on its own, so a killed worker re-sends at most the one mail it was sending,
    under the same Message-ID.

    A mail is either stored whole (subject and bodies, e.g. a password-reset link) or
    rendered when it is sent by the renderer registered for its `kind`, from `params`
    (a meeting invitation to 10,000 members is 10,000 small rows, not 10,000 rendered
    mails inside the request that scheduled it)."""

    class Priority(models.IntegerChoices):
        ACCOUNT = 0, _("Account (password, address, invitation)")
        MEETING = 1, _("Meetings and reminders")
        BULK = 2, _("Bulk (follower mails, digest)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        DROPPED = "dropped", _("Not needed any more")
        # A fan-out row, once its expander has written a mail per recipient.
        EXPANDED = "expanded", _("Sent on to its recipients")

    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # Makes a second enqueue of the same mail (a task run twice) a no-op.
    dedupe_key = models.CharField(
        _("deduplication key"), max_length=200, null=True, blank=True, unique=True
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    to_address = models.CharField(_("to"), max_length=254)
    subject = models.TextField(_("subject"), blank=True)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    message_id = models.CharField(
        _("Message-ID"), max_length=200, unique=True, default=new_message_id
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEETING
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    due_at = models.DateTimeField(_("due"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    # When the relay was last asked to take it: the shared pace (EMAIL_MAX_PER_MINUTE)
    # counts these.
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        indexes = [
            models.Index(fields=["status", "priority", "due_at"], name="outbox_due"),
            models.Index(fields=["last_attempt_at"], name="outbox_pace"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_address}"

    @property
    def is_stored(self) -> bool:
        return bool(self.subject)


class MailPace(models.Model):
    """A single row that every sender locks before it takes a slot of the relay's limit,
    so that all workers together keep EMAIL_MAX_PER_MINUTE."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)

    class Meta:
        verbose_name = _("mail pace")

    def __str__(self) -> str:
        return "mail pace"
