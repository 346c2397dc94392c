"""Reads for circles."""

from django.db.models import Count, Prefetch, QuerySet

from members.models import active_member_q

from .models import Circle, CircleMembership


def circle_list() -> QuerySet[Circle]:
    """Every circle with its count of active members and its leads."""
    return (
        Circle.objects.select_related("region")
        .annotate(
            member_count=Count(
                "memberships",
                filter=active_member_q("memberships__member__"),
            )
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=CircleMembership.objects.leads()
                .filter(active_member_q("member__"))
                .select_related("member"),
                to_attr="lead_memberships",
            )
        )
    )


def circle_detail(*, slug: str) -> Circle | None:
    """A circle with its active members, leads first, in a fixed number of queries."""
    return (
        Circle.objects.select_related("region")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=CircleMembership.objects.filter(active_member_q("member__"))
                .select_related("member__municipality")
                .order_by("role", "member__first_name", "member__last_name"),
                to_attr="active_memberships",
            )
        )
        .filter(slug=slug)
        .first()
    )


def circle_memberships_with_circle() -> Prefetch:
    """For prefetch_related on members: each member's circle memberships with their
    circles, in one query however many members."""
    return Prefetch(
        "circle_memberships", queryset=CircleMembership.objects.select_related("circle")
    )
