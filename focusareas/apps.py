from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocusareasConfig(AppConfig):
    name = "focusareas"
    verbose_name = _("Focus areas")

    def ready(self) -> None:
        # Register this app's rules predicates (permissions are declared in one place).
        # Contribution mails are rendered by the outbox when sent.
        from taggit.models import Tag, TaggedItem

        from core.page_cache import cache_invalidated_by
        from members import gdpr

        from . import mails, permissions  # noqa: F401
        from .gdpr import FocusareasPersonalData
        from .models import (
            Comment,
            Contribution,
            FocusArea,
            FocusAreaFollow,
            FocusAreaRevision,
            GuidingQuestion,
            NotificationSetting,
            Page,
            StrategyPeriod,
            TagFollow,
        )

        # Cached pages go stale on every change to what they show, from any path: the
        # association's text (visitors see it too) and the rest; the tags, which link
        # contributions and events to focus areas, are this app's. No page shows the
        # mail deliveries.
        cache_invalidated_by(
            Page,
            StrategyPeriod,
            FocusArea,
            FocusArea.tags.through,
            GuidingQuestion,
            Tag,
            public=True,
        )
        cache_invalidated_by(
            FocusAreaRevision,
            Contribution,
            Comment,
            FocusAreaFollow,
            TagFollow,
            NotificationSetting,
            TaggedItem,
        )
        mails.register()
        gdpr.register("focusareas", FocusareasPersonalData())
