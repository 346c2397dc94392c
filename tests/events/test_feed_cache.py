"""The feeds are built from cached VEVENTs: the same calendar as before, changes shown at
once, each feed still holding only its own events, and 304 to a client that polls."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import calendars, selectors, services
from events.models import RSVP, Event, EventPreferences
from tests.conftest import login
from tests.events.conftest import member_of, schedule

pytestmark = pytest.mark.django_db


def feed_of(client, member, **headers):
    token = EventPreferences.objects.filter(member=member).values_list(
        "calendar_token", flat=True
    ).first() or services.calendar_token_regenerate(member=member)
    return client.get(reverse("events:personal_feed", args=[token]), headers=headers)


def summaries(response) -> dict[str, str]:
    """SUMMARY → STATUS of each VEVENT, read back with icalendar."""
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(v["SUMMARY"]): str(v["STATUS"]) for v in calendar.walk("VEVENT")}


def test_the_feed_is_byte_for_byte_the_calendar_written_in_one_piece(lead, hovedstaden):
    member = member_of(hovedstaden)
    coming = schedule(organiser=lead, circle=hovedstaden, title="Kredsmøde med en titel, " * 4)
    services.rsvp_answer(event=coming, member=member, answer="yes")
    schedule(organiser=lead, circle=hovedstaden, title="Næste", location="", description="x\ny")
    services.event_cancel(
        actor=None, event=schedule(organiser=lead, circle=hovedstaden, title="Aflyst")
    )
    entries = selectors.personal_feed_events(member=member)
    events = {e.pk: e for e in Event.objects.all()}
    stamp = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)

    with mock.patch("events.calendars.timezone.now", return_value=stamp):
        one_piece = calendars._calendar(method="PUBLISH", name="Mine", feed=True)
        for entry in entries:
            event = events[entry.pk]
            one_piece.add_component(
                calendars._vevent(event, cancelled=event.is_cancelled, brief=True)
            )
        written = calendars.feed_ics(name="Mine", entries=entries)
        from_cache = calendars.feed_ics(name="Mine", entries=entries)

    assert written == from_cache == one_piece.to_ical()
    parsed = icalendar.Calendar.from_ical(from_cache)
    assert [str(v["UID"]) for v in parsed.walk("VEVENT")] == [
        f"{events[entry.pk].uid}@komdir.dk" for entry in entries
    ]
    assert len(parsed.walk("VTIMEZONE")) == 1


def test_a_change_shows_in_the_feed_at_once_and_a_cancellation_as_cancelled(
    client, meeting, lead, hovedstaden
):
    member = member_of(hovedstaden)
    assert summaries(feed_of(client, member)) == {meeting.title: "CONFIRMED"}  # now cached

    services.event_update(actor=None, event=meeting, title="Flyttet kredsmøde")
    assert summaries(feed_of(client, member)) == {"Flyttet kredsmøde": "CONFIRMED"}

    services.event_cancel(actor=None, event=meeting)
    assert summaries(feed_of(client, member)) == {"Flyttet kredsmøde": "CANCELLED"}


def test_a_change_past_save_moves_updated_at_and_so_shows_too(client, meeting, hovedstaden):
    member = member_of(hovedstaden)
    feed_of(client, member)
    Event.objects.filter(pk=meeting.pk).update(location="Et andet sted")
    assert "Et andet sted" in feed_of(client, member).content.decode()


def test_a_cached_vevent_reaches_only_the_feeds_that_hold_its_event(
    client, meeting, hovedstaden, nordjylland
):
    insider, outsider = member_of(hovedstaden), member_of(nordjylland)
    assert meeting.title in summaries(feed_of(client, insider))
    assert summaries(feed_of(client, outsider)) == {}
    login(client, member_of(nordjylland))
    assert client.get(reverse("events:circle_feed", args=["hovedstaden"])).status_code == 404


def test_a_client_polling_with_the_etag_gets_304_until_something_changes(
    client, meeting, hovedstaden
):
    member = member_of(hovedstaden)
    first = feed_of(client, member)
    etag = first["ETag"]
    assert etag.startswith('W/"')

    with CaptureQueriesContext(connection) as queries:
        again = feed_of(client, member, if_none_match=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == "private, max-age=900"
    assert len(queries) < 5  # the token, the answers and the entries; no event row in full

    services.event_update(
        actor=None, event=meeting, starts_at=meeting.starts_at + timedelta(hours=1)
    )
    changed = feed_of(client, member, if_none_match=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag

    services.rsvp_answer(event=meeting, member=member, answer="no")
    declined = feed_of(client, member, if_none_match=changed["ETag"])
    assert declined.status_code == 200 and summaries(declined) == {}


def test_the_circle_feed_is_cached_and_answers_304_too(client, meeting, lead):
    login(client, lead)
    url = reverse("events:circle_feed", args=["hovedstaden"])
    first = client.get(url)
    assert summaries(first) == {meeting.title: "CONFIRMED"}
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304


def test_a_whole_feed_is_kept_and_shared_by_subscribers_with_the_same_events(
    client, meeting, hovedstaden
):
    first, second = member_of(hovedstaden), member_of(hovedstaden)
    with mock.patch(
        "events.calendars._feed_from_vevents", wraps=calendars._feed_from_vevents
    ) as assembled:
        one = feed_of(client, first).content
        assert feed_of(client, first).content == one
        assert feed_of(client, second).content == one  # same events, same feed
        assert assembled.call_count == 1
        services.event_update(actor=None, event=meeting, title="Nyt tidspunkt")
        assert b"Nyt tidspunkt" in feed_of(client, second).content
        assert assembled.call_count == 2


def test_with_redis_down_the_feeds_are_written_afresh_and_show_every_change(
    client, meeting, hovedstaden, settings
):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": dead}}
    member = member_of(hovedstaden)
    assert summaries(feed_of(client, member)) == {meeting.title: "CONFIRMED"}
    services.event_cancel(actor=None, event=meeting)
    assert summaries(feed_of(client, member)) == {meeting.title: "CANCELLED"}


def test_the_feed_holds_the_year_ahead_and_each_event_briefly(lead, hovedstaden):
    from datetime import timedelta

    from django.utils import timezone

    member = member_of(hovedstaden)
    soon = timezone.now() + timedelta(days=300)
    far = timezone.now() + timedelta(days=400)
    near = schedule(
        organiser=lead,
        circle=hovedstaden,
        title="Inden for året",
        starts_at=soon,
        description="Lang beskrivelse " * 50,
    )
    schedule(
        organiser=lead,
        circle=hovedstaden,
        title="Over et år ude",
        starts_at=far,
    )
    for event in Event.objects.all():  # the member is coming to both
        services.rsvp_answer(event=event, member=member, answer="yes")
    entries = selectors.personal_feed_events(member=member)
    assert [entry.pk for entry in entries] == [near.pk]
    feed = calendars.feed_ics(name="Mine", entries=entries)
    [vevent] = icalendar.Calendar.from_ical(feed).walk("VEVENT")
    assert str(vevent["DESCRIPTION"]) == str(vevent["URL"])  # the page has the rest
    assert "LAST-MODIFIED" not in vevent and "Lang beskrivelse" not in feed.decode()
    assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "STATUS"} <= set(vevent)
    assert "TZID=Europe/Copenhagen" in feed.decode()


def test_an_invitation_not_answered_joins_the_feed_as_it_comes_near_and_leaves_it_once_over(
    lead, hovedstaden
):
    from datetime import timedelta

    from django.utils import timezone

    member = member_of(hovedstaden)
    now = timezone.now()
    soon = schedule(organiser=lead, circle=hovedstaden, starts_at=now + timedelta(days=30))
    later = schedule(organiser=lead, circle=hovedstaden, starts_at=now + timedelta(days=120))
    over = schedule(organiser=lead, circle=hovedstaden, starts_at=now - timedelta(days=10))
    attended = schedule(organiser=lead, circle=hovedstaden, starts_at=now - timedelta(days=20))
    coming = schedule(organiser=lead, circle=hovedstaden, starts_at=now + timedelta(days=200))
    RSVP.objects.create(event=attended, member=member, answer=RSVP.Answer.YES)
    RSVP.objects.create(event=coming, member=member, answer=RSVP.Answer.MAYBE)

    shown = {entry.pk for entry in selectors.personal_feed_events(member=member)}

    assert shown == {soon.pk, attended.pk, coming.pk}
    assert later.pk not in shown and over.pk not in shown
