from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # Register this app's rules predicates, its part in the GDPR export and erasure,
        # and forget the storage when a test changes STORAGES.
        from django.test.signals import setting_changed

        from members import gdpr

        from . import permissions, signals  # noqa: F401
        from .gdpr import DocumentsPersonalData
        from .storage import storage_settings_changed

        gdpr.register("documents", DocumentsPersonalData())
        setting_changed.connect(storage_settings_changed, dispatch_uid="documents.storage")
