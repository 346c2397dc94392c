"""Bulk circle memberships for `seed_demo --scale N`: each of members' scale members in
their region's circle. Bulk inserts only; see members/scale.py."""

from members.models import Member, Municipality

from .models import Circle, CircleMembership

BATCH_SIZE = 2000


def scale_circle_memberships_create(*, members: list[Member]) -> None:
    """Make each of `members` a member of their municipality's regional circle."""
    circle_by_region = dict(
        Circle.objects.filter(region__isnull=False).values_list("region_id", "pk")
    )
    region_by_municipality = dict(Municipality.objects.values_list("pk", "region_id"))
    CircleMembership.objects.bulk_create(
        [
            CircleMembership(
                member=m, circle_id=circle_by_region[region_by_municipality[m.municipality_id]]
            )
            for m in members
        ],
        batch_size=BATCH_SIZE,
    )
