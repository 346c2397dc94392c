"""A member's own meeting settings: reminders, calendar assistant, feed token."""

import secrets

from django.db import IntegrityError, transaction

from members.models import Member

from ..models import (
    EventPreferences,
)

# --- The member's own settings: reminders, calendar assistant, feed token ----------------


def _preferences_write(*, member: Member, **values) -> None:
    """Write the member's settings: an update of their row, or its insert on the first write
    (a member without a row has the defaults)."""
    if EventPreferences.objects.filter(member=member).update(**values):
        return
    try:
        with transaction.atomic():
            EventPreferences.objects.create(member=member, **values)
    except IntegrityError:  # a request of theirs created the row a moment ago
        EventPreferences.objects.filter(member=member).update(**values)


def event_preferences_update(
    *,
    member: Member,
    reminders_opt_out: bool,
    calendar_assistant_email: str,
    calendar_assistant_consent: bool,
) -> None:
    """Save the member's meeting settings, all three (the form's); an assistant receives
    nothing without consent."""
    consent = bool(calendar_assistant_email and calendar_assistant_consent)
    _preferences_write(
        member=member,
        reminders_opt_out=reminders_opt_out,
        calendar_assistant_email=calendar_assistant_email if consent else "",
        calendar_assistant_consent=consent,
    )


def event_preferences_forget(*, member: Member) -> None:
    """Erasure: the member's settings, the assistant's address and the feed token go."""
    EventPreferences.objects.filter(member=member).delete()


def calendar_token_regenerate(*, member: Member) -> str:
    """Give the member a new secret feed token (256 bits); the old feed address stops working."""
    token = secrets.token_urlsafe(32)
    _preferences_write(member=member, calendar_token=token)
    return token


def calendar_token_revoke(*, member: Member) -> None:
    """Switch the member's personal feed off."""
    EventPreferences.objects.filter(member=member).update(calendar_token=None)
