from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocusareasConfig(AppConfig):
    name = "focusareas"
    verbose_name = _("Focus areas")

    def ready(self) -> None:
        # Register this app's rules predicates (permissions are declared in one place).
        # Contribution mails are rendered by the outbox when sent.
        from members import gdpr

        from . import mails, permissions  # noqa: F401
        from .gdpr import FocusareasPersonalData

        mails.register()
        gdpr.register("focusareas", FocusareasPersonalData())
