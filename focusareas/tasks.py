"""Celery tasks: ids in, re-fetch, call a service; each is safe to run twice."""

from celery import shared_task

from . import services


@shared_task
def contribution_published_notify(contribution_id: int) -> int:
    """Mail the followers who want a mail per new contribution."""
    return services.contribution_notify_followers(contribution_id=contribution_id)


@shared_task
def contribution_hidden_notify(contribution_id: int) -> bool:
    """Tell the author why the board hid their contribution."""
    return services.contribution_hidden_notify_author(contribution_id=contribution_id)


@shared_task
def weekly_digest_send() -> int:
    """Send the weekly digests (Monday 07:00 Copenhagen time, see settings)."""
    return services.digest_send_weekly()
