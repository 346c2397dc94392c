"""Who may see and manage circles, as rules predicates."""

import rules

from members.permissions import is_active_member, is_board, is_staff

from .models import CircleMembership


@rules.predicate
def is_circle_lead(user, circle) -> bool:
    """The user leads this circle."""
    if circle is None or not user.is_authenticated:
        return False
    return CircleMembership.objects.filter(
        member=user, circle=circle, role=CircleMembership.Role.LEAD
    ).exists()


@rules.predicate
def is_circle_member(user, circle) -> bool:
    """The user belongs to this circle, as lead or member."""
    if circle is None or not user.is_authenticated:
        return False
    return CircleMembership.objects.filter(member=user, circle=circle).exists()


@rules.predicate
def leads_any_circle(user) -> bool:
    """The user leads at least one circle."""
    return bool(
        user.is_authenticated
        and CircleMembership.objects.filter(member=user, role=CircleMembership.Role.LEAD).exists()
    )


rules.add_perm("circles.view_circle_pages", is_active_member)
rules.add_perm(
    "circles.view_circle_feed", is_active_member & (is_circle_member | is_board | is_staff)
)
rules.add_perm("circles.manage_circle", is_active_member & (is_circle_lead | is_board | is_staff))
