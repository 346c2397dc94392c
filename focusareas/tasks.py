"""Celery tasks: ids in, re-fetch, call a service; each is safe to run twice."""

from celery import shared_task


@shared_task
def weekly_digest_send() -> int:
    """Queue the weekly digests (Monday 07:00 Copenhagen time, see settings)."""
    from . import services

    return services.digest_send_weekly()
