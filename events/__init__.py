"""Events: events and circle meetings, RSVPs and the waitlist, reminders and their sweep,
iCalendar mails and feeds, attendee exports. The top app: may import focusareas,
circles, members and core, but not komdir, which composes it with the others."""
