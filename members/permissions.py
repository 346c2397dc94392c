"""Who may do what with members and invitations, as rules predicates."""

import rules
from django.conf import settings

from .models import Member


@rules.predicate
def is_active_member(user) -> bool:
    """Logged in and an active member (former members keep no portal access)."""
    return bool(user.is_authenticated and user.is_active and user.status == Member.Status.ACTIVE)


@rules.predicate
def is_board(user) -> bool:
    """In the group Bestyrelse; cached on the user object for the request."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_komdir_is_board", None)
    if cached is None:
        cached = user.groups.filter(name=settings.BOARD_GROUP_NAME).exists()
        user._komdir_is_board = cached
    return cached


@rules.predicate
def is_staff(user) -> bool:
    """An administrator of the portal (superusers included)."""
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


@rules.predicate
def is_self(user, member) -> bool:
    """The member is the user themselves."""
    return member is not None and user.pk == member.pk


@rules.predicate
def is_deputy(user) -> bool:
    """A deputy's account (a deputy stands in for a member and has no deputy of their own)."""
    return bool(user.is_authenticated and user.is_deputy)


is_privileged = is_board | is_staff

rules.add_perm("members.view_directory", is_active_member)
rules.add_perm("members.view_profile", is_active_member)
rules.add_perm("members.invite", is_active_member & is_privileged)
# Moving a member to another municipality moves them to another circle: the board decides.
rules.add_perm("members.decide_municipality_change", is_active_member & is_privileged)
rules.add_perm("members.change_own_profile", is_active_member & is_self)
rules.add_perm("members.manage_deputy", is_active_member & ~is_deputy)


def requires_mfa(user) -> bool:
    """Staff and board must use a second factor (DESIGN.md, security)."""
    return bool(is_privileged(user))
