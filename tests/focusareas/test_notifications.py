"""Following, the per-contribution mail and the weekly digest (Monday 07:00 Copenhagen)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from core.outbox import outbox_send_due
from core.time import COPENHAGEN
from focusareas import services, tasks
from focusareas.models import Contribution, DigestDelivery, NotificationSetting
from komdir.celery import app
from tests.focusareas.factories import ContributionFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def follower(civilsamfund):
    member = MemberFactory(first_name="Karen")
    services.focusarea_follow(member=member, focus_area=civilsamfund, follow=True)
    return member


def test_the_weekly_digest_is_sent_once_per_member_per_week_however_often_it_runs(follower):
    now = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # Monday 07:00 in Copenhagen
    ContributionFactory(
        title="Ugens erfaring", tags=["Frivillighed"], published_at=now - timedelta(days=2)
    )
    ContributionFactory(
        title="Gammel erfaring", tags=["Frivillighed"], published_at=now - timedelta(days=20)
    )
    mail.outbox.clear()
    assert services.digest_send_weekly(now=now) == 1
    assert services.digest_send_weekly(now=now + timedelta(minutes=5)) == 0
    outbox_send_due()
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert "Ugens erfaring" in mail.outbox[0].body
    assert "Gammel erfaring" not in mail.outbox[0].body
    assert reverse("focusareas:notifications") in mail.outbox[0].body
    assert DigestDelivery.objects.filter(member=follower, iso_week=10).count() == 1
    assert services.digest_send_weekly(now=now + timedelta(days=7)) == 0, "nothing new"


def test_the_digest_task_run_twice_mails_each_member_once(follower):
    ContributionFactory(tags=["Civilsamfund"])
    mail.outbox.clear()
    tasks.weekly_digest_send.delay()
    tasks.weekly_digest_send.delay()
    outbox_send_due()
    assert len(mail.outbox) == 1


def test_members_who_chose_each_mail_or_none_get_no_digest(follower):
    ContributionFactory(tags=["Civilsamfund"])
    NotificationSetting.objects.create(member=follower, frequency="none")
    assert services.digest_send_weekly() == 0


def test_a_published_contribution_mails_followers_who_asked_for_each_once(
    follower, civilsamfund, django_capture_on_commit_callbacks
):
    NotificationSetting.objects.create(member=follower, frequency="each")
    author = MemberFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        contribution = services.contribution_create(
            author=author,
            title="Nyt fra Bornholm",
            body="Hele teksten står her.",
            tags=["Foreninger"],
            publish=True,
        )
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert "Hele teksten står her." in mail.outbox[0].body, "open to all members: the text too"
    services.contribution_publish(contribution=contribution)
    outbox_send_due()
    assert len(mail.outbox) == 1, "published again: no second mail"


def test_following_a_tag_works_like_following_a_focus_area(member_client, member):
    ContributionFactory(title="Om brandværn", tags=["Beredskab"], author=MemberFactory())
    member_client.post(reverse("focusareas:tag_follow", args=["beredskab"]), {"follow": "1"})
    assert "Om brandværn" in member_client.get(reverse("home")).content.decode()
    assert services.digest_send_weekly() == 1


def test_the_notification_page_saves_the_choice_and_the_followed_areas(
    member_client, member, civilsamfund, frisaettelse
):
    url = reverse("focusareas:notifications")
    assert member_client.get(url).status_code == 200
    response = member_client.post(url, {"frequency": "each", "focus_areas": [civilsamfund.pk]})
    assert response.status_code == 302
    assert member.contribution_notifications.frequency == "each"
    assert list(member.focus_area_follows.values_list("focus_area", flat=True)) == [civilsamfund.pk]
    member_client.post(url, {"frequency": "weekly", "focus_areas": [frisaettelse.pk]})
    assert list(member.focus_area_follows.values_list("focus_area", flat=True)) == [frisaettelse.pk]
    assert member_client.post(url, {"frequency": "hourly"}).status_code == 200


@pytest.mark.parametrize(
    ("last_run", "not_yet", "due"),
    [
        # winter: 07:00 CET is 06:00 UTC
        (
            datetime(2026, 1, 5, 6, 0, tzinfo=UTC) - timedelta(days=7),
            datetime(2026, 1, 5, 5, 59, tzinfo=UTC),
            datetime(2026, 1, 5, 6, 0, 5, tzinfo=UTC),
        ),
        # summer: 07:00 CEST is 05:00 UTC
        (
            datetime(2026, 6, 1, 5, 0, tzinfo=UTC) - timedelta(days=7),
            datetime(2026, 6, 1, 4, 59, tzinfo=UTC),
            datetime(2026, 6, 1, 5, 0, 5, tzinfo=UTC),
        ),
    ],
)
def test_the_digest_is_scheduled_on_monday_at_seven_copenhagen_time(last_run, not_yet, due):
    assert settings.CELERY_TIMEZONE == "UTC"
    entry = settings.CELERY_BEAT_SCHEDULE["focusareas-weekly-digest"]
    assert entry["task"] == tasks.weekly_digest_send.name
    schedule = entry["schedule"]
    schedule.app = app
    original = schedule.nowfun
    try:
        schedule.nowfun = lambda: not_yet.astimezone(COPENHAGEN)
        assert not schedule.is_due(last_run).is_due
        schedule.nowfun = lambda: due.astimezone(COPENHAGEN)
        assert schedule.is_due(last_run).is_due
    finally:
        schedule.nowfun = original
    assert due.astimezone(COPENHAGEN).strftime("%a %H:%M") == "Mon 07:00"


def test_with_the_broker_down_publishing_and_hiding_answer_as_usual(
    member_client, board_member, monkeypatch, django_capture_on_commit_callbacks
):
    from django.test import Client
    from kombu.exceptions import OperationalError

    from tests.conftest import login

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    from core.tasks import outbox_send_due_task

    monkeypatch.setattr(outbox_send_due_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("focusareas:contribution_create"),
            {"title": "Under nedbruddet", "body": "Tekst", "visibility": "members", "publish": "1"},
        )
    assert response.status_code == 302
    contribution = Contribution.objects.get(title="Under nedbruddet")
    assert contribution.is_published

    board = login(Client(), board_member, mfa=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = board.post(
            reverse("focusareas:contribution_hide", args=[contribution.pk]), {"reason": "Test"}
        )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.hidden_at is not None
