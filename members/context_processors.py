import rules

from . import permissions


def roles(request) -> dict:
    """Role flags for the navigation, evaluated lazily so anonymous pages cost no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_member": False, "is_board": False, "can_invite": False}
    return {
        "is_member": permissions.is_active_member(user),
        "is_board": lambda: permissions.is_board(user),
        "can_invite": lambda: rules.has_perm("members.invite", user),
    }
