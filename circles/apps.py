from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = _("Circles")

    def ready(self) -> None:
        # Register this app's rules predicates (permissions are declared in one place),
        # and the reactions to memberships' and members' changes.
        from members import gdpr

        from . import permissions, signals  # noqa: F401
        from .gdpr import CirclesPersonalData

        gdpr.register("circles", CirclesPersonalData())
