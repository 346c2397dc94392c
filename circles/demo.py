"""Demo circle memberships for `make run`: every demo person in their region's circle,
the demo leads as leads of it. Runs after members/demo.py, on the people it returns."""

from django.db import transaction

from .models import Circle, CircleMembership
from .services import circle_membership_join_home, circle_membership_set_role


@transaction.atomic
def seed_circle_memberships(people) -> None:
    """Place each (person, member) of members' demo in their home circle, once: a member
    who already belongs to a circle is left as they are, so a second run changes nothing."""
    placed = set(
        CircleMembership.objects.filter(member__in=[member for _, member in people]).values_list(
            "member_id", flat=True
        )
    )
    for person, member in people:
        if member.pk in placed:
            continue
        circle_membership_join_home(member=member)
        if person.role == "lead":
            circle = Circle.objects.get(region=member.municipality.region)
            circle_membership_set_role(
                member=member, circle=circle, role=CircleMembership.Role.LEAD
            )
