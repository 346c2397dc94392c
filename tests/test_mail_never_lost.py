"""No mail is ever lost: a failing SMTP server, a broker outage or an odd title delays a
mail, never drops it, and no request waits for SMTP. Written against behaviour (views,
services and what beat runs), so they hold whatever sends the mail."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.signals import request_finished, request_started
from django.urls import reverse
from django.utils import timezone

from circles.models import Circle
from events import services as event_services
from events.models import RSVP, Event
from focusareas import services as focus_services
from focusareas.models import FocusArea, NotificationSetting
from komdir.celery import app
from tests.events.conftest import lead_of, member_of
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def run_beat(*, later: timedelta = timedelta(0)) -> None:
    """Run every periodic task beat runs each minute (not the weekly digest), `later`
    from now, as the workers do once they are back."""
    from unittest import mock

    app.loader.import_default_modules()  # every app's tasks.py, as a worker loads them
    moment = timezone.now() + later
    with mock.patch("django.utils.timezone.now", return_value=moment):
        for entry in settings.CELERY_BEAT_SCHEDULE.values():
            if entry["schedule"] == 60.0:
                app.tasks[entry["task"]].apply()


class RefusingBackend(LocmemBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


class NotInRequestBackend(LocmemBackend):
    """Fails the test when a mail connection is opened while a request is answered."""

    in_request = False

    def open(self):
        assert not NotInRequestBackend.in_request, "a request waited for SMTP"
        return super().open()

    def send_messages(self, messages):
        assert not NotInRequestBackend.in_request, "a request waited for SMTP"
        return super().send_messages(messages)


@pytest.fixture
def hovedstaden():
    return Circle.objects.get(slug="hovedstaden")


def _meeting(lead, circle, **kwargs):
    start = timezone.now() + timedelta(days=10)
    return event_services.event_create(
        actor=lead,
        organiser=lead,
        kind=Event.Kind.CIRCLE_MEETING,
        circle=circle,
        title=kwargs.pop("title", "Kredsmøde"),
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location="Gentofte Rådhus",
        **kwargs,
    )


def test_invitations_are_not_lost_when_smtp_fails_during_the_announcement(
    hovedstaden, settings, django_capture_on_commit_callbacks
):
    lead = lead_of(hovedstaden)
    member = member_of(hovedstaden)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _meeting(lead, hovedstaden)
    assert mail.outbox == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_beat(later=timedelta(hours=1))
    invited = {m.to[0] for m in mail.outbox if "Invitation" in m.subject}
    assert {lead.email, member.email} <= invited


def test_a_title_with_a_line_break_still_invites_everyone(
    hovedstaden, django_capture_on_commit_callbacks
):
    lead = lead_of(hovedstaden)
    member = member_of(hovedstaden)
    with django_capture_on_commit_callbacks(execute=True):
        _meeting(lead, hovedstaden, title="Kredsmøde\nom budget")
    run_beat()
    invitations = [m for m in mail.outbox if "Invitation" in m.subject]
    assert {m.to[0] for m in invitations} >= {lead.email, member.email}
    assert all("\n" not in m.subject for m in invitations)
    assert all(m.message().get("Subject") for m in invitations)


@pytest.fixture
def not_eager():
    """Tasks go to the broker, as in production (tests otherwise run them inline)."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager


def _broker_down(monkeypatch):
    from kombu.exceptions import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("broker unreachable")

    monkeypatch.setattr("celery.app.task.Task.apply_async", refuse)
    monkeypatch.setattr("celery.app.task.Task.delay", refuse)


def test_publishing_while_the_broker_is_down_answers_and_the_followers_are_told_later(
    client, monkeypatch, not_eager, django_capture_on_commit_callbacks
):
    from tests.conftest import login

    follower = MemberFactory()
    area = FocusArea.objects.get(slug="civilsamfund")
    focus_services.focusarea_follow(member=follower, focus_area=area, follow=True)
    NotificationSetting.objects.create(member=follower, frequency="each")
    author = MemberFactory()
    login(client, author)
    _broker_down(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("focusareas:contribution_create"),
            {
                "title": "Frivillige i ældreplejen",
                "body": "Sådan gjorde vi.",
                "tags": "Frivillighed",
                "visibility": "members",
                "publish": "1",
            },
        )
    assert response.status_code == 302
    monkeypatch.undo()
    run_beat()
    assert [m.to for m in mail.outbox if "Frivillige" in m.subject] == [[follower.email]]


def test_a_waitlist_promotion_during_a_broker_outage_is_not_lost(
    hovedstaden, monkeypatch, not_eager, django_capture_on_commit_callbacks
):
    lead = lead_of(hovedstaden)
    event = _meeting(lead, hovedstaden, capacity=1)
    first, second = member_of(hovedstaden), member_of(hovedstaden)
    event_services.rsvp_answer(event=event, member=first, answer="yes")
    event_services.rsvp_answer(event=event, member=second, answer="yes")
    assert RSVP.objects.get(event=event, member=second).waitlisted
    run_beat()
    mail.outbox.clear()
    _broker_down(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.rsvp_answer(event=event, member=first, answer="no")
    monkeypatch.undo()
    run_beat()
    assert [m.to for m in mail.outbox] == [[second.email]]


@pytest.fixture
def no_smtp_in_requests(settings, monkeypatch, not_eager):
    """Eager tasks off (a hand-off reaches no worker here) and a mail backend that fails
    the test when it is opened inside a request."""
    settings.EMAIL_BACKEND = f"{__name__}.NotInRequestBackend"
    handed_off = []
    monkeypatch.setattr(
        "celery.app.task.Task.apply_async", lambda self, *a, **k: handed_off.append(self.name)
    )

    def started(**kwargs):
        NotInRequestBackend.in_request = True

    def finished(**kwargs):
        NotInRequestBackend.in_request = False

    request_started.connect(started)
    request_finished.connect(finished)
    yield handed_off
    request_started.disconnect(started)
    request_finished.disconnect(finished)
    NotInRequestBackend.in_request = False


def test_a_password_reset_request_never_waits_for_smtp(
    client, member, no_smtp_in_requests, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert mail.outbox == []
    assert no_smtp_in_requests, "the mail was handed to a worker"
    run_beat()
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
