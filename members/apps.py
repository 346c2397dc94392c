from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        # Register this app's rules predicates (permissions are declared in one place).
        from core.outbox import mail_sent

        from . import permissions  # noqa: F401
        from .services import invitation_mail_sent

        mail_sent.connect(
            lambda sender, mail, **kwargs: invitation_mail_sent(mail=mail),
            dispatch_uid="members.invitation_mail_sent",
            weak=False,
        )
        from allauth.mfa.signals import authenticator_added

        from .adapters import record_second_factor_set_up

        authenticator_added.connect(
            record_second_factor_set_up, dispatch_uid="members.second_factor_set_up"
        )
