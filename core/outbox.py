"""The outbox: how every mail of the portal is queued and sent.

Queueing writes a row in the caller's transaction and, after commit, hands the work to
a worker once (no request waits for SMTP or the broker). The periodic sweep is the
safety net for whatever the worker did not take. Sending claims rows with skip_locked
under a lease, highest priority first, keeps the relay's pace shared by every worker
(EMAIL_MAX_PER_MINUTE, counted in the database), records each send on its own and
retries failures with backoff until the last attempt marks the row `failed`.
"""

import logging
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from .enqueue import enqueue_on_commit
from .models import MailPace, OutgoingMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# Rows claimed at once: small, so that an account mail queued during a long digest is
# taken by the next claim, seconds later.
BATCH_SIZE = 20
# Sent once a mail reached its final state: sender is OutgoingMail, `mail` the row.
mail_sent = Signal()
mail_dropped = Signal()
mail_failed = Signal()

Priority = OutgoingMail.Priority

# kind -> renderer(mail, memo) -> EmailMessage, or None when the mail is no longer
# wanted (the event was cancelled, the member declined). `memo` lives for one batch,
# so what many mails share is rendered once.
Renderer = Callable[[OutgoingMail, dict], EmailMessage | None]
_renderers: dict[str, Renderer] = {}
# kind -> expander(row) -> the mails of a fan-out row, one per recipient.
Expander = Callable[[OutgoingMail], Iterable["Mail"]]
_expanders: dict[str, Expander] = {}


def renderer_register(kind: str, renderer: Renderer) -> None:
    """Tell the outbox how to render mails of `kind` when they are sent (apps call this
    in their AppConfig.ready())."""
    _renderers[kind] = renderer


def expander_register(kind: str, expander: Expander) -> None:
    """Tell the outbox who gets a fan-out mail of `kind` (apps call this in ready())."""
    _expanders[kind] = expander


def plain_subject(subject: str) -> str:
    """A subject on one line, whatever line breaks a title brought."""
    return " ".join(str(subject).split())


def render_subject(template_name: str, context: dict) -> str:
    """A subject template rendered as plain text: `R&D "x"` stays `R&D "x"`."""
    template = get_template(template_name).template
    return plain_subject(template.render(Context(context, autoescape=False)))


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


def _expand(mail: OutgoingMail) -> None:
    """Write the fan-out row's mails, once: each carries a dedupe key of the row and its
    address, so an expansion repeated after a crash adds nothing."""
    with transaction.atomic():
        mails = list(_expanders[mail.kind](mail))
        for each in mails:
            each.dedupe_key = each.dedupe_key or f"{mail.pk}:{each.to.lower()}"
        mail_queue(mails=mails, priority=mail.priority, handoff=False)
        _finish(mail, OutgoingMail.Status.EXPANDED, None, last_error="")


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
    from .tasks import outbox_send_due_task

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


# --- Sending ----------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int = 0
    dropped: int = 0
    failed: int = 0
    retrying: int = 0
    paced: bool = False
    # The budget ran out with mail still due: the caller hands the rest on.
    more: bool = False
    sent_ids: list[int] = field(default_factory=list)


def _lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def backoff(attempts: int) -> timedelta:
    """The wait before attempt `attempts` + 1: 1, 2, 4, 8, 16 minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _claim(*, now: datetime, batch_size: int) -> list[OutgoingMail]:
    """Claim due rows, highest priority first, in a short transaction: other senders skip
    the locked ones and see the claimed ones `sending`; a lease past its time is taken
    again (a worker died) and its mail goes out under the same Message-ID."""
    claimable = Q(status=OutgoingMail.Status.PENDING, due_at__lte=now) | Q(
        status=OutgoingMail.Status.SENDING, claimed_at__lt=now - _lease()
    )
    with transaction.atomic():
        ids = list(
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(claimable)
            .order_by("priority", "due_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return []
        # The condition again: where rows cannot be locked (SQLite, in development), a
        # second sender's update finds them taken and changes nothing.
        OutgoingMail.objects.filter(claimable, pk__in=ids).update(
            status=OutgoingMail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(
        OutgoingMail.objects.filter(pk__in=ids, claimed_at=now)
        .select_related("recipient")
        .order_by("priority", "due_at", "pk")
    )


def _take_slot(*, mail: OutgoingMail, now: datetime) -> timedelta | None:
    """Record that `mail` is handed to the relay now, or say how long to wait for a free
    slot of EMAIL_MAX_PER_MINUTE, which every sender shares through the database."""
    limit = settings.EMAIL_MAX_PER_MINUTE
    if not limit:
        OutgoingMail.objects.filter(pk=mail.pk).update(last_attempt_at=now)
        return None
    with transaction.atomic():
        MailPace.objects.get_or_create(pk=1)
        MailPace.objects.select_for_update().get(pk=1)
        window = list(
            OutgoingMail.objects.filter(last_attempt_at__gt=now - timedelta(minutes=1))
            .order_by("last_attempt_at")
            .values_list("last_attempt_at", flat=True)[:limit]
        )
        if len(window) >= limit:
            return window[0] + timedelta(minutes=1) - now
        OutgoingMail.objects.filter(pk=mail.pk).update(last_attempt_at=now)
    return None


def _message(mail: OutgoingMail, memo: dict) -> EmailMessage | None:
    if mail.is_stored:
        message = EmailMultiAlternatives(
            subject=mail.subject, body=mail.body_text, to=[mail.to_address]
        )
        if mail.body_html:
            message.attach_alternative(mail.body_html, "text/html")
        message.extra_headers.update(mail.headers)
    else:
        renderer = _renderers.get(mail.kind)
        if renderer is None:
            raise LookupError(f"No renderer for mail kind {mail.kind!r}")
        message = renderer(mail, memo)
        if message is None:
            return None
        message.to = [mail.to_address]
    message.subject = plain_subject(message.subject)
    message.extra_headers["Message-ID"] = mail.message_id
    return message


def _finish(mail: OutgoingMail, status: str, signal: Signal | None, **fields) -> None:
    mail.status = status
    for name, value in fields.items():
        setattr(mail, name, value)
    with transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk, claimed_at=mail.claimed_at).update(
            status=status, **fields
        )
        if signal is not None:
            signal.send(sender=OutgoingMail, mail=mail)


def _failed(mail: OutgoingMail, error: Exception, *, now: datetime, result: SendResult) -> None:
    logger.warning("Mail %s (%s) not sent: %s", mail.pk, mail.kind, error)
    text = f"{type(error).__name__}: {error}"[:2000]
    if mail.attempts >= MAX_ATTEMPTS:
        _finish(mail, OutgoingMail.Status.FAILED, mail_failed, last_error=text)
        result.failed += 1
    else:
        OutgoingMail.objects.filter(pk=mail.pk, claimed_at=mail.claimed_at).update(
            status=OutgoingMail.Status.PENDING,
            due_at=now + backoff(mail.attempts),
            last_error=text,
        )
        result.retrying += 1


def _hand_back(mails: list[OutgoingMail]) -> None:
    """Return claimed rows that were not tried, without using up an attempt."""
    for mail in mails:
        OutgoingMail.objects.filter(pk=mail.pk, claimed_at=mail.claimed_at).update(
            status=OutgoingMail.Status.PENDING, attempts=F("attempts") - 1, claimed_at=None
        )


# An error of the connection, not of one message: the rest of the batch waits too.
_CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError)


def outbox_send_due(
    *,
    batch_size: int = BATCH_SIZE,
    clock: Callable[[], datetime] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    budget: timedelta | None = None,
) -> SendResult:
    """Send due mails, highest priority first, until none is due or `budget` (half the
    lease) is spent; each send is recorded on its own. `clock` and `sleep` are for tests."""
    clock = clock or timezone.now
    result = SendResult()
    started = clock()
    budget = budget if budget is not None else _lease() / 2
    _retire(now=started)
    while clock() - started < budget:
        batch = _claim(now=clock(), batch_size=batch_size)
        if not batch:
            return result
        memo: dict = {}  # what the renderers share within one batch
        connection = get_connection()
        opened = False
        try:
            for position, mail in enumerate(batch):
                now = clock()
                # The first mail of a claim always goes, so that a slow start (a busy
                # machine) still makes progress; the rest wait for the next sweep.
                if position and now - started >= budget:
                    _hand_back(batch[position:])
                    result.more = True
                    return result
                if mail.kind in _expanders:
                    try:
                        _expand(mail)
                    except Exception as error:
                        _failed(mail, error, now=clock(), result=result)
                    continue
                wait = _take_slot(mail=mail, now=now)
                while wait is not None:
                    result.paced = True
                    if clock() + wait - started >= budget:
                        _hand_back(batch[position:])
                        result.more = True
                        return result
                    sleep(wait.total_seconds())
                    wait = _take_slot(mail=mail, now=clock())
                try:
                    message = _message(mail, memo)
                except Exception as error:
                    _failed(mail, error, now=clock(), result=result)
                    continue
                if message is None:
                    _finish(mail, OutgoingMail.Status.DROPPED, mail_dropped, last_error="")
                    result.dropped += 1
                    continue
                try:
                    if not opened:
                        # Opened once per batch: a connection the backend opens itself
                        # is closed again after every message.
                        connection.open()
                        opened = True
                    message.connection = connection
                    message.send()
                except _CONNECTION_ERRORS as error:
                    _failed(mail, error, now=clock(), result=result)
                    _hand_back(batch[position + 1 :])
                    return result
                except Exception as error:
                    _failed(mail, error, now=clock(), result=result)
                    continue
                _finish(mail, OutgoingMail.Status.SENT, mail_sent, sent_at=clock(), last_error="")
                result.sent += 1
                result.sent_ids.append(mail.pk)
        finally:
            try:
                connection.close()
            except Exception:
                logger.warning("Could not close the mail connection", exc_info=True)
    result.more = True
    return result


def _retire(*, now: datetime) -> None:
    """Fail rows whose lease ran out on their last attempt."""
    for mail in OutgoingMail.objects.filter(
        status=OutgoingMail.Status.SENDING,
        claimed_at__lt=now - _lease(),
        attempts__gte=MAX_ATTEMPTS,
    ):
        _finish(mail, OutgoingMail.Status.FAILED, mail_failed, last_error="lease expired")
