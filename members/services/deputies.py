"""Deputies (stedfortrædere): a member invites one deputy through the invitation flow;
the link is made when the deputy signs up, and undone when either leaves."""

from django.db import transaction
from django.utils import timezone

from ..models import Invitation, Member
from ..signals import deputy_linked
from .invitations import IssuedInvitation, invitation_create_and_send


class DeputyError(Exception):
    """The deputy cannot be invited or linked; `reason` says why, for the page."""

    IS_DEPUTY = "is_deputy"
    HAS_DEPUTY = "has_deputy"
    INACTIVE = "inactive"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def deputy_invite_check(*, member: Member) -> None:
    """Raise DeputyError if `member` may not invite a deputy now: a deputy, not active, or
    with a linked deputy already (one deputy per member)."""
    _check_can_have_deputy(member)
    if Member.objects.filter(deputy_for=member).exists():
        raise DeputyError(DeputyError.HAS_DEPUTY)


def _check_can_have_deputy(member: Member) -> None:
    if member.is_deputy:
        raise DeputyError(DeputyError.IS_DEPUTY)
    if not Member.objects.counted().filter(pk=member.pk).exists():
        raise DeputyError(DeputyError.INACTIVE)


@transaction.atomic
def deputy_invite(
    *, member: Member, name: str, email: str, invited_by: Member | None, message: str = ""
) -> IssuedInvitation:
    """Invite `email` to become the deputy of `member` (one deputy per member: refused
    while one is linked); earlier pending deputy invitations of the member are revoked,
    and the invitation is mailed through the invitation flow's one service."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    deputy_invite_check(member=member)
    deputy_invitations_revoke(member=member)
    return invitation_create_and_send(
        email=email, invited_by=invited_by, name=name, deputy_for=member, message=message
    )


def deputy_invitations_revoke(*, member: Member) -> int:
    """Revoke the member's pending deputy invitations; returns how many."""
    return Invitation.objects.pending().filter(deputy_for=member).update(revoked_at=timezone.now())


@transaction.atomic
def deputy_link(*, deputy: Member, member: Member) -> Member:
    """Make `deputy` the deputy of `member`: in the member's municipality, flagged as a
    deputy (never counted), and in the member's circles (deputy_linked: circles mirrors
    the memberships)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_can_have_deputy(member)
    if Member.objects.filter(deputy_for=member).exclude(pk=deputy.pk).exists():
        raise DeputyError(DeputyError.HAS_DEPUTY)
    deputy.is_deputy = True
    deputy.deputy_for = member
    deputy.municipality_id = member.municipality_id
    deputy.save(update_fields=["is_deputy", "deputy_for", "municipality"])
    deputy_linked.send(sender=Member, deputy=deputy, member=member)
    return deputy


@transaction.atomic
def deputy_remove(*, member: Member) -> Member | None:
    """Remove the member's deputy: the link goes and the deputy's account is closed as a
    former member's (member_mark_former: seats, reminders and unsent mails go with it);
    pending deputy invitations are revoked. Returns the former deputy, if any."""
    from .leaving import member_mark_former

    deputy_invitations_revoke(member=member)
    deputy = Member.objects.select_for_update().filter(deputy_for=member).first()
    if deputy is None:
        return None
    deputy.deputy_for = None
    deputy.save(update_fields=["deputy_for"])
    if deputy.status == Member.Status.ACTIVE:
        member_mark_former(member=deputy)
    return deputy


def deputy_unlink_for_erasure(*, member: Member) -> None:
    """Before `member` is erased: whichever side of a link they are on, the link goes and
    the other account stays as it is (a deputy stays a deputy, uncounted, with no member
    to stand in for); the member's pending deputy invitations are deleted."""
    Invitation.objects.filter(deputy_for=member, accepted_at__isnull=True).delete()
    Member.objects.filter(deputy_for=member).update(deputy_for=None)
    if member.deputy_for_id is not None:
        member.deputy_for = None
        Member.objects.filter(pk=member.pk).update(deputy_for=None)
