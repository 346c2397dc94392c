"""Copenhagen time: the portal's wall clock, whatever timezone the server runs in."""

from datetime import datetime
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def copenhagen_now() -> datetime:
    """Now, on Copenhagen's wall clock (summer time included)."""
    return datetime.now(COPENHAGEN)
