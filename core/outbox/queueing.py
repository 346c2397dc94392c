"""Queueing mail: rows written in the caller's transaction, handed to a worker once after
commit; dropping and retrying rows."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.mail import EmailMessage
from django.utils import timezone

from ..enqueue import enqueue_on_commit
from ..models import OutgoingMail
from .registry import plain_subject

# --- Queueing ---------------------------------------------------------------------------


@dataclass
class Mail:
    """A mail to queue: stored whole (subject and text given) or rendered at send time by
    the renderer of `kind` from `params`."""

    kind: str
    to: str
    recipient: Any = None
    params: dict = field(default_factory=dict)
    subject: str = ""
    text: str = ""
    html: str = ""
    headers: dict = field(default_factory=dict)
    message_id: str | None = None
    dedupe_key: str | None = None

    def row(self, *, priority: int, due_at: datetime) -> OutgoingMail:
        row = OutgoingMail(
            kind=self.kind,
            to_address=self.to,
            recipient=self.recipient,
            params=self.params,
            subject=plain_subject(self.subject),
            body_text=self.text,
            body_html=self.html,
            headers=self.headers,
            dedupe_key=self.dedupe_key,
            priority=priority,
            due_at=due_at,
        )
        if self.message_id:
            row.message_id = self.message_id
        return row


def mail_queue(*, mails: Iterable[Mail], priority: int, handoff: bool = True) -> int:
    """Write the mails as outbox rows in the caller's transaction and hand them to a
    worker after commit (a caller queueing in a loop hands off once, at the end); a mail
    whose dedupe key is queued already is left out. Returns how many rows were written."""
    now = timezone.now()
    rows = [mail.row(priority=priority, due_at=now) for mail in mails]
    if not rows:
        return 0
    keyed = [row.dedupe_key for row in rows if row.dedupe_key]
    taken = set()
    for start in range(0, len(keyed), 500):
        taken.update(
            OutgoingMail.objects.filter(dedupe_key__in=keyed[start : start + 500]).values_list(
                "dedupe_key", flat=True
            )
        )
    rows = [row for row in rows if not row.dedupe_key or row.dedupe_key not in taken]
    OutgoingMail.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=bool(keyed))
    if rows and handoff:
        outbox_handoff()
    return len(rows)


def mail_fan_out(*, kind: str, params: dict, priority: int) -> None:
    """Queue one row for a mail to many, in the caller's transaction: a worker's
    expander for `kind` writes a mail per recipient (each once, however often it runs),
    so the request's work does not grow with the number of recipients."""
    mail_queue(mails=[Mail(kind=kind, to="", params=params)], priority=priority)


def mail_queue_message(*, message: EmailMessage, kind: str, priority: int, recipient=None) -> int:
    """Queue a mail Django or allauth rendered (one row per address); returns rows written."""
    html = ""
    for content, mimetype in getattr(message, "alternatives", ()) or ():
        if mimetype == "text/html":
            html = content
    headers = {k: v for k, v in (message.extra_headers or {}).items() if k != "Message-ID"}
    return mail_queue(
        mails=[
            Mail(
                kind=kind,
                to=address,
                recipient=recipient,
                subject=message.subject,
                text=message.body,
                html=html,
                headers=headers,
            )
            for address in message.to
        ],
        priority=priority,
    )


def outbox_handoff() -> None:
    """After commit, ask a worker once to send what is due (never retried, never waited
    for: the sweep takes what a lost hand-off left)."""
    from ..tasks import outbox_send_due_task

    enqueue_on_commit(outbox_send_due_task)


def mail_drop_unsent(*, rows) -> int:
    """Drop the unsent mails among `rows` (an erased member's, say); returns how many."""
    return rows.filter(status__in=[OutgoingMail.Status.PENDING, OutgoingMail.Status.FAILED]).update(
        status=OutgoingMail.Status.DROPPED, last_error=""
    )


def mail_retry(*, rows) -> int:
    """Send failed mails again from a fresh set of attempts (admin: "send again")."""
    changed = rows.filter(status=OutgoingMail.Status.FAILED).update(
        status=OutgoingMail.Status.PENDING, attempts=0, due_at=timezone.now(), claimed_at=None
    )
    if changed:
        outbox_handoff()
    return changed
