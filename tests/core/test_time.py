from datetime import date, datetime, timedelta

import pytest
from django.utils import formats, translation
from django.utils.dateformat import format as date_filter

from core.time import (
    COPENHAGEN,
    WEEKDAY_FORMATS,
    format_writer,
    short_day_writer,
    time_writer,
    weekday_format,
)

NAMES = (
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
)


def moments():
    """Every weekday and month, at hours and minutes with one digit and two."""
    start = datetime(2026, 1, 1, 7, 5, tzinfo=COPENHAGEN)
    return [start + timedelta(days=offset, hours=offset % 17) for offset in range(0, 400, 13)]


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_writers_write_as_the_date_filter_does_in_every_format_of_the_language(language):
    with translation.override(language):
        found = [formats.get_format(name) for name in NAMES]
        found += [weekday_format(name) for name in WEEKDAY_FORMATS]
        for format_string in found:
            write = format_writer(format_string)
            for moment in moments():
                assert write(moment) == date_filter(moment, format_string), format_string


@pytest.mark.parametrize("language", ["da", "en"])
def test_short_days_are_the_list_format_with_the_weekday(language):
    with translation.override(language):
        write, list_format = short_day_writer(), weekday_format("SHORT_DATE_FORMAT")
        for moment in moments():
            assert write(moment) == date_filter(moment, list_format)
            assert write(moment.date()) == date_filter(moment.date(), list_format)
        assert time_writer()(datetime(2026, 12, 2, 8, 5)) == "08:05"


def test_short_days_follow_the_active_language_with_one_writer_per_language():
    day = date(2026, 12, 2)
    with translation.override("da"):
        assert short_day_writer()(day) == "ons 2. dec. 2026"
    with translation.override("en"):
        assert short_day_writer()(day) == "Wed 2 Dec 2026"
    with translation.override("da"):
        assert short_day_writer()(day) == "ons 2. dec. 2026"


def test_a_format_with_characters_the_writer_does_not_know_is_written_by_the_date_filter():
    moment = datetime(2026, 12, 2, 8, 21, tzinfo=COPENHAGEN)
    with translation.override("en"):
        assert format_writer(r"jS \o\f F, P")(moment) == "2nd of December, 8:21 a.m."


def test_a_language_without_the_portals_formats_borrows_the_default_languages(settings):
    settings.LANGUAGE_CODE = "da"
    with translation.override("de"):
        assert weekday_format("DATE_FORMAT") == formats.get_format("WEEKDAY_DATE_FORMAT", lang="da")
    with pytest.raises(ValueError):
        weekday_format("YEAR_MONTH_FORMAT")
