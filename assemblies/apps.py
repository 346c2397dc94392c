from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssembliesConfig(AppConfig):
    name = "assemblies"
    verbose_name = _("General assembly")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from members import gdpr

        from . import mails_preparation, permissions, signals  # noqa: F401
        from .gdpr import AssembliesPersonalData

        gdpr.register("assemblies", AssembliesPersonalData())
        mails_preparation.register()
