"""The outbox: how every mail of the portal is queued and sent.

Queueing writes a row in the caller's transaction and, after commit, hands the work to
a worker once (no request waits for SMTP or the broker). The periodic sweep is the
safety net for whatever the worker did not take. Sending claims rows with skip_locked
under a lease, highest priority first, keeps the relay's pace shared by every worker
(EMAIL_MAX_PER_MINUTE, counted in the database), records each send on its own and
retries failures with backoff until the last attempt marks the row `failed`.
"""

from .queueing import (
    Mail,
    mail_drop_unsent,
    mail_fan_out,
    mail_queue,
    mail_queue_message,
    mail_retry,
    outbox_handoff,
)
from .registry import (
    Priority,
    expander_register,
    mail_dropped,
    mail_failed,
    mail_sent,
    plain_subject,
    render_subject,
    renderer_register,
)
from .sending import BATCH_SIZE, MAX_ATTEMPTS, SendResult, backoff, outbox_send_due

__all__ = [
    "BATCH_SIZE",
    "MAX_ATTEMPTS",
    "Mail",
    "Priority",
    "SendResult",
    "backoff",
    "expander_register",
    "mail_drop_unsent",
    "mail_dropped",
    "mail_failed",
    "mail_fan_out",
    "mail_queue",
    "mail_queue_message",
    "mail_retry",
    "mail_sent",
    "outbox_handoff",
    "outbox_send_due",
    "plain_subject",
    "render_subject",
    "renderer_register",
]
