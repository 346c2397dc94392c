from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # Register this app's rules predicates (permissions are declared in one place).
        from . import permissions  # noqa: F401
