"""What the apps register with the outbox: how a kind of mail is rendered when sent, who
gets a fan-out mail; the signals of a mail's end; plain subjects."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.core.mail import EmailMessage
from django.dispatch import Signal
from django.template import Context
from django.template.loader import get_template

from ..models import OutgoingMail

if TYPE_CHECKING:
    from .queueing import Mail


# Sent once a mail reached its final state: sender is OutgoingMail, `mail` the row.
mail_sent = Signal()
mail_dropped = Signal()
mail_failed = Signal()

Priority = OutgoingMail.Priority

# kind -> renderer(mail, memo) -> EmailMessage, or None when the mail is no longer
# wanted (the event was cancelled, the member declined). `memo` lives for one batch,
# so what many mails share is rendered once.
Renderer = Callable[[OutgoingMail, dict], EmailMessage | None]
_renderers: dict[str, Renderer] = {}
# kind -> expander(row) -> the mails of a fan-out row, one per recipient.
Expander = Callable[[OutgoingMail], Iterable["Mail"]]
_expanders: dict[str, Expander] = {}


def renderer_register(kind: str, renderer: Renderer) -> None:
    """Tell the outbox how to render mails of `kind` when they are sent (apps call this
    in their AppConfig.ready())."""
    _renderers[kind] = renderer


def expander_register(kind: str, expander: Expander) -> None:
    """Tell the outbox who gets a fan-out mail of `kind` (apps call this in ready())."""
    _expanders[kind] = expander


def plain_subject(subject: str) -> str:
    """A subject on one line, whatever line breaks a title brought."""
    return " ".join(str(subject).split())


def render_subject(template_name: str, context: dict) -> str:
    """A subject template rendered as plain text: `R&D "x"` stays `R&D "x"`."""
    template = get_template(template_name).template
    return plain_subject(template.render(Context(context, autoescape=False)))
