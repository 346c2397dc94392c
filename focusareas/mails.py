"""Mails about contributions: to followers, to an author whose contribution was hidden,
and the weekly digest. Services queue them in the outbox (core.outbox) as small rows;
the outbox renders each with the renderers below when it sends it, and drops one that
no longer applies (the contribution was withdrawn, or shown again)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from core.models import OutgoingMail
from core.outbox import Mail, expander_register, render_subject, renderer_register
from members.permissions import is_active_member

from .models import Contribution

FOLLOWER = "focusareas.contribution_published"
# The fan-out row of a published contribution, expanded into one mail per follower.
FOLLOWERS = "focusareas.followers"
HIDDEN = "focusareas.contribution_hidden"
DIGEST = "focusareas.digest"


def _message(*, template: str, context: dict) -> EmailMultiAlternatives:
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_subject(f"focusareas/emails/{template}_subject.txt", context)
        text = render_to_string(f"focusareas/emails/{template}.txt", context)
        html = render_to_string(f"focusareas/emails/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text)
    message.attach_alternative(html, "text/html")
    return message


def follower_mail(*, contribution: Contribution, member) -> Mail:
    return Mail(
        kind=FOLLOWER, to=member.email, recipient=member, params={"contribution": contribution.pk}
    )


def hidden_notice_mail(*, contribution: Contribution) -> Mail:
    author = contribution.author
    return Mail(
        kind=HIDDEN, to=author.email, recipient=author, params={"contribution": contribution.pk}
    )


def digest_mail(*, member, contributions: list[Contribution], week: int) -> Mail:
    return Mail(
        kind=DIGEST,
        to=member.email,
        recipient=member,
        params={"contributions": [c.pk for c in contributions], "week": week},
    )


def render_follower_mail(mail: OutgoingMail, memo: dict) -> EmailMultiAlternatives | None:
    member = mail.recipient
    if member is None or not is_active_member(member):
        return None
    contribution = (
        Contribution.objects.visible_to(member)
        .published()
        .select_related("author", "guiding_question")
        .filter(pk=mail.params.get("contribution"))
        .first()
    )
    if contribution is None:
        return None
    return _message(
        template="contribution_published",
        context={"contribution": contribution, "member": member},
    )


def render_hidden_notice(mail: OutgoingMail, memo: dict) -> EmailMultiAlternatives | None:
    contribution = (
        Contribution.objects.select_related("author")
        .filter(pk=mail.params.get("contribution"), hidden_at__isnull=False)
        .first()
    )
    member = mail.recipient
    if contribution is None or member is None or contribution.author_id != member.pk:
        return None
    return _message(
        template="contribution_hidden", context={"contribution": contribution, "member": member}
    )


def render_digest(mail: OutgoingMail, memo: dict) -> EmailMultiAlternatives | None:
    member = mail.recipient
    if member is None or not is_active_member(member):
        return None
    ids = mail.params.get("contributions", [])
    found = Contribution.objects.visible_to(member).published().in_bulk(ids)
    contributions = [found[pk] for pk in ids if pk in found]
    if not contributions:
        return None
    return _message(
        template="digest",
        context={
            "contributions": contributions,
            "member": member,
            "week": mail.params.get("week"),
        },
    )


def register() -> None:
    from .services import contribution_follower_mails

    expander_register(FOLLOWERS, contribution_follower_mails)
    renderer_register(FOLLOWER, render_follower_mail)
    renderer_register(HIDDEN, render_hidden_notice)
    renderer_register(DIGEST, render_digest)
