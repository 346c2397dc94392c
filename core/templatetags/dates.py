"""`{{ value|with_weekday:"DATE_FORMAT" }}`: a date written in the format of that name with
the weekday, as the active language's format module defines it (core.time.weekday_format),
beside Django's `date` filter for the standard names."""

from django import template
from django.utils import formats

from core.time import weekday_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def with_weekday(value, name: str = "DATE_FORMAT") -> str:
    """The date or moment in the format `name` with the weekday; "" for no value."""
    if value in (None, ""):
        return ""
    return formats.date_format(value, weekday_format(name))
