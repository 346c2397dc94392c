"""Copenhagen time (the portal's wall clock, whatever timezone the server runs in), the
one way a date or a moment is written as data, and the writers of dates as text that
lists call for hundreds of rows (in the formats of komdir/formats, per language)."""

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import dateformat, formats, translation
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_ALT, MONTHS_AP, WEEKDAYS, WEEKDAYS_ABBR

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

# The standard format names that have a WEEKDAY_<name> in the portal's format modules.
WEEKDAY_FORMATS = ("DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT")


def copenhagen_now() -> datetime:
    """Now, on Copenhagen's wall clock (summer time included)."""
    return datetime.now(COPENHAGEN)


def iso_or_none(value: date | datetime | None) -> str | None:
    """The value in ISO 8601 as it is stored (no conversion), or None when there is none."""
    return value.isoformat() if value else None


def moment_text(moment: datetime, format_name: str = "DATETIME_FORMAT") -> str:
    """A moment on Copenhagen's clock, written in the active language's format of that
    name (komdir/formats): "4. december 2026 kl. 10:00"."""
    return formats.date_format(moment.astimezone(COPENHAGEN), format_name)


def weekday_format(name: str) -> str:
    """The active language's format `name` (one of WEEKDAY_FORMATS) with the weekday: its
    format module's WEEKDAY_<name>, or the default language's when the language has none."""
    if name not in WEEKDAY_FORMATS:
        raise ValueError(f"No weekday format for {name!r}")
    portal_name = f"WEEKDAY_{name}"
    # get_format looks through the language's format modules (FORMAT_MODULE_PATH first)
    # and caches; a name no module has comes back as itself.
    found = formats.get_format(portal_name)
    if found == portal_name:
        found = formats.get_format(portal_name, lang=settings.LANGUAGE_CODE)
    return found


# Django's date format syntax: a format character unless escaped by a backslash.
_FORMAT_CHARACTER = re.compile(r"(?<!\\)([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])")
_ESCAPED = re.compile(r"\\(.)")


def format_writer(format_string: str) -> Callable[[date], str]:
    """A function that writes a date (or a datetime, already on the wanted clock) as
    django.utils.dateformat.format(value, format_string) does in the active language, the
    format parsed and the names looked up once: for lists that print hundreds of dates,
    where dateformat costs some microseconds each. A format with characters it does not
    know is handed to dateformat for each value."""
    return _writer(translation.get_language(), format_string)


# Per language and format: the names' sixty lookups cost more than a list of rows.
@lru_cache(maxsize=64)
def _writer(language: str | None, format_string: str) -> Callable[[date], str]:
    days = [str(WEEKDAYS[n]) for n in range(7)]
    days_abbr = [str(WEEKDAYS_ABBR[n]) for n in range(7)]
    months = {n: str(name) for n, name in MONTHS.items()}
    months_3 = {n: str(name) for n, name in MONTHS_3.items()}
    months_alt = {n: str(name) for n, name in MONTHS_ALT.items()}
    months_ap = {n: str(name) for n, name in MONTHS_AP.items()}
    writers = {
        "d": lambda v: f"{v.day:02d}",
        "j": lambda v: str(v.day),
        "D": lambda v: days_abbr[v.weekday()],
        "l": lambda v: days[v.weekday()],
        "m": lambda v: f"{v.month:02d}",
        "n": lambda v: str(v.month),
        "b": lambda v: months_3[v.month],
        "M": lambda v: months_3[v.month].title(),
        "N": lambda v: months_ap[v.month],
        "F": lambda v: months[v.month],
        "E": lambda v: months_alt[v.month],
        "Y": lambda v: f"{v.year:04d}",
        "y": lambda v: f"{v.year % 100:02d}",
        "H": lambda v: f"{v.hour:02d}",
        "G": lambda v: str(v.hour),
        "i": lambda v: f"{v.minute:02d}",
    }
    # (literal text, None) or ("", the writer of one format character), in order.
    pieces: list[tuple[str, Callable[[date], str] | None]] = []
    for number, piece in enumerate(_FORMAT_CHARACTER.split(format_string)):
        if number % 2:
            if piece not in writers:
                return lambda value: dateformat.format(value, format_string)
            pieces.append(("", writers[piece]))
        elif piece:
            pieces.append((_ESCAPED.sub(r"\1", piece), None))
    return lambda value: "".join(
        [text if write is None else write(value) for text, write in pieces]
    )


@receiver(setting_changed)
def _writers_forget(*, setting, **kwargs) -> None:
    """Tests that change the languages or their catalogs get names looked up afresh."""
    if setting in {"LANGUAGE_CODE", "LANGUAGES", "LOCALE_PATHS", "FORMAT_MODULE_PATH"}:
        _writer.cache_clear()


def short_day_writer() -> Callable[[date], str]:
    """A function that writes a day as the lists and tables write it, with the weekday, in
    the active language ("ons 2. dec. 2026", "Wed 2 Dec 2026"): the format module's
    WEEKDAY_SHORT_DATE_FORMAT, looked up and parsed once per list (format_writer)."""
    return format_writer(weekday_format("SHORT_DATE_FORMAT"))


def time_writer() -> Callable[[date], str]:
    """A function that writes a moment's time of day as the time filter does
    (TIME_FORMAT), looked up and parsed once per list."""
    return format_writer(formats.get_format("TIME_FORMAT"))
