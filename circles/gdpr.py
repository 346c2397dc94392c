"""The circles' part in the GDPR export and erasure (registered with members.gdpr)."""

from core.time import iso_or_none

from .models import CircleMembership


class CirclesPersonalData:
    # A circle itself holds nobody's data; its memberships do.
    models = ("circles.Circle", "circles.CircleMembership")

    def export(self, member) -> dict:
        return {
            "circle_memberships": [
                {
                    "circle": membership.circle.name,
                    "role": membership.role,
                    "joined_at": iso_or_none(membership.joined_at),
                }
                for membership in CircleMembership.objects.filter(member=member).select_related(
                    "circle"
                )
            ]
        }

    def erase(self, member, *, keep_contributions: bool) -> None:
        # Each leaving is told (circles.signals), so the events above give up the member's
        # answers to that circle's meetings.
        CircleMembership.objects.filter(member=member).delete()
