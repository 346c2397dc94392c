from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # Register this app's rules predicates (permissions are declared in one place).
        # Event mails are rendered by the outbox when sent; a reminder follows its mail.
        from . import mails, permissions  # noqa: F401

        mails.register()
