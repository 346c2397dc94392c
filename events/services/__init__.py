"""Writes for events, RSVPs, reminders and members' meeting settings, by sub-domain.
Views, admin actions, tasks and the other apps' reactions call these, as
`from events import services; services.event_create(...)`."""

from .preferences import (
    calendar_token_regenerate,
    calendar_token_revoke,
    event_preferences_forget,
    event_preferences_update,
)
from .reminders import (
    REMINDER_BATCH_SIZE,
    reminder_recipients,
    reminders_plan,
    reminders_queue_due,
    reminders_send_now,
)
from .rsvp import (
    RSVPClosed,
    RSVPNoDeputy,
    member_gives_up_events,
    rsvp_answer,
    rsvps_withdraw,
)
from .scheduling import (
    CALENDAR_FIELDS,
    MANAGE,
    WRITE_MINUTES,
    event_cancel,
    event_create,
    event_delete,
    event_invitation_resend,
    event_minutes_save,
    event_text_restore,
    event_update,
)

__all__ = [
    "CALENDAR_FIELDS",
    "MANAGE",
    "REMINDER_BATCH_SIZE",
    "WRITE_MINUTES",
    "RSVPClosed",
    "RSVPNoDeputy",
    "calendar_token_regenerate",
    "calendar_token_revoke",
    "event_cancel",
    "event_create",
    "event_delete",
    "event_invitation_resend",
    "event_minutes_save",
    "event_preferences_forget",
    "event_preferences_update",
    "event_text_restore",
    "event_update",
    "member_gives_up_events",
    "reminder_recipients",
    "reminders_plan",
    "reminders_queue_due",
    "reminders_send_now",
    "rsvp_answer",
    "rsvps_withdraw",
]
