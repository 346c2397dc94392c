"""The bookkeeping that keeps contribution mails and weekly digests single."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .contributions import Contribution


class ContributionMailDelivery(models.Model):
    """Proof that a member was told about a contribution: the row comes first, the
    mail second, so a task run twice mails once."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member"),
    )
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="+", verbose_name=_("contribution")
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("contribution mail")
        verbose_name_plural = _("contribution mails")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "contribution"], name="one_mail_per_member_and_contribution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} ← {self.contribution_id}"


class DigestDelivery(models.Model):
    """Proof that a member got the weekly digest of one ISO week."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member"),
    )
    iso_year = models.PositiveSmallIntegerField(_("year"))
    iso_week = models.PositiveSmallIntegerField(_("week"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "iso_year", "iso_week"], name="one_digest_per_member_and_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.iso_year}-W{self.iso_week:02d}"
