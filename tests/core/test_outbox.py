from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingMail
from core.outbox import (
    MAX_ATTEMPTS,
    Mail,
    Priority,
    backoff,
    mail_queue,
    outbox_send_due,
    render_subject,
)

pytestmark = pytest.mark.django_db


def queue(n: int, *, priority=Priority.MEETING, kind="test.stored", prefix="m") -> None:
    mail_queue(
        mails=[
            Mail(kind=kind, to=f"{prefix}{i}@kommune.example", subject=f"Emne {i}", text="Tekst")
            for i in range(n)
        ],
        priority=priority,
        handoff=False,
    )


class FakeClock:
    """A clock that moves only when the sender sleeps (or the test says so)."""

    def __init__(self):
        self.now = timezone.now()
        self.slept: list[float] = []

    def __call__(self):
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)


def test_account_mails_go_before_a_queued_digest():
    queue(30, priority=Priority.BULK, prefix="digest")
    queue(1, priority=Priority.ACCOUNT, prefix="reset")
    queue(1, priority=Priority.MEETING, prefix="reminder")
    outbox_send_due(batch_size=5)
    order = [m.to[0] for m in mail.outbox]
    assert order[:2] == ["reset0@kommune.example", "reminder0@kommune.example"]
    assert len(order) == 32


def test_every_copy_carries_the_message_id_fixed_when_the_row_was_written():
    queue(2)
    ids = set(OutgoingMail.objects.values_list("message_id", flat=True))
    outbox_send_due()
    assert {m.extra_headers["Message-ID"] for m in mail.outbox} == ids
    assert all(m.message()["Message-ID"] in ids for m in mail.outbox)


def test_each_send_is_recorded_on_its_own_so_a_kill_leaves_at_most_one_in_flight(monkeypatch):
    """A worker killed during the third send: the first two rows are already `sent`."""
    queue(5)
    from django.core.mail.backends.locmem import EmailBackend

    sent = []
    original = EmailBackend.send_messages

    def dies_on_the_third(self, messages):
        if len(sent) == 2:
            raise SystemExit("killed")
        sent.append(messages[0].to[0])
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", dies_on_the_third)
    with pytest.raises(SystemExit):
        outbox_send_due()
    statuses = list(OutgoingMail.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "sending", "sending", "sending"]


def test_the_shared_limit_paces_every_send_with_an_injected_clock(settings):
    settings.EMAIL_MAX_PER_MINUTE = 2
    queue(5)
    clock = FakeClock()
    start = clock.now
    outbox_send_due(clock=clock, sleep=clock.sleep, budget=timedelta(hours=1))
    attempts = sorted(
        (at - start).total_seconds()
        for at in OutgoingMail.objects.values_list("last_attempt_at", flat=True)
    )
    assert attempts == [0, 0, 60, 60, 120]
    assert len(mail.outbox) == 5
    assert not OutgoingMail.objects.exclude(status="sent").exists()


def test_a_paced_sender_hands_back_what_its_budget_cannot_send(settings):
    settings.EMAIL_MAX_PER_MINUTE = 2
    queue(5)
    clock = FakeClock()
    result = outbox_send_due(clock=clock, sleep=clock.sleep, budget=timedelta(seconds=90))
    assert result.sent == 4 and result.paced
    left = OutgoingMail.objects.exclude(status="sent").get()
    assert left.status == "pending" and left.attempts == 0, "no attempt used up"


def test_the_limit_counts_the_sends_of_every_worker():
    """Another worker's sends in the last minute count against this one."""
    from django.test import override_settings

    queue(3)
    mail_queue(
        mails=[Mail(kind="x", to="other@kommune.example", subject="s", text="t")],
        priority=Priority.BULK,
        handoff=False,
    )
    clock = FakeClock()
    OutgoingMail.objects.filter(to_address="other@kommune.example").update(
        status="sent", last_attempt_at=clock.now - timedelta(seconds=30)
    )
    with override_settings(EMAIL_MAX_PER_MINUTE=2):
        outbox_send_due(clock=clock, sleep=clock.sleep, budget=timedelta(hours=1))
    assert clock.slept[0] == pytest.approx(30)


def test_a_failing_mail_backs_off_then_fails_visibly_and_can_be_sent_again(
    monkeypatch, staff_client, django_capture_on_commit_callbacks
):
    queue(1)
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise RuntimeError("550 mailbox unavailable")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    clock = FakeClock()
    dues = []
    for _ in range(MAX_ATTEMPTS):
        outbox_send_due(clock=clock)
        row = OutgoingMail.objects.get()
        dues.append(row.due_at - clock.now)
        clock.now = row.due_at
    assert row.status == "failed" and row.attempts == MAX_ATTEMPTS
    assert "550 mailbox unavailable" in row.last_error
    assert dues[:3] == [backoff(1), backoff(2), backoff(3)]
    monkeypatch.undo()
    changelist = reverse("admin:core_outgoingmail_changelist")
    page = staff_client.get(changelist + "?status__exact=failed")
    assert page.status_code == 200 and "550 mailbox unavailable" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(changelist, {"action": "send_again", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.status == "sent" and len(mail.outbox) == 1


def test_subjects_are_one_plain_line():
    mail_queue(
        mails=[Mail(kind="x", to="a@kommune.example", subject='R&D "x"\nog mere', text="t")],
        priority=Priority.MEETING,
        handoff=False,
    )
    outbox_send_due()
    assert mail.outbox[0].subject == 'R&D "x" og mere'


def test_subject_templates_render_as_plain_text():
    from types import SimpleNamespace

    subject = render_subject(
        "focusareas/emails/contribution_published_subject.txt",
        {"contribution": SimpleNamespace(title='R&D "x"')},
    )
    assert subject.endswith('R&D "x"')


def test_a_dedupe_key_queues_a_mail_once():
    for _ in range(2):
        mail_queue(
            mails=[Mail(kind="x", to="a@kommune.example", subject="s", text="t", dedupe_key="k")],
            priority=Priority.MEETING,
            handoff=False,
        )
    assert OutgoingMail.objects.count() == 1
