"""Who may do what with events, as rules predicates."""

import rules

from circles.models import CircleMembership
from circles.permissions import is_circle_lead, leads_any_circle
from members.permissions import is_active_member, is_board, is_deputy, is_staff

from .models import Event


@rules.predicate
def is_invitee(user, event) -> bool:
    """Of the event's audience: a member of the circle for a circle meeting (a deputy is,
    in their member's circles); any active member otherwise. A deputy reads the event,
    but is invited only when their member sends them (Event.invitees)."""
    if event is None or not user.is_authenticated:
        return False
    if event.kind != Event.Kind.CIRCLE_MEETING:
        return True
    return CircleMembership.objects.filter(member=user, circle_id=event.circle_id).exists()


@rules.predicate
def leads_events_circle(user, event) -> bool:
    """Leads the circle of this circle meeting."""
    return bool(
        event is not None
        and event.kind == Event.Kind.CIRCLE_MEETING
        and is_circle_lead(user, event.circle)
    )


@rules.predicate
def is_organiser(user, event) -> bool:
    """Organised this event."""
    return event is not None and user.is_authenticated and event.organiser_id == user.pk


@rules.predicate
def is_association_wide(user, event) -> bool:
    """A general assembly or professional event, which the board manages."""
    return event is not None and event.kind != Event.Kind.CIRCLE_MEETING


can_manage = is_staff | leads_events_circle | (is_board & is_association_wide)

rules.add_perm("events.view_event", is_active_member & (is_invitee | is_board | is_staff))
rules.add_perm("events.add_event", is_active_member & (leads_any_circle | is_board | is_staff))
rules.add_perm("events.change_event", is_active_member & can_manage)
# A deputy does not answer on their own: the member answers, and may send the deputy.
rules.add_perm("events.rsvp_event", is_active_member & ~is_deputy & is_invitee)
# Every answer and the attendee list: the organiser, the circle's leads and the board.
rules.add_perm(
    "events.view_attendees",
    is_active_member & (is_organiser | leads_events_circle | is_board | is_staff),
)
rules.add_perm("events.write_minutes", is_active_member & (is_organiser | can_manage))
