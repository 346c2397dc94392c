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


def circle_names_by_member(*, member_ids: list[int]) -> dict[int, list[str]]:
    """The names of each member's circles, in the circles' order, in one query."""
    names: dict[int, list[str]] = {}
    rows = (
        CircleMembership.objects.filter(member_id__in=member_ids)
        .order_by("circle__name", "circle_id")
        .values_list("member_id", "circle__name")
    )
    for member_id, name in rows:
        names.setdefault(member_id, []).append(name)
    return names


def circle_memberships_with_circle() -> Prefetch:
    """For prefetch_related on members: each member's circle memberships with their
    circles, in one query however many members."""
    return Prefetch(
        "circle_memberships", queryset=CircleMembership.objects.select_related("circle")
    )
