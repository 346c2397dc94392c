from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # Register this app's rules predicates (permissions are declared in one place).
        # Event mails are rendered by the outbox when sent; a reminder follows its mail.
        from circles.signals import circle_membership_left
        from members import gdpr
        from members.signals import member_left

        from . import mails, permissions  # noqa: F401
        from .gdpr import EventsPersonalData

        mails.register()
        gdpr.register("events", EventsPersonalData())
        member_left.connect(_member_left, dispatch_uid="events.member_left")
        circle_membership_left.connect(_circle_left, dispatch_uid="events.circle_left")


def _member_left(sender, *, member, **kwargs) -> None:
    from .services import member_gives_up_events

    member_gives_up_events(member=member)


def _circle_left(sender, *, member, circle, **kwargs) -> None:
    from .models import Event
    from .services import rsvps_withdraw

    rsvps_withdraw(member=member, events=Event.objects.filter(circle=circle))
