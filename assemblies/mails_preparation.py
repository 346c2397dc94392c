"""The preparation's mails: the notice (indkaldelse) with the agenda and the event's
calendar invitation, and the news that the motions are published. Services queue one
fan-out row each; the outbox expands it into a mail per counted member (never a deputy
on their own) and renders each when it sends it, with the assembly as it is then."""

from email.mime.text import MIMEText

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.models import OutgoingMail
from core.outbox import Mail, expander_register, render_subject, renderer_register
from events.calendars import invitation_ics_for
from events.mails import EventMail
from members.models import Member

from .models import Assembly, Motion

NOTICE = "assemblies.notice"
NOTICE_FAN_OUT = "assemblies.notice_all"
MOTIONS = "assemblies.motions_published"
MOTIONS_FAN_OUT = "assemblies.motions_published_all"


def _members_mails(row: OutgoingMail, *, kind: str) -> list[Mail]:
    assembly_id = row.params.get("assembly")
    if not Assembly.objects.filter(pk=assembly_id).exists():
        return []
    return [
        Mail(kind=kind, to=member.email, recipient=member, params=dict(row.params))
        for member in Member.objects.counted().only("pk", "email").order_by("pk")
    ]


def notice_mails(row: OutgoingMail) -> list[Mail]:
    """The notice's fan-out row as one mail per counted member."""
    return _members_mails(row, kind=NOTICE)


def motions_published_mails(row: OutgoingMail) -> list[Mail]:
    """The published motions' fan-out row as one mail per counted member."""
    return _members_mails(row, kind=MOTIONS)


def _assembly(memo: dict, assembly_id) -> Assembly | None:
    key = ("assemblies.assembly", assembly_id)
    if key not in memo:
        assembly = (
            Assembly.objects.select_related("event__organiser").filter(pk=assembly_id).first()
        )
        if assembly is not None:
            items = list(assembly.items.order_by("position", "pk"))
            motions = list(
                Motion.objects.filter(assembly=assembly, withdrawn_at__isnull=True).order_by(
                    "submitted_at", "pk"
                )
            )
            memo[key] = (assembly, items, motions)
        else:
            memo[key] = None
    return memo[key]


def _context(assembly: Assembly, items, motions, member) -> dict:
    event = assembly.event
    return {
        "assembly": assembly,
        "event": event,
        "items": items,
        "motions": motions,
        "member": member,
        "agenda_url": settings.SITE_URL + reverse("assemblies:agenda", args=[event.pk]),
        "motions_url": settings.SITE_URL + reverse("assemblies:motions", args=[event.pk]),
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "settings_url": settings.SITE_URL + reverse("members:profile"),
    }


def _message(template: str, context: dict) -> EventMail:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_subject(f"assemblies/preparation/emails/{template}_subject.txt", context)
        text = render_to_string(f"assemblies/preparation/emails/{template}.txt", context)
        html = render_to_string(f"assemblies/preparation/emails/{template}.html", context)
    message = EventMail(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=text, to=[context["to"]]
    )
    message.attach_alternative(html, "text/html")
    return message


def _still_a_member(member) -> bool:
    return member is not None and Member.objects.counted().filter(pk=member.pk).exists()


def render_notice(mail: OutgoingMail, memo: dict) -> EventMail | None:
    """The notice to one member, with the event's METHOD:REQUEST attached as events
    attach it to an invitation (same UID and SEQUENCE: the calendars keep one entry)."""
    member = mail.recipient
    found = _assembly(memo, mail.params.get("assembly"))
    if found is None or not _still_a_member(member):
        return None
    assembly, items, motions = found
    event = assembly.event
    if event.is_cancelled:
        return None
    context = {**_context(assembly, items, motions, member), "to": mail.to_address}
    message = _message("notice", context)
    key = ("assemblies.ics", event.pk)
    if key not in memo:
        memo[key] = invitation_ics_for(event=event)
    ics = memo[key](recipient_email=member.email, recipient_name=member.get_full_name())
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message.attach(part)
    return message


def render_motions_published(mail: OutgoingMail, memo: dict) -> EventMail | None:
    """The news that the motions are out, with their titles."""
    member = mail.recipient
    found = _assembly(memo, mail.params.get("assembly"))
    if found is None or not _still_a_member(member):
        return None
    assembly, items, motions = found
    if assembly.motions_published_at is None or assembly.event.is_cancelled:
        return None
    context = {**_context(assembly, items, motions, member), "to": mail.to_address}
    return _message("motions_published", context)


def register() -> None:
    expander_register(NOTICE_FAN_OUT, notice_mails)
    expander_register(MOTIONS_FAN_OUT, motions_published_mails)
    renderer_register(NOTICE, render_notice)
    renderer_register(MOTIONS, render_motions_published)
