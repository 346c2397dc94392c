"""Sending the outbox: claims under a lease, highest priority first, the shared pace,
each send recorded on its own, retries with backoff; fan-out rows expanded."""

import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone

from ..models import MailPace, OutgoingMail
from .queueing import mail_queue
from .registry import _expanders, _renderers, mail_dropped, mail_failed, mail_sent, plain_subject

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# Rows claimed at once: small, so that an account mail queued during a long digest is
# taken by the next claim, seconds later.
BATCH_SIZE = 20


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


def _expand(mail: OutgoingMail) -> None:
    """Write the fan-out row's mails, once: each carries a dedupe key of the row and its
    address, so an expansion repeated after a crash adds nothing."""
    with transaction.atomic():
        mails = list(_expanders[mail.kind](mail))
        for each in mails:
            each.dedupe_key = each.dedupe_key or f"{mail.pk}:{each.to.lower()}"
        mail_queue(mails=mails, priority=mail.priority, handoff=False)
        _finish(mail, OutgoingMail.Status.EXPANDED, None, last_error="")
