"""Event mails: invitations, updates, cancellations, reminders and waitlist promotions.

Services queue them in the outbox (core.outbox) as small rows; the outbox renders each
with render_event_mail() when it sends it, so a mail always shows the event as it is,
and a mail that is no longer wanted (a later update superseded it, the member declined)
is dropped instead of sent."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.mime.text import MIMEText
from email.policy import Compat32

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import OutgoingMail
from core.outbox import (
    Mail,
    expander_register,
    mail_dropped,
    mail_failed,
    mail_sent,
    renderer_register,
)

from .calendars import invitation_ics_for
from .models import RSVP, Event, Reminder

KINDS = ("invitation", "update", "cancellation", "reminder", "promoted")
# The fan-out row of an invitation, update or cancellation: one per change.
ANNOUNCEMENT = "events.announcement"
# What an announcement says is the event at one SEQUENCE; a later one supersedes it.
ANNOUNCEMENTS = ("invitation", "update", "cancellation")


def mail_kind(kind: str) -> str:
    return f"events.{kind}"


class _MailPolicy(Compat32):
    """compat32 (the policy of Django's mails) with a shortcut for the common header: a
    short line of printable ASCII is written as it is, which is what compat32 makes of
    it through email.header.Header, at a third of a mail's serialisation time."""

    def fold_binary(self, name: str, value) -> bytes:
        if (
            isinstance(value, str)
            and value.isascii()
            and value.isprintable()  # no CR, LF or other line breaks, no tab
            and self.max_line_length is not None
            and len(name) + 2 + len(value) <= self.max_line_length
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


_MAIL_POLICY = _MailPolicy()


class EventMail(EmailMultiAlternatives):
    def message(self):
        message = super().message()
        # The generator writes every part's headers with the outermost message's policy.
        message.policy = _MAIL_POLICY
        return message


SUBJECTS = {
    "invitation": lambda e: _("Invitation: %(title)s") % {"title": e.title},
    "update": lambda e: _("Changed: %(title)s") % {"title": e.title},
    "cancellation": lambda e: _("Cancelled: %(title)s") % {"title": e.title},
    "reminder": lambda e: _("Reminder: %(title)s") % {"title": e.title},
    "promoted": lambda e: _("You have a seat: %(title)s") % {"title": e.title},
}


@dataclass(frozen=True)
class EventMailParts:
    """What one kind of mail about one event says to every recipient alike."""

    subject: str
    text: str
    html: str
    ics: Callable[..., bytes]
    cancelled: bool


def event_mail_parts(*, event: Event, kind: str) -> EventMailParts:
    """Render the recipient-independent parts of an event's mail, once for many mails."""
    context = {
        "event": event,
        "kind": kind,
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "settings_url": settings.SITE_URL + reverse("members:profile"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        return EventMailParts(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + SUBJECTS[kind](event),
            text=render_to_string("events/emails/event_mail_body.txt", context),
            html=render_to_string("events/emails/event_mail_body.html", context),
            ics=invitation_ics_for(event=event),
            cancelled=event.is_cancelled,
        )


def event_mail(
    *,
    event: Event,
    kind: str,
    member,
    to: str | None = None,
    reminder: Reminder | None = None,
    parts: EventMailParts | None = None,
) -> EventMail:
    """One Danish mail (text and HTML) to one recipient, with the event as iCalendar;
    `parts` from event_mail_parts() for this event and kind saves rendering them again."""
    parts = parts or event_mail_parts(event=event, kind=kind)
    context = {
        "event": event,
        "member": member,
        "for_assistant": to is not None and to != member.email,
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("events/emails/event_mail.txt", {**context, "body": parts.text})
        html = render_to_string("events/emails/event_mail.html", {**context, "body": parts.html})
    headers = {}
    if reminder is not None:
        # Which (event, member, offset) this is, for tracing copies across retries.
        headers["X-KOMDIR-Reminder"] = f"{event.uid}/{member.pk}/{reminder.offset_minutes}"
    mail = EventMail(subject=parts.subject, body=text, to=[to or member.email], headers=headers)
    mail.attach_alternative(html, "text/html")
    ics = parts.ics(recipient_email=member.email, recipient_name=member.get_full_name())
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", "CANCEL" if parts.cancelled else "REQUEST")
    filename = "cancel.ics" if parts.cancelled else "invite.ics"
    part.add_header("Content-Disposition", "attachment", filename=filename)
    mail.attach(part)
    return mail


# --- Queueing ---------------------------------------------------------------------------


def event_mails(
    *, event: Event, kind: str, members: Iterable, with_assistants: bool = False, **params
) -> list[Mail]:
    """The outbox mails of one kind about the event, one per member (and one per
    consenting calendar assistant)."""
    mails = []
    base = {"event": event.pk, "sequence": event.sequence, **params}
    for member in members:
        mails.append(Mail(kind=mail_kind(kind), to=member.email, recipient=member, params=base))
        preferences = getattr(member, "event_preferences", None) if with_assistants else None
        if preferences is not None and preferences.calendar_assistant_consent:
            assistant = preferences.calendar_assistant_email
            if assistant and assistant.lower() != member.email.lower():
                mails.append(
                    Mail(kind=mail_kind(kind), to=assistant, recipient=member, params=base)
                )
    return mails


def with_assistants_of(members):
    """The members with what event_mails needs of them and of their calendar assistants,
    in the same query."""
    return members.select_related("event_preferences").only(
        "pk",
        "email",
        "event_preferences__calendar_assistant_email",
        "event_preferences__calendar_assistant_consent",
    )


def announcement_recipients(*, event: Event):
    """Who gets the event's invitation, update or cancellation: every invitee who has not
    declined (an invitee who has not answered keeps the event in their calendar too)."""
    return event.invitees().exclude(
        pk__in=event.rsvps.filter(answer=RSVP.Answer.NO).values("member_id")
    )


def reminder_recipients(*, event: Event):
    """Invitees who get reminders: not opted out, not declined, not on the waitlist, not
    sending their deputy (the deputy, an invitee then, gets them)."""
    return (
        event.invitees()
        .exclude(event_preferences__reminders_opt_out=True)
        .exclude(
            pk__in=event.rsvps.filter(
                Q(answer__in=[RSVP.Answer.NO, RSVP.Answer.DEPUTY]) | Q(waitlisted=True)
            ).values("member_id")
        )
    )


def announcement_mail_list(*, event: Event, kind: str, **params) -> list[Mail]:
    """The event's invitation, update or cancellation as mails: one per recipient and
    consenting calendar assistant."""
    recipients = with_assistants_of(announcement_recipients(event=event))
    return event_mails(event=event, kind=kind, members=recipients, with_assistants=True, **params)


def announcement_mails(row: OutgoingMail) -> list[Mail]:
    """The outbox's expander of an announcement, or nothing when a later SEQUENCE
    superseded it."""
    event = Event.objects.filter(pk=row.params.get("event")).first()
    if event is None or event.sequence != row.params.get("sequence"):
        return []
    return announcement_mail_list(event=event, kind=row.params["kind"])


def reminder_mail(reminder: Reminder) -> Mail:
    """The outbox mail of a due reminder, under the reminder's own Message-ID."""
    return Mail(
        kind=mail_kind("reminder"),
        to=reminder.member.email,
        recipient=reminder.member,
        params={"event": reminder.event_id, "reminder": reminder.pk},
        message_id=reminder.message_id,
        dedupe_key=f"events.reminder:{reminder.message_id}",
    )


# --- Rendering when sent -----------------------------------------------------------------


# What a mail about an event shows of it: enough to cancel it in calendars once deleted.
SNAPSHOT_FIELDS = (
    "id",
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "circle_id",
    "organiser_id",
    "status",
    "uid",
    "sequence",
    "cancelled_at",
    "updated_at",
)


def event_snapshot(event: Event) -> dict:
    """The event as JSON, for the mails of an event about to be deleted."""
    snapshot = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(event, name)
        field = Event._meta.get_field(name.removesuffix("_id") if name != "id" else "id")
        snapshot[name] = None if value is None else field.value_to_string(event)
    return snapshot


def _event_from_snapshot(snapshot: dict) -> Event:
    values = {}
    for name, value in snapshot.items():
        field = Event._meta.get_field(name.removesuffix("_id") if name != "id" else "id")
        values[name] = None if value is None else field.to_python(value)
    return Event(**values)


def _event(memo: dict, event_id: int, snapshot: dict | None = None) -> Event | None:
    key = ("events.event", event_id)
    if key not in memo:
        memo[key] = Event.objects.select_related("organiser", "circle").filter(pk=event_id).first()
        if memo[key] is None and snapshot:
            # Deleted since: its cancellation still goes out, as the event was.
            memo[key] = _event_from_snapshot(snapshot)
    return memo[key]


def render_event_mail(mail: OutgoingMail, memo: dict) -> EventMail | None:
    """The outbox's renderer for event mails; None when the mail is no longer wanted."""
    kind = mail.kind.removeprefix("events.")
    member = mail.recipient
    event = _event(memo, mail.params.get("event"), mail.params.get("snapshot"))
    if event is None or member is None:
        return None
    # Asked again as it is sent: who left the circle or the association since it was
    # queued, or (for a reminder) declined, joined the waitlist or opted out, gets nothing.
    audience = reminder_recipients(event=event) if kind == "reminder" else event.invitees()
    if not audience.filter(pk=member.pk).exists():
        return None
    reminder = None
    if kind in ANNOUNCEMENTS:
        if event.sequence != mail.params.get("sequence"):
            return None  # a later invitation, update or cancellation went out instead
    elif kind == "reminder":
        reminder = Reminder.objects.filter(
            pk=mail.params.get("reminder"), message_id=mail.message_id
        ).first()
        if reminder is None or event.is_cancelled or event.starts_at <= timezone.now():
            return None
    elif kind == "promoted" and (
        event.is_cancelled
        or not RSVP.objects.filter(event=event, member=member).attending().exists()
    ):
        return None
    key = ("events.parts", event.pk, kind)
    if key not in memo:
        memo[key] = event_mail_parts(event=event, kind=kind)
    return event_mail(
        event=event,
        kind=kind,
        member=member,
        to=mail.to_address,
        reminder=reminder,
        parts=memo[key],
    )


def register() -> None:
    for kind in KINDS:
        renderer_register(mail_kind(kind), render_event_mail)
    expander_register(ANNOUNCEMENT, announcement_mails)


# --- A reminder's row follows its mail ---------------------------------------------------


def _reminder_of(mail: OutgoingMail):
    if mail.kind != mail_kind("reminder"):
        return Reminder.objects.none()
    return Reminder.objects.filter(
        pk=mail.params.get("reminder"),
        message_id=mail.message_id,
        status=Reminder.Status.SENDING,
    )


@receiver(mail_sent, dispatch_uid="events.reminder_sent")
def _reminder_sent(sender, *, mail: OutgoingMail, **kwargs) -> None:
    _reminder_of(mail).update(
        status=Reminder.Status.SENT, sent_at=timezone.now(), attempts=mail.attempts
    )


@receiver(mail_dropped, dispatch_uid="events.reminder_dropped")
def _reminder_dropped(sender, *, mail: OutgoingMail, **kwargs) -> None:
    _reminder_of(mail).update(status=Reminder.Status.SKIPPED)


@receiver(mail_failed, dispatch_uid="events.reminder_failed")
def _reminder_failed(sender, *, mail: OutgoingMail, **kwargs) -> None:
    _reminder_of(mail).update(
        status=Reminder.Status.FAILED, attempts=mail.attempts, last_error=mail.last_error[:500]
    )
