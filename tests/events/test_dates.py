"""Dates in Danish (and in English when chosen) where members read them: the event list's
rows, the event page, its reminder tables and the mails; written here by hand, not with the
formats under test."""

from datetime import UTC, date

import pytest
from django.urls import reverse
from django.utils import timezone

from events.mails import event_mail_parts
from events.models import Reminder
from tests.conftest import login
from tests.events.conftest import copenhagen, deliver_outbox, schedule

pytestmark = pytest.mark.django_db

DANISH_DAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
DANISH_SHORT_MONTHS = [
    "jan.", "feb.", "marts", "april", "maj", "juni",
    "juli", "aug.", "sept.", "okt.", "nov.", "dec.",
]  # fmt: skip
ENGLISH_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@pytest.fixture
def december_meeting(lead, hovedstaden):
    """A meeting on 2 December next year, 10:00 to 13:00 in Copenhagen."""
    year = timezone.localdate().year + 1
    event = schedule(organiser=lead, circle=hovedstaden, starts_at=copenhagen(year, 12, 2, 10))
    deliver_outbox()
    return event


def in_english(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def row_of(page: str, event) -> str:
    return page.split(f'href="{event.get_absolute_url()}"')[0].rsplit("<tr>", 1)[1]


def test_the_event_list_writes_the_day_in_danish_or_english(client, lead, december_meeting):
    start = timezone.localtime(december_meeting.starts_at)
    day, year = DANISH_DAYS[start.weekday()][:3], start.year
    login(client, lead)
    row = row_of(client.get(reverse("events:list")).content.decode(), december_meeting)
    assert f"{day} 2. dec. {year}" in row and "10:00\N{EN DASH}13:00" in row
    assert "Dec" not in row
    in_english(client)
    row = row_of(client.get(reverse("events:list")).content.decode(), december_meeting)
    assert f"{ENGLISH_DAYS[start.weekday()][:3]} 2 Dec {year}" in row


def test_the_month_calendar_heads_its_columns_with_capitalised_weekdays(
    client, lead, december_meeting
):
    login(client, lead)
    year = timezone.localtime(december_meeting.starts_at).year
    html = client.get(reverse("events:list") + f"?maaned={year}-12").content.decode()
    assert ">Mandag<" in html and ">Søndag<" in html and f"december {year}" in html


def test_the_event_page_and_its_reminder_tables_write_danish_dates(client, lead, december_meeting):
    start = timezone.localtime(december_meeting.starts_at)
    year = start.year
    sent = december_meeting.reminders.filter(offset_minutes=7 * 24 * 60).first()
    Reminder.objects.filter(pk=sent.pk).update(
        status=Reminder.Status.SENT, sent_at=copenhagen(year, 11, 25, 10, 3)
    )
    login(client, lead)
    page = client.get(december_meeting.get_absolute_url()).content.decode()
    assert f"{DANISH_DAYS[start.weekday()]} den 2. december {year}, 10:00\N{EN DASH}13:00" in page
    assert f"1. dec. {year} 10:00" in page  # planned: 24 hours before
    assert f"25. nov. {year} 10:03" in page  # the log: sent
    assert " Dec " not in page and " Nov " not in page
    in_english(client)
    page = client.get(december_meeting.get_absolute_url()).content.decode()
    assert f"{ENGLISH_DAYS[start.weekday()]} 2 December {year}, 10:00" in page
    assert f"1 Dec {year}, 10:00" in page and f"25 Nov {year}, 10:03" in page


def test_event_mails_write_the_day_and_time_in_danish(december_meeting):
    start = timezone.localtime(december_meeting.starts_at)
    when = f"{DANISH_DAYS[start.weekday()]} den 2. december {start.year} kl. 10:00\N{EN DASH}13:00"
    for kind in ("invitation", "reminder", "cancellation"):
        parts = event_mail_parts(event=december_meeting, kind=kind)
        assert when in parts.text and when in parts.html, kind


def test_the_list_writes_each_end_of_a_night_across_the_change_to_winter_time_on_its_clock(
    client, lead, hovedstaden
):
    year = timezone.localdate().year + 1
    last_sunday = max(
        date(year, 10, day) for day in range(25, 32) if date(year, 10, day).weekday() == 6
    )
    start = copenhagen(year, 10, last_sunday.day - 1, 22)  # the Saturday, summer time
    # In UTC, so that six hours are six hours of real time, not of the wall clock.
    event = schedule(organiser=lead, circle=hovedstaden, starts_at=start.astimezone(UTC), hours=6)
    login(client, lead)
    row = row_of(client.get(reverse("events:list")).content.decode(), event)
    # Six hours after 22:00 summer time is 03:00 winter time.
    assert "22:00\N{EN DASH}03:00" in row and f"{start.day}. okt. {year}" in row


def test_a_saved_version_is_named_by_its_copenhagen_time_in_the_admin(december_meeting):
    revision = december_meeting.minutes_revisions.create(text="Referat")
    saved = timezone.localtime(revision.created_at)
    written = f"{saved.day}. {DANISH_SHORT_MONTHS[saved.month - 1]} {saved.year} {saved:%H:%M}"
    assert str(revision) == f"{december_meeting}, {written}"
