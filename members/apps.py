from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        # Register this app's rules predicates (permissions are declared in one place).
        # Cached pages go stale on every change to what they show, from any path; no page
        # shows an invitation.
        from core.page_cache import cache_invalidated_by

        from . import permissions  # noqa: F401
        from .models import Member, Municipality, MunicipalityChangeRequest, Region

        cache_invalidated_by(
            Region,
            Municipality,
            MunicipalityChangeRequest,
            Member.groups.through,
            Member.user_permissions.through,
        )
        cache_invalidated_by(Member, fields_not_shown={"last_login"})

        from core.outbox import mail_sent

        from .services import invitation_mail_sent

        mail_sent.connect(
            lambda sender, mail, **kwargs: invitation_mail_sent(mail=mail),
            dispatch_uid="members.invitation_mail_sent",
            weak=False,
        )
