from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssembliesConfig(AppConfig):
    name = "assemblies"
    verbose_name = _("General assembly")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from members import gdpr

        from . import permissions  # noqa: F401  (registers the rules predicates)
        from .gdpr import AssembliesPersonalData

        gdpr.register("assemblies", AssembliesPersonalData())
