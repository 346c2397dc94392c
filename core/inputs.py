"""Every input a user can type is bounded where it enters (DESIGN.md, style 13): the
validators, form fields and helpers that the apps' models, forms and views share."""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import register_converter
from django.urls.converters import StringConverter
from django.utils.translation import gettext_lazy as _

# Dates a meeting of the association can sensibly have. Outside them Python's datetime
# and the Copenhagen time zone run out (a year 1 start is stored as 1 BC in UTC, a year
# 9999 one overflows the month after it) and break every page that lists it.
MIN_YEAR = 2000
MAX_YEAR = 2100


def validate_sane_date(value: date | datetime) -> None:
    """Refuse a date or time outside the years MIN_YEAR to MAX_YEAR."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            _("Give a date between the years %(min)d and %(max)d."),
            code="date_out_of_range",
            params={"min": MIN_YEAR, "max": MAX_YEAR},
        )


# What str.splitlines() breaks a line at.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def validate_one_line(value: str) -> None:
    """Refuse a line break in a one-line text (a title, a place, a name)."""
    if any(char in LINE_BREAKS for char in value):
        raise ValidationError(_("Line breaks are not allowed here."), code="line_break")


class OneLineField(forms.CharField):
    """A one-line text: no line break inside (the ends are stripped as ever)."""

    default_validators = [validate_one_line]


# No database stores a NUL byte (PostgreSQL refuses the query outright), so text that
# carries one names nothing: an address is not found, a query parameter not given.
NUL = "\x00"


class TextConverter(StringConverter):
    """`<text:name>`: a path segment as `<str:>` takes it, but without NUL bytes."""

    regex = "[^/\x00]+"


register_converter(TextConverter, "text")


def query_text(params: QueryDict, name: str, default: str = "") -> str:
    """The query parameter's text, or `default` when it is missing or holds a NUL byte."""
    value = params.get(name, default)
    return default if NUL in value else value


# Ids are 64-bit in the database; a larger number makes SQLite raise OverflowError and
# names no row anyway.
ID_MAX = 2**63 - 1


def parse_id(value) -> int | None:
    """The value as a database id (1 to ID_MAX), or None when it is none."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= ID_MAX else None


class IdField(forms.IntegerField):
    """A database id typed or posted by a user: a whole number from 1 to ID_MAX."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class ModelMultipleChoiceIdField(forms.ModelMultipleChoiceField):
    """Several objects chosen by id; a value that is no id is refused before the query."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)
