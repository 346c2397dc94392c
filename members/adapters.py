import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.outbox import Priority, mail_queue_message

from . import services
from .models import Invitation

INVITATION_SESSION_KEY = "komdir_invitation_id"


def invitation_in_session(request) -> Invitation | None:
    """The still-usable invitation this browser arrived with, if any."""
    invitation_id = request.session.get(INVITATION_SESSION_KEY) if request else None
    if not invitation_id:
        return None
    invitation = Invitation.objects.pending().filter(pk=invitation_id).first()
    if invitation is None:
        request.session.pop(INVITATION_SESSION_KEY, None)
    return invitation


class InvitationAccountAdapter(DefaultAccountAdapter):
    """Signup is open only to a browser holding a valid invitation, for its address alone."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mails (password reset, address confirmation) go through the outbox at
        its highest priority: the request writes a row and never waits for SMTP."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        mail_queue_message(
            message=message,
            kind="account." + template_prefix.rsplit("/", 1)[-1],
            priority=Priority.ACCOUNT,
            recipient=context.get("user"),
        )

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Setting up the first second factor minutes after a password login needs no
        second password prompt (staff and board are sent there straight from the login),
        nor does reading the recovery codes that setup just made; changing a factor that
        existed before this login always asks again."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        if not required or app != "allauth.mfa" or self.request is None:
            return required
        records = get_authentication_records(self.request, self.request.user)
        # The login itself, not the record that setting up a factor leaves (below).
        last_login = max(
            (record.get("at", 0) for record in records if not record.get("set_up")), default=0
        )
        earlier = datetime.fromtimestamp(last_login, tz=UTC)
        if Authenticator.objects.filter(user=self.request.user, created_at__lt=earlier).exists():
            return True
        timeout = account_settings.REAUTHENTICATION_TIMEOUT
        return not time.time() - last_login < timeout

    def is_open_for_signup(self, request) -> bool:
        return invitation_in_session(request) is not None

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        invitation = invitation_in_session(self.request)
        if invitation is not None and email.lower() != invitation.email.lower():
            raise forms.ValidationError(
                _("Use the email address the invitation was sent to: %(email)s")
                % {"email": invitation.email}
            )
        return email

    def save_user(self, request, user, form, commit=True):
        invitation = invitation_in_session(request)
        if invitation is None:
            raise ImmediateHttpResponse(
                render(request, "members/invitation_invalid.html", {"reason": "used"}, status=410)
            )
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = super().save_user(request, user, form, commit=True)
                services.member_signup_complete(
                    member=user,
                    invitation_id=invitation.pk,
                    job_title=data.get("job_title", ""),
                    municipality=data.get("municipality"),
                )
        except services.InvitationError as error:
            raise ImmediateHttpResponse(
                render(
                    request, "members/invitation_invalid.html", {"reason": error.reason}, status=410
                )
            ) from error
        request.session.pop(INVITATION_SESSION_KEY, None)
        return user


def record_second_factor_set_up(sender, request, user, authenticator, **kwargs) -> None:
    """Setting up an app or a security key takes a code from it: the session has then
    passed a second factor, and the board's first page does not ask for one again."""
    from allauth.account.internal.flows.login import record_authentication

    if request is None or authenticator.type not in (
        Authenticator.Type.TOTP,
        Authenticator.Type.WEBAUTHN,
    ):
        return
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, set_up=True
    )
