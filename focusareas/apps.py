from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocusareasConfig(AppConfig):
    name = "focusareas"
    verbose_name = _("Focus areas")

    def ready(self) -> None:
        # Register this app's rules predicates (permissions are declared in one place).
        # Contribution mails are rendered by the outbox when sent.
        from taggit.models import Tag

        from core.page_cache import cache_invalidated_by
        from members import gdpr

        from . import mails, permissions  # noqa: F401
        from .gdpr import FocusareasPersonalData
        from .models import FocusArea, GuidingQuestion, Page, StrategyPeriod

        # Visitors' cached pages go stale on every change to the association's text,
        # from any path; the tags, which link contributions and events to focus areas,
        # are this app's.
        cache_invalidated_by(
            Page,
            StrategyPeriod,
            FocusArea,
            FocusArea.tags.through,
            GuidingQuestion,
            Tag,
        )
        mails.register()
        gdpr.register("focusareas", FocusareasPersonalData())
