from datetime import date, timedelta

import pytest
from django.utils import translation
from django.utils.dateformat import format as date_filter

from core.time import short_day_writer


@pytest.mark.parametrize("language", ["da", "en"])
def test_short_days_read_as_the_date_filter_writes_them(language):
    with translation.override(language):
        write = short_day_writer()
        for offset in range(0, 400, 13):  # every weekday and month
            day = date(2026, 1, 1) + timedelta(days=offset)
            assert write(day) == date_filter(day, "D j. M Y")
