"""Writes for members and invitations. Views, admin actions and commands call these."""

import logging
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.models import OutgoingMail
from core.outbox import Mail, Priority, mail_drop_unsent, mail_queue, render_subject

from . import gdpr
from .models import (
    Invitation,
    Member,
    Municipality,
    MunicipalityChangeRequest,
    hash_token,
    new_token,
)
from .signals import member_left, member_municipality_changed


class InvitationError(Exception):
    """An invitation that cannot be used; `reason` says why, for the page that explains it."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class InvitationAlreadyMember(Exception):
    """The address already belongs to a member."""


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str

    @property
    def url(self) -> str:
        return settings.SITE_URL + reverse("invitation_accept", args=[self.token])


def invitation_create(
    *,
    email: str,
    invited_by: Member | None,
    municipality: Municipality | None = None,
    message: str = "",
) -> IssuedInvitation:
    """Issue a new invitation for `email`, revoking earlier pending ones; the raw token is
    returned once and only its hash is stored."""
    email = Member.objects.normalize_email(email).strip().lower()
    if Member.objects.filter(email__iexact=email).exists():
        raise InvitationAlreadyMember(email)
    token = new_token()
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.pending().filter(email__iexact=email).update(revoked_at=now)
        invitation = Invitation.objects.create(
            email=email,
            token_hash=hash_token(token),
            invited_by=invited_by,
            municipality=municipality,
            message=message,
            created_at=now,
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
    return IssuedInvitation(invitation=invitation, token=token)


logger = logging.getLogger(__name__)

INVITATION_MAIL = "members.invitation"


def _invitation_mail(issued: IssuedInvitation) -> Mail:
    invitation = issued.invitation
    context = {
        "invitation": invitation,
        "url": issued.url,
        "inviter": invitation.invited_by,
        "valid_days": settings.INVITATION_VALID_DAYS,
        "site_url": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_subject("members/emails/invitation_subject.txt", context)
        text = render_to_string("members/emails/invitation.txt", context)
        html = render_to_string("members/emails/invitation.html", context)
    # Stored whole: the link carries the token, of which the database keeps only a hash.
    return Mail(
        kind=INVITATION_MAIL,
        to=invitation.email,
        params={"invitation": invitation.pk},
        subject=subject,
        text=text,
        html=html,
    )


@transaction.atomic
def invitation_create_and_send(
    *,
    email: str,
    invited_by: Member | None,
    municipality: Municipality | None = None,
    message: str = "",
) -> IssuedInvitation:
    """Issue an invitation and queue its mail (Danish, text and HTML) in the outbox, in
    the same transaction, at the highest priority; `sent_at` is set when it has gone."""
    issued = invitation_create(
        email=email, invited_by=invited_by, municipality=municipality, message=message
    )
    mail_queue(mails=[_invitation_mail(issued)], priority=Priority.ACCOUNT)
    return issued


def invitation_mail_sent(*, mail) -> None:
    """Record when an invitation's mail left (the outbox tells, see members.apps)."""
    if mail.kind == INVITATION_MAIL:
        Invitation.objects.filter(pk=mail.params.get("invitation")).update(
            sent_at=mail.sent_at or timezone.now()
        )


def invitation_check(*, token: str) -> Invitation:
    """The usable invitation behind `token`, or InvitationError saying why it is not."""
    invitation = Invitation.objects.filter(token_hash=hash_token(token)).first()
    return _usable(invitation)


def _usable(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise InvitationError(InvitationError.UNKNOWN)
    if invitation.accepted_at is not None:
        raise InvitationError(InvitationError.USED)
    if invitation.revoked_at is not None:
        raise InvitationError(InvitationError.REVOKED)
    if invitation.is_expired:
        raise InvitationError(InvitationError.EXPIRED)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation_id: int, member: Member) -> Invitation:
    """Mark the invitation used by `member`; a second use, even a concurrent one, fails."""
    invitation = _usable(Invitation.objects.select_for_update().filter(pk=invitation_id).first())
    if invitation.email.lower() != member.email.lower():
        raise InvitationError(InvitationError.UNKNOWN)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = member
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


@transaction.atomic
def member_signup_complete(
    *,
    member: Member,
    invitation_id: int,
    job_title: str,
    municipality: Municipality | None,
) -> Member:
    """Finish a signup: use up the invitation, fill in the profile; the member joins the
    home circle (member_municipality_changed)."""
    invitation_accept(invitation_id=invitation_id, member=member)
    member.job_title = job_title
    member.municipality = municipality
    member.save(update_fields=["job_title", "municipality"])
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
    withdraws it). Returns the pending request, if any."""
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


def _end_sessions(member: Member) -> None:
    """Delete the member's sessions from the database and the cache alike."""
    member_id = str(member.pk)
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == member_id:
            session_store(session_key=session.session_key).delete()


def _forget_admin_log(member: Member, original_email: str) -> None:
    """The admin's change log names objects by their text: rewrite what named the member."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Member), object_id=str(member.pk)
    ).update(object_repr=str(member), change_message="")
    LogEntry.objects.filter(object_repr__icontains=original_email).update(
        object_repr=member.email, change_message=""
    )


@transaction.atomic
def member_anonymise(*, member: Member, keep_contributions: bool = True) -> Member:
    """Remove every personal detail of the member and close the account for good; every
    app registered with members.gdpr erases what it holds, and the member's mails, sent or
    not, are deleted.

    The row stays, so that what others wrote in reply keeps its context; nothing left
    on it identifies a person."""
    was_active = member.status == Member.Status.ACTIVE
    # Before the address goes: the outbox knows a mail by its recipient or its address.
    OutgoingMail.objects.for_member(member).delete()
    original_email = member.email
    original_name = member.get_full_name()
    member.email = f"erased-{member.pk}@anonymised.invalid"
    member.first_name = ""
    member.last_name = ""
    member.job_title = ""
    member.phone = ""
    member.bio = ""
    member.municipality = None
    member.status = Member.Status.FORMER
    member.left_on = member.left_on or timezone.localdate()
    member.anonymised_at = timezone.now()
    member.is_active = False
    member.is_staff = False
    member.is_superuser = False
    member.set_unusable_password()
    member.save()
    member.groups.clear()
    member.user_permissions.clear()
    member.circle_memberships.all().delete()
    MunicipalityChangeRequest.objects.filter(member=member).delete()
    EmailAddress.objects.filter(user=member).delete()
    Authenticator.objects.filter(user=member).delete()
    Invitation.objects.filter(email__iexact=original_email).exclude(accepted_by=member).delete()
    Invitation.objects.filter(accepted_by=member).update(
        email=member.email, message="", municipality=None
    )
    _forget_admin_log(member, original_email)
    if original_name:
        LogEntry.objects.filter(object_repr=original_name).update(object_repr=str(member))
    gdpr.erase(member, keep_contributions=keep_contributions)
    if was_active:
        member_left.send(sender=Member, member=member)
    _end_sessions(member)
    return member


class ContributionChoice:
    ANONYMISE = "anonymise"
    DELETE = "delete"


@transaction.atomic
def member_erase(*, member: Member, contributions: str) -> Member:
    """Erase the member's account at their own request; their contributions are
    anonymised or deleted, as they chose."""
    return member_anonymise(
        member=member, keep_contributions=contributions != ContributionChoice.DELETE
    )


@transaction.atomic
def member_mark_former(*, member: Member) -> Member:
    """Record that the member has left the association; they can no longer log in, their
    unsent mails are dropped, and the apps above give up what they held (member_left)."""
    member.status = Member.Status.FORMER
    member.left_on = timezone.localdate()
    member.is_active = False
    member.save(update_fields=["status", "left_on", "is_active"])
    mail_drop_unsent(rows=OutgoingMail.objects.for_member(member))
    member_left.send(sender=Member, member=member)
    return member


def invitation_revoke(*, invitations) -> int:
    """Revoke the pending invitations among `invitations`; returns how many."""
    return invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
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
