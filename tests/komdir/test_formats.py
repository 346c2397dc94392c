"""The portal's date format for each kind of place, pinned in both languages: pages and
prose, lists and tables, with and without the weekday (komdir/formats)."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation

from core.time import WEEKDAY_FORMATS

# Wednesday 2 December 2026, 08:21 in Copenhagen, given in UTC as the database has it.
MOMENT = datetime(2026, 12, 2, 7, 21, tzinfo=UTC)

WRITTEN = {
    "da": {
        "DATE_FORMAT": "2. december 2026",
        "DATETIME_FORMAT": "2. december 2026 kl. 08:21",
        "SHORT_DATE_FORMAT": "2. dec. 2026",
        "SHORT_DATETIME_FORMAT": "2. dec. 2026 08:21",
        "TIME_FORMAT": "08:21",
        "YEAR_MONTH_FORMAT": "december 2026",
    },
    "en": {
        "DATE_FORMAT": "2 December 2026",
        "DATETIME_FORMAT": "2 December 2026, 08:21",
        "SHORT_DATE_FORMAT": "2 Dec 2026",
        "SHORT_DATETIME_FORMAT": "2 Dec 2026, 08:21",
        "TIME_FORMAT": "08:21",
        "YEAR_MONTH_FORMAT": "December 2026",
    },
}
WITH_WEEKDAY = {
    "da": {
        "DATE_FORMAT": "onsdag den 2. december 2026",
        "DATETIME_FORMAT": "onsdag den 2. december 2026 kl. 08:21",
        "SHORT_DATE_FORMAT": "ons 2. dec. 2026",
        "SHORT_DATETIME_FORMAT": "ons 2. dec. 2026 08:21",
    },
    "en": {
        "DATE_FORMAT": "Wednesday 2 December 2026",
        "DATETIME_FORMAT": "Wednesday 2 December 2026, 08:21",
        "SHORT_DATE_FORMAT": "Wed 2 Dec 2026",
        "SHORT_DATETIME_FORMAT": "Wed 2 Dec 2026, 08:21",
    },
}


def render(source: str, **context) -> str:
    return Template("{% load dates %}" + source).render(Context(context))


@pytest.mark.parametrize("language", ["da", "en"])
def test_each_kind_of_place_has_its_format_in_each_language(language):
    with translation.override(language):
        for name, written in WRITTEN[language].items():
            assert render(f'{{{{ moment|date:"{name}" }}}}', moment=MOMENT) == written, name
        assert render('{{ moment|time:"TIME_FORMAT" }}', moment=MOMENT) == "08:21"
        for name, written in WITH_WEEKDAY[language].items():
            source = f'{{{{ moment|with_weekday:"{name}" }}}}'
            assert render(source, moment=MOMENT) == written, name
        assert render('{{ moment|with_weekday:"DATE_FORMAT" }}', moment=None) == ""


def test_danish_short_months_are_danish_and_lower_case():
    with translation.override("da"):
        months = [
            formats.date_format(datetime(2026, month, 2), "SHORT_DATE_FORMAT").split(" ")[1]
            for month in range(1, 13)
        ]
    assert months == [
        "jan.", "feb.", "marts", "april", "maj", "juni",
        "juli", "aug.", "sept.", "okt.", "nov.", "dec.",
    ]  # fmt: skip


def test_every_language_of_the_portal_has_every_weekday_format_of_its_own():
    for code, _name in settings.LANGUAGES:
        for name in WEEKDAY_FORMATS:
            portal_name = f"WEEKDAY_{name}"
            assert formats.get_format(portal_name, lang=code) != portal_name, (code, name)
