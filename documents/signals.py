"""A deleted version takes its file with it, however it went: its document deleted, or
its event (the database cascades), from the portal or the admin."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import DocumentVersion
from .storage import document_storage


@receiver(post_delete, sender=DocumentVersion, dispatch_uid="documents.version_file_delete")
def version_file_delete(sender, *, instance: DocumentVersion, **kwargs) -> None:
    name = instance.file.name
    if name:
        # Once committed: a rolled-back deletion keeps its file.
        transaction.on_commit(lambda: document_storage.delete(name))
