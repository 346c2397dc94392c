"""Strategy periods, each with its own focus areas; earlier ones stay as an archive."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StrategyPeriodQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-starts_on", "-pk")

    def current(self):
        """The period the board opened last: the one shown first everywhere."""
        return self.newest_first().first()


class StrategyPeriod(models.Model):
    """A strategy period with its own focus areas; earlier periods stay as an archive."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    introduction = models.TextField(_("introduction (Markdown)"), blank=True)

    objects = StrategyPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("strategy period")
        verbose_name_plural = _("strategy periods")

    def __str__(self) -> str:
        return self.title
