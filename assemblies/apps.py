from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssembliesConfig(AppConfig):
    name = "assemblies"
    verbose_name = _("General assembly")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from members import gdpr
        from members.signals import member_left

        from . import mails_preparation, permissions, signals  # noqa: F401
        from .gdpr import AssembliesPersonalData

        gdpr.register("assemblies", AssembliesPersonalData())
        mails_preparation.register()
        member_left.connect(_member_left, dispatch_uid="assemblies.member_left")


def _member_left(sender, *, member, **kwargs) -> None:
    from .services import proxies_end_for_leaving

    # An erased member's proxies are gone already (AssembliesPersonalData.erase).
    proxies_end_for_leaving(member=member, erased=False)
