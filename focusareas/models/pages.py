"""The association's own pages of text, editable by the board."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Page(models.Model):
    """A page of the association's own text (its purpose), editable by the board."""

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self) -> str:
        return self.title
