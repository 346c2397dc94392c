"""What members follow (focus areas, tags) and how they want to hear about it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .areas import FocusArea


class FocusAreaFollow(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="focus_area_follows",
        verbose_name=_("member"),
    )
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.CASCADE, related_name="follows", verbose_name=_("focus area")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("followed focus area")
        verbose_name_plural = _("followed focus areas")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "focus_area"], name="follow_a_focus_area_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.focus_area}"


class TagFollow(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tag_follows",
        verbose_name=_("member"),
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="follows", verbose_name=_("tag")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("followed tag")
        verbose_name_plural = _("followed tags")
        constraints = [models.UniqueConstraint(fields=["member", "tag"], name="follow_a_tag_once")]

    def __str__(self) -> str:
        return f"{self.member} → {self.tag}"


class NotificationSetting(models.Model):
    """How a member hears about new contributions in what they follow."""

    class Frequency(models.TextChoices):
        EACH = "each", _("A mail for each new contribution")
        WEEKLY = "weekly", _("A weekly digest on Mondays")
        NONE = "none", _("No mails")

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contribution_notifications",
        verbose_name=_("member"),
    )
    frequency = models.CharField(
        _("mails about new contributions"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
    )

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.member}: {self.get_frequency_display()}"
