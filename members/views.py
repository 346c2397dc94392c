import json

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from allauth.account.views import SignupView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from . import selectors, services
from .adapters import INVITATION_SESSION_KEY, invitation_in_session
from .forms import (
    DeputyInviteForm,
    DeputyRemoveForm,
    EraseAccountForm,
    InvitationForm,
    MunicipalityChangeDecisionForm,
    deputy_error_message,
)


@never_cache
def data_export(request):
    data = selectors.member_data_export(member=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    filename = f"komdir-mine-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@reauthentication_required
@require_http_methods(["GET", "POST"])
def account_erase(request):
    form = EraseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.member_erase(member=request.user, contributions=form.cleaned_data["contributions"])
        logout(request)
        messages.success(
            request, _("Your account has been deleted. Thank you for your membership.")
        )
        return redirect("home")
    return render(request, "members/account_erase.html", {"form": form})


@permission_required("members.view_profile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def deputy_manage(request):
    """The member's deputy: who it is, the pending invitation, invite one, remove them."""
    member = request.user
    invite_form = DeputyInviteForm(request.POST if "invite" in request.POST else None)
    remove_form = DeputyRemoveForm(request.POST if "remove" in request.POST else None)
    if request.method == "POST":
        if not request.user.has_perm("members.manage_deputy"):
            messages.error(request, deputy_error_message(services.DeputyError.IS_DEPUTY))
            return redirect("members:deputy")
        if "remove" in request.POST and remove_form.is_valid():
            deputy = services.deputy_remove(member=member)
            if deputy is not None:
                messages.success(
                    request,
                    _("%(name)s is no longer your deputy.") % {"name": deputy.get_full_name()},
                )
            return redirect("members:deputy")
        if "invite" in request.POST and invite_form.is_valid():
            try:
                issued = services.deputy_invite(
                    member=member, invited_by=member, **invite_form.cleaned_data
                )
            except services.DeputyError as error:
                messages.error(request, deputy_error_message(error.reason))
                return redirect("members:deputy")
            except services.InvitationAlreadyMember:
                invite_form.add_error(
                    "email", _("A member with this email address already exists.")
                )
            else:
                messages.success(
                    request,
                    _("The invitation to %(email)s is on its way.")
                    % {"email": issued.invitation.email},
                )
                return redirect("members:deputy")
    context = {
        "deputy": selectors.member_deputy(member=member),
        "pending": selectors.deputy_invitation_pending(member=member),
        "invite_form": invite_form,
        "remove_form": remove_form,
    }
    return render(request, "members/deputy.html", context)


@permission_required("members.invite", raise_exception=True)
@require_http_methods(["GET", "POST"])
def invitation_list(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.invitation_create_and_send(
                invited_by=request.user, **form.cleaned_data
            )
        except services.InvitationAlreadyMember:
            form.add_error("email", _("A member with this email address already exists."))
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is on its way.")
                % {"email": issued.invitation.email},
            )
            return redirect("members:invitations")
    invitations = selectors.invitation_list()
    return render(
        request, "members/invitation_list.html", {"form": form, "invitations": invitations}
    )


@permission_required("members.decide_municipality_change", raise_exception=True)
@require_http_methods(["GET", "POST"])
def municipality_change_list(request):
    if request.method == "POST":
        form = MunicipalityChangeDecisionForm(request.POST)
        change = None
        if form.is_valid():
            change = selectors.municipality_change_pending_by_id(pk=form.cleaned_data["request"])
        if change is None:
            messages.error(request, _("The request has been decided already."))
            return redirect("members:municipality_changes")
        approve = form.cleaned_data["decision"] == MunicipalityChangeDecisionForm.APPROVE
        decide = (
            services.municipality_change_approve if approve else services.municipality_change_reject
        )
        try:
            decide(request=change, decided_by=request.user)
        except services.MunicipalityChangeDecided:
            messages.error(request, _("The request has been decided already."))
        else:
            text = (
                _("%(member)s has moved to %(municipality)s.")
                if approve
                else _("The request of %(member)s to move to %(municipality)s has been rejected.")
            )
            messages.success(
                request,
                text % {"member": change.member, "municipality": change.to_municipality},
            )
        return redirect("members:municipality_changes")
    return render(
        request,
        "members/municipalitychangerequest_list.html",
        {"requests": selectors.municipality_changes_pending()},
    )


REASON_STATUS = {"unknown": 404, "used": 410, "expired": 410, "revoked": 410}


@login_not_required
def invitation_accept(request, token: str):
    if request.user.is_authenticated:
        messages.info(request, _("You are already signed in."))
        return redirect("home")
    try:
        invitation = services.invitation_check(token=token)
    except services.InvitationError as error:
        return render(
            request,
            "members/invitation_invalid.html",
            {"reason": error.reason},
            status=REASON_STATUS[error.reason],
        )
    request.session[INVITATION_SESSION_KEY] = invitation.pk
    # The link proves the address: allauth treats it as verified at signup.
    get_adapter(request).stash_verified_email(request, invitation.email)
    if EmailAddress.objects.filter(email__iexact=invitation.email).exists():
        return redirect("account_login")
    return render(request, "members/invitation_accept.html", {"invitation": invitation})


class InvitationSignupView(SignupView):
    """allauth's signup, with the municipality the invitation names already chosen."""

    def get_initial(self) -> dict:
        initial = super().get_initial()
        invitation = invitation_in_session(self.request)
        if invitation is not None and invitation.municipality_id:
            initial.setdefault("municipality", invitation.municipality_id)
        return initial


signup = login_not_required(InvitationSignupView.as_view())
