"""Who may see and who may manage an event's documents, as rules predicates built on
events' own: whoever may see the event sees its documents; its organiser, the leads of
its circle and the board upload, replace and delete them."""

import rules

from events.permissions import is_organiser, leads_events_circle
from members.permissions import is_active_member, is_board, is_staff


@rules.predicate
def may_see_event_of(user, document) -> bool:
    """May see the document's event, by events' rule for the event's page."""
    return document is not None and user.has_perm("events.view_event", document.event)


# On an event: add documents to it; on a document's event: replace or delete it.
can_manage_documents = is_active_member & (is_organiser | leads_events_circle | is_board | is_staff)

rules.add_perm("documents.view_document", may_see_event_of)
rules.add_perm("documents.manage_event_documents", can_manage_documents)
