"""Celery tasks for documents: thin, safe to run twice."""

from celery import shared_task


@shared_task(name="documents.tasks.document_files_sweep")
def document_files_sweep() -> dict:
    """Delete stored files that no document version names (rolled-back uploads)."""
    from . import services

    return {"deleted": services.document_files_sweep()}
