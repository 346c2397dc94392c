"""Focus areas with their guiding questions and revisions."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .periods import StrategyPeriod


class FocusArea(models.Model):
    period = models.ForeignKey(
        StrategyPeriod,
        on_delete=models.PROTECT,
        related_name="focus_areas",
        verbose_name=_("strategy period"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=100)
    summary = models.TextField(_("summary"), max_length=1000)
    body = models.TextField(_("text (Markdown)"), blank=True)
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="focus_areas", verbose_name=_("tags")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["period", "number"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "number"], name="one_focus_area_number_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("focusareas:detail", args=[self.slug])


class GuidingQuestionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)


class GuidingQuestion(models.Model):
    """A "KOMDIR er nysgerrig på" question. Removing one only marks it removed, so that
    the contributions answering it and the revisions naming it keep their link."""

    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.CASCADE, related_name="questions", verbose_name=_("focus area")
    )
    text = models.TextField(_("question"), max_length=1000)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    objects = GuidingQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["ordering", "pk"]
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")

    def __str__(self) -> str:
        return self.text


class FocusAreaRevision(models.Model):
    """A snapshot of a focus-area page after one save; restoring makes a new one."""

    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("focus area")
    )
    number = models.PositiveIntegerField(_("revision"))
    snapshot = models.JSONField(_("content"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("changed"), default=timezone.now)
    note = models.CharField(_("change note"), max_length=300, blank=True)
    restored_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("restored from"),
    )

    class Meta:
        ordering = ["focus_area", "-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["focus_area", "number"], name="one_revision_number_per_focus_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.focus_area.title} #{self.number}"
