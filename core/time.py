"""Copenhagen time (the portal's wall clock, whatever timezone the server runs in), and the
one way a date or a moment is written as data."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def copenhagen_now() -> datetime:
    """Now, on Copenhagen's wall clock (summer time included)."""
    return datetime.now(COPENHAGEN)


def iso_or_none(value: date | datetime | None) -> str | None:
    """The value in ISO 8601 as it is stored (no conversion), or None when there is none."""
    return value.isoformat() if value else None
