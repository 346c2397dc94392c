"""Writes for members, invitations and a member's leaving, by sub-domain. Views, admin
actions, adapters and commands call these, as `from members import services`."""

from .deputies import (
    DeputyError,
    deputy_invitations_revoke,
    deputy_invite,
    deputy_invite_check,
    deputy_link,
    deputy_remove,
)
from .invitations import (
    INVITATION_MAIL,
    InvitationAlreadyMember,
    InvitationError,
    IssuedInvitation,
    invitation_accept,
    invitation_check,
    invitation_create,
    invitation_create_and_send,
    invitation_mail_sent,
    invitation_revoke,
)
from .leaving import (
    ContributionChoice,
    member_anonymise,
    member_erase,
    member_mark_former,
)
from .profile import (
    MunicipalityChangeDecided,
    member_save_from_admin,
    member_signup_complete,
    member_update_profile,
    municipality_change_approve,
    municipality_change_reject,
    municipality_change_request,
)

__all__ = [
    "INVITATION_MAIL",
    "ContributionChoice",
    "DeputyError",
    "InvitationAlreadyMember",
    "InvitationError",
    "IssuedInvitation",
    "MunicipalityChangeDecided",
    "deputy_invitations_revoke",
    "deputy_invite",
    "deputy_invite_check",
    "deputy_link",
    "deputy_remove",
    "invitation_accept",
    "invitation_check",
    "invitation_create",
    "invitation_create_and_send",
    "invitation_mail_sent",
    "invitation_revoke",
    "member_anonymise",
    "member_erase",
    "member_mark_former",
    "member_save_from_admin",
    "member_signup_complete",
    "member_update_profile",
    "municipality_change_approve",
    "municipality_change_reject",
    "municipality_change_request",
]
