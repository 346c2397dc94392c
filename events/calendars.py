"""iCalendar output: invitations and cancellations by mail, downloads and feeds.

One UID per event everywhere; SEQUENCE goes up with each change. Times are written
in Europe/Copenhagen with a VTIMEZONE, so that Outlook, Google and Apple place them
right across the summer-time changes. Feeds carry no attendee address and no secret
link; only mails carry ORGANIZER and the recipient as ATTENDEE."""

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from icalendar import (
    Calendar,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vRecur,
    vText,
)
from icalendar import Event as VEvent

from core.time import COPENHAGEN

from . import selectors
from .models import Event
from .selectors import FeedEntry

PRODID = "-//KOMDIR//Medlemsportal//DA"
UID_DOMAIN = "komdir.dk"
FEED_REFRESH = timedelta(hours=1)


def event_uid(event: Event) -> str:
    return f"{event.uid}@{UID_DOMAIN}"


def copenhagen_timezone() -> Timezone:
    """Europe/Copenhagen as the compact, rule-based VTIMEZONE that Outlook expects."""
    tz = Timezone()
    tz.add("tzid", "Europe/Copenhagen")
    tz.add("x-lic-location", "Europe/Copenhagen")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("dtstart", datetime(1970, 3, 29, 2, 0, 0))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("dtstart", datetime(1970, 10, 25, 3, 0, 0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _calendar(*, method: str | None = None, name: str | None = None, feed: bool = False):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        # icalendar writes an X- property as it is given; vText escapes line breaks,
        # commas and semicolons, as for SUMMARY.
        cal.add("x-wr-calname", vText(name))
        cal.add("x-wr-timezone", "Europe/Copenhagen")
    if feed:
        cal.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
    cal.add_component(copenhagen_timezone())
    return cal


def _organiser_address() -> vCalAddress:
    """The association's own sender: no member's address travels in the calendar data."""
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return vCalAddress(f"mailto:{address}")


def _vevent(
    event: Event, *, cancelled: bool, organiser_name: str | None = None, brief: bool = False
) -> VEvent:
    """The event's VEVENT. `brief`, for subscription feeds that hold hundreds of events:
    the description is the event page's address alone (the page has the rest), and the
    properties a calendar takes as given (LAST-MODIFIED, TRANSP:OPAQUE) are left out."""
    vevent = VEvent()
    vevent.add("uid", event_uid(event))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", timezone.now().astimezone(UTC).replace(microsecond=0))
    if not brief:
        vevent.add("last-modified", event.updated_at.astimezone(UTC).replace(microsecond=0))
    vevent.add("dtstart", event.starts_at.astimezone(COPENHAGEN).replace(microsecond=0))
    vevent.add("dtend", event.ends_at.astimezone(COPENHAGEN).replace(microsecond=0))
    vevent.add("summary", event.title)
    page = settings.SITE_URL + event.get_absolute_url()
    description = page if brief else "\n\n".join(p for p in (event.description, page) if p)
    vevent.add("description", description)
    vevent.add("url", page)
    if event.location:
        vevent.add("location", event.location)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if not brief:
        vevent.add("transp", "OPAQUE")
    if organiser_name is not None:
        vevent.add("organizer", _organiser_address(), parameters={"CN": organiser_name})
    return vevent


def _add_attendee(vevent: VEvent, *, email: str, name: str) -> None:
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


def invitation_ics_for(*, event: Event) -> Callable[..., bytes]:
    """invitation_ics for many recipients of one event: the calendar is rendered once
    and only the ATTENDEE line per recipient. Each content line is written (and folded)
    on its own, so the joined lines are the bytes a whole rendering would give."""
    cancelled = event.is_cancelled
    cal = _calendar(method="CANCEL" if cancelled else "REQUEST")
    organiser = event.organiser.get_full_name() if event.organiser else "KOMDIR"
    vevent = _vevent(event, cancelled=cancelled, organiser_name=organiser)
    # A stand-in, so that the ATTENDEE line has its place among the sorted properties.
    _add_attendee(vevent, email="attendee@invalid", name="")
    cal.add_component(vevent)
    lines = cal.content_lines()
    at = next(n for n, line in enumerate(lines) if line.startswith("ATTENDEE"))
    before = b"".join(line.to_ical() + b"\r\n" for line in lines[:at] if line)
    after = b"".join(line.to_ical() + b"\r\n" for line in lines[at + 1 :] if line)

    def for_recipient(*, recipient_email: str, recipient_name: str) -> bytes:
        attendee = VEvent()
        _add_attendee(attendee, email=recipient_email, name=recipient_name)
        line = attendee.content_line("ATTENDEE", attendee["ATTENDEE"])
        return before + line.to_ical() + b"\r\n" + after

    return for_recipient


def invitation_ics(*, event: Event, recipient_email: str, recipient_name: str) -> bytes:
    """The METHOD:REQUEST (or CANCEL, for a cancelled event) sent to one recipient."""
    return invitation_ics_for(event=event)(
        recipient_email=recipient_email, recipient_name=recipient_name
    )


def event_ics(*, event: Event) -> bytes:
    """One event for download (METHOD:PUBLISH)."""
    cal = _calendar(method="PUBLISH", name=event.title)
    cal.add_component(_vevent(event, cancelled=event.is_cancelled))
    return cal.to_ical()


# Raise when _vevent writes a feed's VEVENT differently, so that cached ones are not used.
FEED_VEVENT_FORMAT = 2
# Entries of events that changed are never read again; this lets them go.
FEED_VEVENT_TIMEOUT = 60 * 60 * 24 * 30
# A whole feed changes with any of its events; calendar clients poll every few hours.
FEED_TIMEOUT = 60 * 60 * 6
_END = b"END:VCALENDAR\r\n"


def _feed_vevent_keys(entries: Sequence[FeedEntry | Event]) -> list[str]:
    """The cache keys of the events' feed VEVENTs. A VEVENT is written from the event row
    and the site's address alone, and every change to the row moves its updated_at."""
    site = hashlib.blake2b(settings.SITE_URL.encode(), digest_size=4).hexdigest()
    prefix = f"events:feed-vevent:{FEED_VEVENT_FORMAT}:{site}"
    return [f"{prefix}:{e.pk}:{e.sequence}:{e.status}:{e.updated_at.timestamp()}" for e in entries]


def feed_etag(*, name: str, entries: Sequence[FeedEntry]) -> str:
    """A validator of the feed: changes when its name, its events or any of them does.
    Weak, since a VEVENT written again differs in DTSTAMP alone."""
    keys = "\n".join([str(name), *_feed_vevent_keys(entries)])
    return f'W/"{hashlib.blake2b(keys.encode(), digest_size=16).hexdigest()}"'


def feed_ics(*, name: str, entries: Sequence[FeedEntry], etag: str | None = None) -> bytes:
    """A subscription feed; cancelled events stay in it as STATUS:CANCELLED.

    A feed VEVENT holds nothing of the subscriber (no address, no link, no answer), so it
    is written once per version of its event and kept in the cache for every feed; a feed
    is the calendar's header and VTIMEZONE, those VEVENTs in the entries' order, and its
    end. Which events a feed holds is the selector's decision, made per request.

    The whole feed is kept too, under its validator (`etag`, when the caller has it):
    subscribers with the same events (a circle's members, say) share it, and one who
    polls again gets it in one read."""
    whole_key = "events:feed:" + (etag or feed_etag(name=name, entries=entries))
    whole = cache.get(whole_key)
    if whole is not None:
        return whole
    whole = _feed_from_vevents(name=name, entries=entries)
    cache.set(whole_key, whole, timeout=FEED_TIMEOUT)
    return whole


def _feed_from_vevents(*, name: str, entries: Sequence[FeedEntry]) -> bytes:
    header = _calendar(method="PUBLISH", name=name, feed=True).to_ical()
    if not header.endswith(_END):
        raise ValueError("unexpected end of the calendar header")
    keys = _feed_vevent_keys(entries)
    vevents = cache.get_many(keys)
    missing = [entry.pk for key, entry in zip(keys, entries, strict=True) if key not in vevents]
    if missing:
        written = _feed_vevents_write(pks=missing)
        for key, entry in zip(keys, entries, strict=True):
            if key not in vevents and entry.pk in written:
                vevents[key] = written[entry.pk]
    parts = [header.removesuffix(_END)]
    parts.extend(vevents[key] for key in keys if key in vevents)
    parts.append(_END)
    return b"".join(parts)


def _feed_vevents_write(*, pks: list[int]) -> dict[int, bytes]:
    """The events' feed VEVENTs by pk, written from their rows as they are now and cached
    under those rows' keys: a row changed since the feed's entries were read goes into
    the cache under its new version, never under the old one."""
    events = selectors.feed_events_in_full(pks=pks)
    written = [
        _vevent(event, cancelled=event.is_cancelled, brief=True).to_ical() for event in events
    ]
    cache.set_many(
        dict(zip(_feed_vevent_keys(events), written, strict=True)), timeout=FEED_VEVENT_TIMEOUT
    )
    return {event.pk: vevent for event, vevent in zip(events, written, strict=True)}
