"""The documents' part of an event's page, composed into events/event_detail.html by
`{% event_documents event %}` (events imports nothing of documents)."""

from django import template

from ..forms import DocumentUploadForm
from ..selectors import event_documents as documents_of
from ..services import MANAGE

register = template.Library()


@register.inclusion_tag("documents/_event_documents.html", takes_context=True)
def event_documents(context, event):
    """The event's documents with links to each file and its versions; the upload form
    for those who manage them. One query for the list, whatever its length."""
    request = context["request"]
    can_manage = request.user.has_perm(MANAGE, event)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "event": event,
        "documents": documents_of(event=event),
        "can_manage": can_manage,
        "form": DocumentUploadForm() if can_manage else None,
    }
