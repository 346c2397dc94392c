from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocusareasConfig(AppConfig):
    name = "focusareas"
    verbose_name = _("Focus areas")

    def ready(self) -> None:
        # Register this app's rules predicates (permissions are declared in one place).
        from . import permissions  # noqa: F401

        self._invalidate_public_pages_on_edits()

    def _invalidate_public_pages_on_edits(self) -> None:
        # Signals, not only the services: the board and the admins also edit these
        # models through the admin, and a public page must never outlive an edit.
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from taggit.models import Tag

        from .caching import public_pages_changed
        from .models import FocusArea, GuidingQuestion, Page, StrategyPeriod

        for model in (Page, StrategyPeriod, FocusArea, GuidingQuestion, Tag):
            post_save.connect(public_pages_changed, sender=model, weak=False)
            post_delete.connect(public_pages_changed, sender=model, weak=False)
        m2m_changed.connect(public_pages_changed, sender=FocusArea.tags.through, weak=False)
