"""Documents' pages: the file itself (current or an earlier version) as an attachment to
those who may see the event; uploading, replacing and deleting for those who manage the
event's documents. Anyone else gets a 404 (visitors the login page)."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import DocumentDeleteForm, DocumentReplaceForm, DocumentUploadForm
from .models import Document, DocumentVersion

MANAGE = services.MANAGE


def _document_or_404(request, document_id: int, *, manage: bool = False) -> Document:
    document = selectors.document_for(user=request.user, document_id=document_id)
    if document is None or (manage and not request.user.has_perm(MANAGE, document.event)):
        raise Http404
    return document


def content_disposition(filename: str) -> str:
    """An attachment under the file's own name (RFC 6266: an ASCII fallback, then the
    UTF-8 name, so that æ, ø and å arrive as they were)."""
    fallback = "".join(
        char if char.isascii() and char.isprintable() and char not in '"\\' else "_"
        for char in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _file_response(version: DocumentVersion) -> FileResponse:
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, OSError) as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type=version.content_type)
    response["Content-Disposition"] = content_disposition(version.download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


def document_download(request, document_id: int):
    document = _document_or_404(request, document_id)
    if document.current_version is None:
        raise Http404
    return _file_response(document.current_version)


def document_version_download(request, document_id: int, version_id: int):
    document = _document_or_404(request, document_id)
    version = document.versions.filter(pk=version_id).first()
    if version is None:
        raise Http404
    return _file_response(version)


@require_http_methods(["GET", "POST"])
def document_upload(request, event_id: int):
    event = selectors.event_for_documents(user=request.user, event_id=event_id)
    if event is None:
        raise Http404
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_create(
                actor=request.user,
                event=event,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The document has been added."))
            return redirect(event.get_absolute_url() + "#dokumenter")
    return render(request, "documents/document_upload.html", {"form": form, "event": event})


@require_http_methods(["GET", "POST"])
def document_versions(request, document_id: int):
    """Every version of the document; for those who manage it, the form that replaces it."""
    document = _document_or_404(request, document_id)
    can_manage = request.user.has_perm(MANAGE, document.event)
    if request.method == "POST" and not can_manage:
        raise Http404
    form = DocumentReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_replace(
                actor=request.user, document=document, file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The new version has been uploaded."))
            return redirect("documents:versions", document.pk)
    context = {
        "document": document,
        "event": document.event,
        "versions": selectors.document_versions(document=document),
        "can_manage": can_manage,
        "form": form,
    }
    return render(request, "documents/document_versions.html", context)


@require_http_methods(["GET", "POST"])
def document_delete(request, document_id: int):
    document = _document_or_404(request, document_id, manage=True)
    form = DocumentDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        event = document.event
        services.document_delete(actor=request.user, document=document)
        messages.success(request, _("The document has been deleted."))
        return redirect(event.get_absolute_url() + "#dokumenter")
    return render(
        request,
        "documents/document_delete.html",
        {"form": form, "document": document, "event": document.event},
    )
