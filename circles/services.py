"""Writes for circles and their memberships."""

from django.db import transaction

from .models import Circle, CircleMembership


@transaction.atomic
def circle_membership_join_home(*, member) -> CircleMembership | None:
    """Make the member a member of their municipality's regional circle, leaving the plain
    membership of any other regional circle (leads keep their role until changed)."""
    municipality = member.municipality
    if municipality is None:
        return None
    circle = Circle.objects.filter(region_id=municipality.region_id).first()
    if circle is None:
        return None
    CircleMembership.objects.filter(
        member=member, circle__region__isnull=False, role=CircleMembership.Role.MEMBER
    ).exclude(circle=circle).delete()
    membership, _ = CircleMembership.objects.get_or_create(member=member, circle=circle)
    return membership


def circle_membership_set_role(*, member, circle: Circle, role: str) -> CircleMembership:
    """Give the member `role` in `circle`, joining it if needed."""
    membership, _ = CircleMembership.objects.update_or_create(
        member=member, circle=circle, defaults={"role": role}
    )
    return membership
