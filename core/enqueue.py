"""The one way a write queues a Celery task: after its transaction commits, never
waiting on a broker that does not answer.

A publish that fails is logged and dropped: the user's request never fails for it. The
database holds the truth, and the reminder sweep catches up on what a lost message would
have done; for work that no sweep redoes (the focus-area notification mails, so far),
the log line is the record of what was lost. Publishing is tried once (no retries), and
connecting gives up within CELERY_BROKER_CONNECTION_TIMEOUT (settings): a dead broker
costs well under a second."""

import logging

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` once the current transaction commits (at once
    outside one); a broker failure is logged, never raised."""

    def publish() -> None:
        try:
            task.apply_async(args, kwargs, retry=False)
        except Exception as error:
            logger.warning("Could not queue %s%r: %s", task.name, args, error)

    transaction.on_commit(publish)
