"""The documents admin. Uploading goes through documents.services as in the portal, with
the staff user as actor: the file is checked by its content and becomes a new version,
the earlier ones kept; versions are read-only."""

from django import forms
from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import LookUpOnlyAdmin

from . import services
from .forms import FILE_HELP
from .models import Document, DocumentVersion
from .validators import validate_document_file


class DocumentAdminForm(forms.ModelForm):
    file = forms.FileField(
        label=_("File"),
        help_text=FILE_HELP,
        required=False,
        validators=[validate_document_file],
    )

    class Meta:
        model = Document
        fields = ["event", "title"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("file") and "file" not in self.errors:
            self.add_error("file", _("Choose the document's file."))
        return cleaned


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    can_delete = False
    fields = ["link", "size_shown", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    ordering = ["-uploaded_at", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("file"))
    def link(self, version: DocumentVersion):
        # The portal's address, which checks who may see the event; never the storage's.
        return format_html(
            '<a href="{}">{}</a>',
            reverse("documents:version", args=[version.document_id, version.pk]),
            version.original_filename,
        )

    @admin.display(description=_("size"))
    def size_shown(self, version: DocumentVersion) -> str:
        return filesizeformat(version.size)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    form = DocumentAdminForm
    list_display = ["title", "event", "current_type", "created_by", "updated_at"]
    list_filter = ["event__kind", "current_version__content_type", "created_at"]
    search_fields = ["title", "event__title", "versions__original_filename"]
    list_select_related = ["event", "current_version", "created_by"]
    autocomplete_fields = ["event"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [DocumentVersionInline]

    def get_readonly_fields(self, request, obj=None):
        # A document stays with its event: a new event gets a document of its own.
        if obj is not None:
            return ["event", *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description=_("type"), ordering="current_version__content_type")
    def current_type(self, document: Document) -> str | None:
        version = document.current_version
        return version.kind.label if version and version.kind else None

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        # The form checked the file with the services' own validator.
        if not change:
            document = services.document_create(
                actor=request.user, event=data["event"], title=data["title"], file=data["file"]
            )
        else:
            document = obj
            if "title" in form.changed_data:
                document = services.document_rename(
                    actor=request.user, document=document, title=data["title"]
                )
            if data.get("file"):
                services.document_replace(actor=request.user, document=document, file=data["file"])
        # The admin goes on with the form's object (its log, its redirect).
        obj.pk = document.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def save_related(self, request, form, formsets, change) -> None:
        # The versions are read-only: the services wrote what there is.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request, obj) -> None:
        services.document_delete(actor=request.user, document=obj)

    def delete_queryset(self, request, queryset) -> None:
        for document in queryset.select_related("event"):
            services.document_delete(actor=request.user, document=document)


@admin.register(DocumentVersion)
class DocumentVersionAdmin(LookUpOnlyAdmin):
    """Every version of every document, searchable by its title and file name; uploaded
    and replaced through the document's page (documents.services), never here."""

    list_display = ["document", "link", "size_shown", "content_type", "uploaded_by", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["document__title", "original_filename", "document__event__title"]
    list_select_related = ["document", "uploaded_by"]
    date_hierarchy = "uploaded_at"
    link = DocumentVersionInline.link
    size_shown = DocumentVersionInline.size_shown
