"""Celery tasks for events: thin, ids in, safe to run twice. Never ETA tasks: due
reminders are rows that the beat sweep finds (DESIGN.md)."""

from celery import shared_task

from . import services


@shared_task(name="events.tasks.reminders_send_due")
def reminders_send_due() -> dict:
    """Send every due reminder and any announcement a lost task left behind."""
    result = services.reminders_send_due()
    announced = services.events_announce_pending()
    return {
        "sent": result.sent,
        "skipped": result.skipped,
        "failed": result.failed,
        "announced": announced,
    }


@shared_task(name="events.tasks.event_announce")
def event_announce_task(event_id: int) -> int:
    """Mail the event's current invitation, update or cancellation, once."""
    return services.event_announce(event_id=event_id)


@shared_task(name="events.tasks.rsvp_promotion_notify")
def rsvp_promotion_notify_task(rsvp_id: int) -> bool:
    """Tell a member promoted from the waitlist that they have a seat."""
    return services.rsvp_promotion_notify(rsvp_id=rsvp_id)
