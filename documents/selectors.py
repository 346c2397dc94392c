"""Reads of documents, permission-aware: a document is seen by whoever may see its event,
by the rule events' own pages apply."""

from django.db.models import QuerySet

from core.time import iso_or_none
from events.models import Event
from members.models import Member

from .models import Document, DocumentVersion


def event_documents(*, event: Event) -> list[Document]:
    """The event's documents, each with its current version, uploader and number of
    versions: one query."""
    return list(Document.objects.filter(event=event).for_listing())


def document_for(*, user: Member, document_id: int) -> Document | None:
    """The document with its event and current version, if the user may see the event
    (events' visible_to and events.view_event, as the event's page asks); else None."""
    document = (
        Document.objects.filter(pk=document_id, event__in=Event.objects.visible_to(user))
        .select_related("event", "current_version")
        .first()
    )
    if document is None or not user.has_perm("documents.view_document", document):
        return None
    return document


def document_versions(*, document: Document) -> QuerySet[DocumentVersion]:
    """Every version of the document, newest first, with who uploaded it."""
    return document.versions.select_related("uploaded_by")


def documents_data_of_member(*, member: Member) -> dict:
    """The document versions the member uploaded, for the GDPR export (the files
    themselves belong to the association's events)."""
    return {
        "documents_uploaded": [
            {
                "document": version.document.title,
                "event": version.document.event.title,
                "file_name": version.original_filename,
                "size": version.size,
                "content_type": version.content_type,
                "uploaded_at": iso_or_none(version.uploaded_at),
            }
            for version in DocumentVersion.objects.filter(uploaded_by=member)
            .select_related("document__event")
            .order_by("uploaded_at", "pk")
        ]
    }


def event_for_documents(*, user: Member, event_id: int) -> Event | None:
    """The event, if the user may see it (as the event's page asks) and manage its
    documents; else None."""
    event = Event.objects.visible_to(user).select_related("circle").filter(pk=event_id).first()
    if event is None or not user.has_perm("events.view_event", event):
        return None
    if not user.has_perm("documents.manage_event_documents", event):
        return None
    return event
