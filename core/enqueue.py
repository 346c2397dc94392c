"""The one way services queue background work: after commit, once, never blocking."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Publish `task` once the transaction has committed, without retrying: a broker that
    does not answer costs the request at most its connect timeout and loses no data,
    because the rows are the truth and a periodic sweep takes what was not handed over."""

    def publish() -> None:
        try:
            task.apply_async(args, kwargs, retry=False)
        except Exception as error:
            # One line, no traceback: an outage is expected, and the sweep catches up.
            logger.warning(
                "Could not queue %s%r; the sweep will catch up: %s", task.name, args, error
            )

    transaction.on_commit(publish)
