"""How a member is logged in and loaded for each request."""

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.db.models import Exists, OuterRef

from .models import Member


class MemberBackend(AuthenticationBackend):
    """allauth's login by email; the member of a session is loaded together with whether
    they are on the board, which every request asks (for MFA) and would otherwise cost a
    second query."""

    def get_user(self, user_id):
        on_board = Exists(
            Member.groups.through.objects.filter(
                member_id=OuterRef("pk"), group__name=settings.BOARD_GROUP_NAME
            )
        )
        try:
            member = Member._default_manager.annotate(on_board=on_board).get(pk=user_id)
        except Member.DoesNotExist:
            return None
        if not self.user_can_authenticate(member):
            return None
        member._komdir_is_board = member.on_board  # read by permissions.is_board
        return member
