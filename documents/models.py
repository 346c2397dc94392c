"""Documents of an event (and, later, of an agenda item): a title and its versions, each
version a file in the documents storage. Replacing a document adds a version; the earlier
ones stay, with who uploaded them and when."""

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.inputs import validate_one_line
from events.models import Event

from .storage import documents_storage, version_upload_to
from .validators import KIND_BY_CONTENT_TYPE, FileKind


class DocumentQuerySet(models.QuerySet):
    def for_listing(self):
        """With the current version, its uploader and the number of versions: one query."""
        return self.select_related("current_version__uploaded_by").annotate(
            version_count=Count("versions")
        )


class Document(models.Model):
    """A document attached to an event. An agenda item of a general assembly will point to
    its documents too (a nullable link added by that app); the event stays the owner that
    decides who may see it."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="documents", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    # The version served at /dokumenter/<id>/; set by the services with each upload.
    current_version = models.ForeignKey(
        "DocumentVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("documents:download", args=[self.pk])


class DocumentVersion(models.Model):
    """One uploaded file of a document, kept when a newer one replaces it."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    file = models.FileField(
        _("file"), upload_to=version_upload_to, storage=documents_storage, max_length=255
    )
    original_filename = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploaded_document_versions",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")

    def __str__(self) -> str:
        return self.original_filename

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("documents:version", args=[self.document_id, self.pk])

    @property
    def kind(self) -> FileKind | None:
        return KIND_BY_CONTENT_TYPE.get(self.content_type)

    @property
    def download_name(self) -> str:
        """The uploader's file name, with the extension of what the file really is."""
        kind = self.kind
        stem, dot, _extension = self.original_filename.rpartition(".")
        if not dot:
            stem = self.original_filename
        return f"{stem}.{kind.extension}" if kind else self.original_filename
