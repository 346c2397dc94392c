"""Invitations: issued with a hashed token, mailed through the outbox, checked and accepted once."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.outbox import Mail, Priority, mail_queue, render_subject

from ..models import (
    Invitation,
    Member,
    Municipality,
    hash_token,
    new_token,
)


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
    name: str = "",
    deputy_for: Member | None = None,
) -> IssuedInvitation:
    """Issue a new invitation for `email`, revoking earlier pending ones; the raw token is
    returned once and only its hash is stored. With `deputy_for`, the person accepting
    becomes that member's deputy (in the member's municipality)."""
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
            municipality=deputy_for.municipality if deputy_for else municipality,
            message=message,
            name=name,
            deputy_for=deputy_for,
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
        "deputy_for": invitation.deputy_for,
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
    name: str = "",
    deputy_for: Member | None = None,
) -> IssuedInvitation:
    """Issue an invitation and queue its mail (Danish, text and HTML) in the outbox, in
    the same transaction, at the highest priority; `sent_at` is set when it has gone."""
    issued = invitation_create(
        email=email,
        invited_by=invited_by,
        municipality=municipality,
        message=message,
        name=name,
        deputy_for=deputy_for,
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


def invitation_revoke(*, invitations) -> int:
    """Revoke the pending invitations among `invitations`; returns how many."""
    return invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
