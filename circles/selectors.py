"""Reads for circles."""

from django.db.models import Count, Prefetch, QuerySet

from members.models import active_member_q, counted_member_q

from .models import Circle, CircleMembership


def circle_list() -> QuerySet[Circle]:
    """Every circle with its count of members who count (deputies do not) and its leads."""
    return (
        Circle.objects.select_related("region")
        .annotate(
            member_count=Count(
                "memberships",
                filter=counted_member_q("memberships__member__"),
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


# The circle page lists this many members by name; the directory, filtered by the
# circle, pages through the rest.
CIRCLE_PAGE_MEMBERS = 50


def circle_detail(*, slug: str) -> Circle | None:
    """A circle with its active leads (`active_leads`), in a fixed number of queries."""
    return (
        Circle.objects.select_related("region")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=CircleMembership.objects.filter(
                    active_member_q("member__"), role=CircleMembership.Role.LEAD
                )
                .select_related("member__municipality")
                .order_by("member__first_name", "member__last_name"),
                to_attr="active_leads",
            )
        )
        .filter(slug=slug)
        .first()
    )


def circle_members_first(*, circle: Circle) -> tuple[list[CircleMembership], bool]:
    """The circle's first CIRCLE_PAGE_MEMBERS active members (not leads) by name, and
    whether there are more: one query of at most one row more, whatever the circle's size."""
    memberships = list(
        CircleMembership.objects.filter(
            active_member_q("member__"), circle=circle, role=CircleMembership.Role.MEMBER
        )
        .select_related("member__municipality", "member__deputy_for")
        .order_by("member__first_name", "member__last_name", "member__id")[
            : CIRCLE_PAGE_MEMBERS + 1
        ]
    )
    return memberships[:CIRCLE_PAGE_MEMBERS], len(memberships) > CIRCLE_PAGE_MEMBERS


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
