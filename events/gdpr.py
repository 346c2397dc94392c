"""The events app's part in the GDPR export and erasure (registered with members.gdpr)."""


class EventsPersonalData:
    models = (
        "events.Event",
        "events.MinutesRevision",
        "events.AgendaRevision",
        "events.RSVP",
        "events.Reminder",
        "events.EventPreferences",
    )

    def export(self, member) -> dict:
        from .selectors import events_data_of_member

        return events_data_of_member(member=member)

    def erase(self, member, *, keep_contributions: bool) -> None:
        # The rows of past meetings stay: they hold no text, and the member is anonymised.
        from .services import event_preferences_forget, member_gives_up_events

        member_gives_up_events(member=member)
        event_preferences_forget(member=member)
