"""Celery tasks of the outbox: thin, safe to run twice, many at once."""

from celery import shared_task


@shared_task(name="core.tasks.outbox_send_due")
def outbox_send_due_task() -> dict:
    """Send what is due in the outbox (a hand-off after commit, and the periodic sweep)."""
    from .outbox import outbox_handoff, outbox_send_due

    result = outbox_send_due()
    if result.more:
        outbox_handoff()  # a long queue (a digest) goes on at once, not at the next beat
    return {"sent": result.sent, "dropped": result.dropped, "failed": result.failed}
