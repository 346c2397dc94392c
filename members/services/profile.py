"""A member's profile: signup, profile edits, the change of municipality as a request
the board decides, and staff's saves in the admin."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from ..models import (
    Member,
    Municipality,
    MunicipalityChangeRequest,
)
from ..signals import member_municipality_changed
from .deputies import DeputyError, deputy_link
from .invitations import InvitationError, invitation_accept


@transaction.atomic
def member_signup_complete(
    *,
    member: Member,
    invitation_id: int,
    job_title: str,
    municipality: Municipality | None,
) -> Member:
    """Finish a signup: use up the invitation, fill in the profile; the member joins the
    home circle (member_municipality_changed). A deputy's invitation links the new account
    to its member, in the member's municipality and circles, whatever the form said."""
    invitation = invitation_accept(invitation_id=invitation_id, member=member)
    member.job_title = job_title
    member.municipality = municipality
    member.save(update_fields=["job_title", "municipality"])
    if invitation.deputy_for_id is not None:
        try:
            deputy_link(deputy=member, member=invitation.deputy_for)
        except DeputyError as error:
            raise InvitationError(InvitationError.REVOKED) from error
    _municipality_changed(member=member, from_municipality=None)
    return member


def _municipality_changed(
    *, member: Member, from_municipality: Municipality | None, decided_by: Member | None = None
) -> None:
    member_municipality_changed.send(
        sender=Member,
        member=member,
        from_municipality=from_municipality,
        to_municipality=member.municipality,
        decided_by=decided_by,
    )
    # The deputy is of the member's municipality: they move together (circles mirrors
    # the deputy's circles when it moves the member).
    Member.objects.filter(deputy_for=member).exclude(municipality_id=member.municipality_id).update(
        municipality_id=member.municipality_id
    )


def member_update_profile(
    *,
    member: Member,
    first_name: str,
    last_name: str,
    job_title: str,
    municipality: Municipality | None,
    phone: str,
    bio: str,
) -> Member:
    """Save the member's own profile. A different municipality is
    not saved: it becomes a request for the board or staff to decide (the municipality
    decides the circle, and a member cannot move into another circle on their own)."""
    member.first_name = first_name
    member.last_name = last_name
    member.job_title = job_title
    member.phone = phone
    member.bio = bio
    with transaction.atomic():
        member.save(
            update_fields=[
                "first_name",
                "last_name",
                "job_title",
                "phone",
                "bio",
            ]
        )
        municipality_change_request(member=member, to_municipality=municipality)
    return member


# --- Changes of municipality ------------------------------------------------------------


class MunicipalityChangeDecided(Exception):
    """The request was decided already (by someone else, a moment ago)."""


@transaction.atomic
def municipality_change_request(
    *, member: Member, to_municipality: Municipality | None
) -> MunicipalityChangeRequest | None:
    """Ask to move to `to_municipality`: the member's one pending request says so (a new
    choice replaces the pending one; choosing the saved municipality again, or none,
    withdraws it; a linked deputy's municipality is their member's, so a deputy asks
    nothing). Returns the pending request, if any."""
    if member.deputy_for_id is not None:
        to_municipality = None
    saved_id = Member.objects.filter(pk=member.pk).values_list("municipality_id", flat=True)[0]
    pending = MunicipalityChangeRequest.objects.select_for_update().pending().filter(member=member)
    if to_municipality is None or to_municipality.pk == saved_id:
        pending.delete()
        return None
    request = pending.first()
    if request is None:
        return MunicipalityChangeRequest.objects.create(
            member=member, from_municipality_id=saved_id, to_municipality=to_municipality
        )
    if request.to_municipality_id != to_municipality.pk:
        request.to_municipality = to_municipality
        request.created_at = timezone.now()
        request.save(update_fields=["to_municipality", "created_at"])
    return request


def _decide(*, request: MunicipalityChangeRequest, decided_by: Member, status: str):
    locked = (
        MunicipalityChangeRequest.objects.select_for_update(of=("self",))
        .select_related("member", "from_municipality", "to_municipality")
        .get(pk=request.pk)
    )
    if locked.status != MunicipalityChangeRequest.Status.PENDING:
        raise MunicipalityChangeDecided(locked.pk)
    locked.status = status
    locked.decided_at = timezone.now()
    locked.decided_by = decided_by
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    return locked


@transaction.atomic
def municipality_change_approve(
    *, request: MunicipalityChangeRequest, decided_by: Member
) -> MunicipalityChangeRequest:
    """Approve the request: the member's municipality changes, and the apps above react
    (member_municipality_changed: circles moves the membership and tells the member and
    the new circle's leads; the old circle's meetings are given up)."""
    request = _decide(
        request=request, decided_by=decided_by, status=MunicipalityChangeRequest.Status.APPROVED
    )
    member = request.member
    before = member.municipality
    member.municipality = request.to_municipality
    member.save(update_fields=["municipality"])
    _municipality_changed(member=member, from_municipality=before, decided_by=decided_by)
    return request


@transaction.atomic
def municipality_change_reject(
    *, request: MunicipalityChangeRequest, decided_by: Member
) -> MunicipalityChangeRequest:
    """Reject the request: nothing about the member changes."""
    return _decide(
        request=request, decided_by=decided_by, status=MunicipalityChangeRequest.Status.REJECTED
    )


@transaction.atomic
def member_save_from_admin(*, member: Member, created: bool, changed_fields: list[str]) -> Member:
    """After an admin saves a member: the login address is the verified primary address,
    and a new or moved member sits in their region's circle (staff decide a move: any
    pending request of the member's is settled by it)."""
    member.email = Member.objects.normalize_email(member.email).lower()
    before = None
    if not created and "municipality" in changed_fields:
        before = (
            Member.objects.filter(pk=member.pk).values_list("municipality__pk", flat=True).first()
        )
    member.save()
    if created or "email" in changed_fields:
        EmailAddress.objects.filter(user=member).exclude(email__iexact=member.email).delete()
        EmailAddress.objects.update_or_create(
            user=member, email=member.email, defaults={"verified": True, "primary": True}
        )
    if created or "municipality" in changed_fields:
        MunicipalityChangeRequest.objects.pending().filter(member=member).delete()
        _municipality_changed(
            member=member,
            from_municipality=Municipality.objects.filter(pk=before).first() if before else None,
        )
    return member
