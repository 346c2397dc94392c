from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .permissions import requires_mfa


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every view needs a login unless it is marked @login_not_required (see komdir.urls)."""


# Paths a privileged user may reach before completing MFA: setting it up,
# signing in with it, logging out, and the assets those pages need.
MFA_EXEMPT_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/static/",
    "/i18n/",
    "/healthz",
)


class MFARequiredMiddleware:
    """Sends staff and board members to set up MFA, then to sign in with it.

    Until the session holds an MFA authentication record, they reach nothing but
    the MFA pages: no board page, no admin page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and requires_mfa(user)
        ):
            if not Authenticator.objects.filter(
                user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
            ).exists():
                messages.info(
                    request,
                    _(
                        "As a board member or administrator you must use two-factor "
                        "authentication. Set it up here before you continue."
                    ),
                )
                return redirect("mfa_activate_totp")
            records = get_authentication_records(request, user)
            if not any(record.get("method") == "mfa" for record in records):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return self.get_response(request)
