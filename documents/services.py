"""Writes for documents: add one to an event, replace it with a new version, delete it,
and let an erased member's uploads go on without them. The portal's views, the admin and
the GDPR erasure call these."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from core.inputs import LINE_BREAKS
from events.models import Event
from members.models import Member

from .models import Document, DocumentVersion
from .storage import document_storage
from .validators import FileKind, document_file_check

MANAGE = "documents.manage_event_documents"
FILENAME_MAX_LENGTH = 255
# A stored file no version names is left by an upload whose transaction rolled back
# after the service stored it (there is no on-rollback hook); younger ones may still be
# on their way to being committed.
ORPHAN_AGE = timedelta(hours=6)


def _authorise(*, actor: Member | None, event: Event) -> None:
    """Raise PermissionDenied unless the actor may manage the event's documents; None is
    the system."""
    if actor is not None and not actor.has_perm(MANAGE, event):
        raise PermissionDenied


def _original_filename(name: str) -> str:
    """The name the uploader gave, without folders, control characters or line breaks."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable() and char not in LINE_BREAKS)
    return name.strip()[-FILENAME_MAX_LENGTH:] or "dokument"


def _version_add(
    *, actor: Member | None, document: Document, file: File, kind: FileKind
) -> DocumentVersion:
    """Store the file, of the kind its content showed, as the document's new current
    version."""
    original = _original_filename(file.name or "")
    version = DocumentVersion(
        document=document,
        original_filename=original,
        size=file.size,
        content_type=kind.content_type,
        uploaded_by=actor,
    )
    version.file.save(original, file, save=False)
    try:
        with transaction.atomic():
            version.save()
            document.current_version = version
            document.save(update_fields=["current_version", "updated_at"])
    except BaseException:
        # No row points to the stored file: leave nothing behind.
        document_storage.delete(version.file.name)
        raise
    return version


@transaction.atomic
def document_create(*, actor: Member | None, event: Event, title: str, file: File) -> Document:
    """A new document of the event with the file as its first version; the file is
    checked by its content (ValidationError) and the actor must manage the event's
    documents (PermissionDenied). actor=None is the system."""
    _authorise(actor=actor, event=event)
    kind = document_file_check(file)  # before any row is written
    document = Document(event=event, title=title.strip(), created_by=actor)
    document.full_clean(exclude=["event", "current_version", "created_by"])
    document.save()
    _version_add(actor=actor, document=document, file=file, kind=kind)
    return document


@transaction.atomic
def document_replace(*, actor: Member | None, document: Document, file: File) -> DocumentVersion:
    """A new current version of the document; the earlier versions stay, with who
    uploaded them and when."""
    _authorise(actor=actor, event=document.event)
    kind = document_file_check(file)
    document = Document.objects.select_for_update().get(pk=document.pk)
    return _version_add(actor=actor, document=document, file=file, kind=kind)


@transaction.atomic
def document_rename(*, actor: Member | None, document: Document, title: str) -> Document:
    """The document under a new title."""
    _authorise(actor=actor, event=document.event)
    document.title = title.strip()
    document.full_clean(exclude=["event", "current_version", "created_by"])
    document.save(update_fields=["title", "updated_at"])
    return document


@transaction.atomic
def document_delete(*, actor: Member | None, document: Document) -> None:
    """Delete the document with every version; their files go once the deletion is
    committed (documents/signals.py, which a deleted event's documents meet too)."""
    _authorise(actor=actor, event=document.event)
    document.delete()


def member_uploads_forget(*, member: Member) -> None:
    """The erased member's documents stay (they belong to the association), without a
    link to who made or uploaded them."""
    DocumentVersion.objects.filter(uploaded_by=member).update(uploaded_by=None)
    Document.objects.filter(created_by=member).update(created_by=None)


def document_files_sweep(*, older_than: timedelta = ORPHAN_AGE) -> int:
    """Delete the stored files under documents/ that no version names and that were
    stored longer than `older_than` ago; returns how many went."""
    named = set(DocumentVersion.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    folders, _files = document_storage.listdir("documents")
    deleted = 0
    for folder in folders:
        for filename in document_storage.listdir(f"documents/{folder}")[1]:
            name = f"documents/{folder}/{filename}"
            if name not in named and document_storage.get_modified_time(name) <= cutoff:
                document_storage.delete(name)
                deleted += 1
    return deleted
