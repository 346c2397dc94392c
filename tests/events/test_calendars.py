"""Calendar output read back by a small RFC 5545 parser written here (not icalendar,
which wrote it), so that the checks do not share the writer's mistakes."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, EventPreferences
from tests.conftest import login
from tests.events.conftest import copenhagen, member_of, schedule

pytestmark = pytest.mark.django_db


def unfold(text: str) -> list[str]:
    """RFC 5545 3.1: a CRLF followed by one space or tab continues the previous line."""
    assert "\r\n" in text, "lines must end in CRLF"
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")


def parse(text: str) -> dict:
    """The calendar as nested dicts: properties as lists of (params, value), components
    under their names."""
    root: dict = {"name": "ROOT", "props": {}, "children": []}
    stack = [root]
    for line in unfold(text):
        if not line:
            continue
        head, _, value = line.partition(":")
        name, *raw_params = head.split(";")
        params = dict(p.split("=", 1) for p in raw_params)
        if name == "BEGIN":
            component = {"name": value, "props": {}, "children": []}
            stack[-1]["children"].append(component)
            stack.append(component)
        elif name == "END":
            assert stack.pop()["name"] == value, f"END:{value} does not close its BEGIN"
        else:
            stack[-1]["props"].setdefault(name, []).append((params, value))
    assert len(stack) == 1, "unclosed component"
    (calendar,) = root["children"]
    assert calendar["name"] == "VCALENDAR"
    return calendar


def prop(component, name) -> str:
    return component["props"][name][0][1]


def vevents(calendar) -> list[dict]:
    return [c for c in calendar["children"] if c["name"] == "VEVENT"]


def local_time(component, name) -> datetime:
    params, value = component["props"][name][0]
    assert params.get("TZID") == "Europe/Copenhagen", params
    return datetime.strptime(value, "%Y%m%dT%H%M%S")


def ics_of(message) -> tuple[str, str]:
    (part,) = [a for a in message.attachments if not isinstance(a, tuple)]
    return part["Content-Type"], part.get_payload(decode=True).decode()


@pytest.mark.parametrize(
    ("start", "wall_clock"),
    [
        (copenhagen(2027, 1, 14, 9, 30), datetime(2027, 1, 14, 9, 30)),
        (copenhagen(2027, 7, 1, 9, 30), datetime(2027, 7, 1, 9, 30)),
    ],
    ids=["winter", "summer"],
)
def test_times_are_written_in_copenhagen_time_with_its_timezone(
    lead, hovedstaden, client, start, wall_clock
):
    event = schedule(organiser=lead, circle=hovedstaden, starts_at=start)
    login(client, lead)
    calendar = parse(client.get(reverse("events:ics", args=[event.pk])).content.decode())
    (vevent,) = vevents(calendar)
    assert local_time(vevent, "DTSTART") == wall_clock
    assert local_time(vevent, "DTEND") == wall_clock + timedelta(hours=3)
    (tz,) = [c for c in calendar["children"] if c["name"] == "VTIMEZONE"]
    assert prop(tz, "TZID") == "Europe/Copenhagen"
    rules = {c["name"]: prop(c, "RRULE") for c in tz["children"]}
    assert "BYMONTH=3" in rules["DAYLIGHT"] and "BYDAY=-1SU" in rules["DAYLIGHT"]
    assert "BYMONTH=10" in rules["STANDARD"]
    offsets = {c["name"]: prop(c, "TZOFFSETTO") for c in tz["children"]}
    assert offsets == {"DAYLIGHT": "+0200", "STANDARD": "+0100"}


def test_an_invitation_is_a_request_to_one_attendee_and_its_mime_type_says_so(
    lead, hovedstaden, django_capture_on_commit_callbacks, mailoutbox
):
    member = member_of(hovedstaden, first_name="Lone", last_name="Dahl")
    with django_capture_on_commit_callbacks(execute=True):
        event = schedule(organiser=lead, circle=hovedstaden)
    (message,) = [m for m in mailoutbox if m.to == [member.email]]
    content_type, ics = ics_of(message)
    assert content_type == 'text/calendar; charset="utf-8"; method="REQUEST"'
    calendar = parse(ics)
    assert prop(calendar, "METHOD") == "REQUEST"
    (vevent,) = vevents(calendar)
    assert prop(vevent, "UID") == f"{event.uid}@komdir.dk"
    assert prop(vevent, "SEQUENCE") == "0"
    attendees = vevent["props"]["ATTENDEE"]
    assert [value.lower() for _, value in attendees] == [f"mailto:{member.email}"]
    assert "ORGANIZER" in vevent["props"]
    others = set(event.invitees().exclude(pk=member.pk).values_list("email", flat=True))
    assert not any(address in ics for address in others)
    assert message.alternatives[0][1] == "text/html"
    assert "/profil/" in message.body


def test_the_calendar_rendered_once_per_event_gives_each_recipient_a_whole_rendering(
    meeting, hovedstaden
):
    """invitation_ics_for() writes the event once and only the ATTENDEE line per
    recipient; the bytes are those icalendar gives for the whole calendar, folding of a
    long ATTENDEE line included."""
    from icalendar import vCalAddress

    from events import calendars

    def whole(event, email, name) -> bytes:
        cal = calendars._calendar(method="CANCEL" if event.is_cancelled else "REQUEST")
        vevent = calendars._vevent(
            event, cancelled=event.is_cancelled, organiser_name=event.organiser.get_full_name()
        )
        vevent.add(
            "attendee",
            vCalAddress(f"mailto:{email}"),
            parameters={
                "CN": name or email,
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": "NEEDS-ACTION",
                "RSVP": "FALSE",
            },
        )
        cal.add_component(vevent)
        return cal.to_ical()

    def same_stamp(ics: bytes) -> bytes:
        return re.sub(rb"DTSTAMP:\w+", b"DTSTAMP:X", ics)

    recipients = [
        ("lone.dahl@kommune.example", "Lone Dahl"),
        ("uden.navn@kommune.example", ""),
        (
            "en-meget-lang-adresse-til-foldning@lang-kommune-med-langt-navn.example",
            "Åse Østergaard-Kjærsgaard von Langenavn, Kommunaldirektør",
        ),
    ]
    cancelled = services.event_cancel(actor=None, event=meeting)  # `meeting` stays as it was
    for event, method in ((meeting, b"METHOD:REQUEST"), (cancelled, b"METHOD:CANCEL")):
        render = calendars.invitation_ics_for(event=event)
        assert method in render(recipient_email="a@kommune.example", recipient_name="A")
        for email, name in recipients:
            ics = render(recipient_email=email, recipient_name=name)
            assert same_stamp(ics) == same_stamp(whole(event, email, name))
            (vevent,) = vevents(parse(ics.decode()))
            assert [v.lower() for _, v in vevent["props"]["ATTENDEE"]] == [f"mailto:{email}"]


def test_moves_raise_the_sequence_and_keep_the_uid_and_cancel_is_well_formed(
    meeting, hovedstaden, django_capture_on_commit_callbacks, mailoutbox
):
    member = member_of(hovedstaden)
    services.rsvp_answer(event=meeting, member=member, answer="yes")
    uids, sequences = set(), []
    for hours in (1, 2):
        mailoutbox.clear()
        start = meeting.starts_at + timedelta(hours=hours)
        with django_capture_on_commit_callbacks(execute=True):
            meeting = services.event_update(
                actor=None, event=meeting, starts_at=start, ends_at=start + timedelta(hours=2)
            )
        (vevent,) = vevents(parse(ics_of(mailoutbox[0])[1]))
        uids.add(prop(vevent, "UID"))
        sequences.append(int(prop(vevent, "SEQUENCE")))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=None, event=meeting)
    content_type, ics = ics_of(next(m for m in mailoutbox if m.to == [member.email]))
    assert content_type.endswith('method="CANCEL"')
    calendar = parse(ics)
    assert prop(calendar, "METHOD") == "CANCEL"
    (vevent,) = vevents(calendar)
    uids.add(prop(vevent, "UID"))
    sequences.append(int(prop(vevent, "SEQUENCE")))
    assert prop(vevent, "STATUS") == "CANCELLED"
    assert len(uids) == 1
    assert sequences == [1, 2, 3]


def test_the_personal_feed_answers_by_token_without_login_and_hides_addresses(
    client, meeting, hovedstaden, lead
):
    member = member_of(hovedstaden)
    token = services.calendar_token_regenerate(member=member)
    assert len(token) >= 43  # 32 random bytes, base64
    services.rsvp_answer(event=meeting, member=member, answer="yes")
    cancelled = schedule(organiser=lead, circle=hovedstaden, title="Aflyst møde")
    services.event_cancel(actor=None, event=cancelled)
    response = client.get(reverse("events:personal_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    calendar = parse(text)
    assert prop(calendar, "REFRESH-INTERVAL") == "PT1H"
    assert calendar["props"]["REFRESH-INTERVAL"][0][0] == {"VALUE": "DURATION"}
    assert prop(calendar, "X-PUBLISHED-TTL") == "PT1H"
    statuses = {prop(v, "SUMMARY"): prop(v, "STATUS") for v in vevents(calendar)}
    assert statuses == {meeting.title: "CONFIRMED", "Aflyst møde": "CANCELLED"}
    assert "@kommune.example" not in text and "ATTENDEE" not in text
    assert token not in text


def test_a_cancelled_event_leaves_the_feed_after_30_days(client, meeting, hovedstaden):
    member = member_of(hovedstaden)
    token = services.calendar_token_regenerate(member=member)
    services.event_cancel(actor=None, event=meeting)
    Event.objects.filter(pk=meeting.pk).update(cancelled_at=timezone.now() - timedelta(days=31))
    calendar = parse(client.get(reverse("events:personal_feed", args=[token])).content.decode())
    assert vevents(calendar) == []


def test_an_unknown_or_revoked_token_is_404(client, hovedstaden):
    member = member_of(hovedstaden)
    token = services.calendar_token_regenerate(member=member)
    assert client.get(reverse("events:personal_feed", args=["x" * 43])).status_code == 404
    services.calendar_token_revoke(member=member)
    assert client.get(reverse("events:personal_feed", args=[token])).status_code == 404


def test_the_member_regenerates_the_token_on_the_profile_page(client, hovedstaden):
    member = member_of(hovedstaden)
    login(client, member)
    client.post(reverse("events:calendar_token"), {"action": "regenerate"})
    first = EventPreferences.objects.get(member=member).calendar_token
    page = client.get(reverse("members:profile")).content.decode()
    assert f"webcal://testserver/kalender/{first}.ics" in page
    client.post(reverse("events:calendar_token"), {"action": "regenerate"})
    second = EventPreferences.objects.get(member=member).calendar_token
    assert second and second != first


def test_the_circle_feed_is_for_its_members(client, meeting, hovedstaden, nordjylland):
    url = reverse("events:circle_feed", args=["hovedstaden"])
    login(client, member_of(nordjylland))
    assert client.get(url).status_code == 404
    login(client, member_of(hovedstaden))
    calendar = parse(client.get(url).content.decode())
    (vevent,) = vevents(calendar)
    assert prop(vevent, "UID") == f"{meeting.uid}@komdir.dk"
    assert "ATTENDEE" not in vevent["props"] and "ORGANIZER" not in vevent["props"]


def test_dtstamp_is_utc(meeting, client, lead):
    login(client, lead)
    (vevent,) = vevents(
        parse(client.get(reverse("events:ics", args=[meeting.pk])).content.decode())
    )
    stamp = datetime.strptime(prop(vevent, "DTSTAMP"), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs(stamp - timezone.now()) < timedelta(minutes=1)


def test_a_circle_member_subscribes_to_the_circle_feed_at_a_secret_revocable_address(
    client, lead, meeting, hovedstaden, nordjylland
):
    from django.test import Client

    event_services = services
    login(client, lead)
    page = client.get(reverse("circles:detail", args=[hovedstaden.slug])).content.decode()
    assert f'href="{reverse("members:profile")}#kalender"' in page, "switch the feed on first"
    token = event_services.calendar_token_regenerate(member=lead)
    page = client.get(reverse("circles:detail", args=[hovedstaden.slug])).content.decode()
    address = reverse("events:circle_feed_by_token", args=[hovedstaden.slug, token])
    assert f"webcal://testserver{address}" in page

    calendar_program = Client()  # no session: the token is the key
    feed = calendar_program.get(address)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert meeting.title in feed.content.decode()

    outsider = member_of(nordjylland)
    other_token = event_services.calendar_token_regenerate(member=outsider)
    outside = reverse("events:circle_feed_by_token", args=[hovedstaden.slug, other_token])
    assert calendar_program.get(outside).status_code == 404, "not their circle"
    event_services.calendar_token_revoke(member=lead)
    assert calendar_program.get(address).status_code == 404, "revoked with the personal feed"
