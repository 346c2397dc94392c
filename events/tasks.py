"""Celery tasks for events: thin, ids in, safe to run twice. Never ETA tasks: due
reminders are rows that the beat sweep finds (DESIGN.md)."""

from celery import shared_task


@shared_task(name="events.tasks.reminders_send_due")
def reminders_send_due() -> dict:
    """Move every due reminder into the outbox, which sends it."""
    from . import services

    return {"queued": services.reminders_queue_due()}
