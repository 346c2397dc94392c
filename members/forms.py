from allauth.mfa.webauthn import forms as allauth_webauthn_forms
from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from core.inputs import OneLineField

from .models import Invitation, Member, Municipality


class SignupProfileForm(forms.Form):
    """Extra fields on the allauth signup form; saved by InvitationAccountAdapter."""

    first_name = OneLineField(label=_("First name"), max_length=100)
    last_name = OneLineField(label=_("Last name"), max_length=100)
    job_title = OneLineField(
        label=_("Job title"), max_length=150, required=False, initial=_("Municipal chief executive")
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        empty_label=_("Choose municipality"),
        help_text=_("You will join the circle of your municipality's region."),
    )

    def signup(self, request, user) -> None:
        """The adapter has saved everything already."""


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "first_name",
            "last_name",
            "job_title",
            "municipality",
            "phone",
            "bio",
        ]
        field_classes = dict.fromkeys(
            ["first_name", "last_name", "job_title", "phone"], OneLineField
        )
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "municipality": _(
                "Your municipality decides your circle: a change is sent to the board for "
                "approval, and nothing changes until it is approved."
            )
        }

    def __init__(self, *args, pending_change=None, **kwargs):
        if pending_change is not None:
            # The request stands: saving the profile again must not withdraw it.
            kwargs.setdefault("initial", {})["municipality"] = pending_change.to_municipality_id
        super().__init__(*args, **kwargs)
        if self.instance.deputy_for_id is not None:
            field = self.fields["municipality"]
            field.disabled = True
            field.help_text = _("As a deputy you belong to the municipality of your member.")


class MunicipalityChangeDecisionForm(forms.Form):
    """The board's decision on one pending request (a button of the list)."""

    APPROVE, REJECT = "approve", "reject"

    request = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))])


class DirectorySearchForm(forms.Form):
    """The directory's search by name and municipality; circles adds the choice of a circle."""

    q = forms.CharField(
        label=_("Search by name, job title or municipality"), required=False, max_length=100
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("All municipalities"),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("Chosen by the invitee"),
    )
    message = forms.CharField(
        label=_("Personal greeting (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def deputy_error_message(reason: str) -> str:
    """What the member or the board is told when a deputy cannot be invited."""
    return {
        "has_deputy": _("Remove the current deputy before you invite a new one."),
        "is_deputy": _("A deputy cannot have a deputy of their own."),
    }.get(reason, _("Only an active member can have a deputy."))


class DeputyInviteForm(forms.Form):
    """The member's invitation of their deputy: who, and where the invitation goes."""

    name = OneLineField(label=_("The deputy's name"), max_length=200)
    email = forms.EmailField(label=_("The deputy's email address"), max_length=254)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if Member.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A member with this email address already exists."))
        return email


class DeputyRemoveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my deputy's account is closed"),
    )


class EraseAccountForm(forms.Form):
    contributions = forms.ChoiceField(
        label=_("What should happen to your contributions and comments?"),
        choices=[
            ("anonymise", _("Anonymise them: the text stays, your name is removed")),
            ("delete", _("Delete them")),
        ],
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account is deleted for good and cannot be restored"),
    )


class InvitationAdminForm(forms.ModelForm):
    """The admin's form for a new invitation; the service issues and mails it."""

    class Meta:
        model = Invitation
        fields = ["email", "name", "municipality", "deputy_for", "message"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if Member.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A member with this email address already exists."))
        return email

    def clean_deputy_for(self):
        from .services import DeputyError, deputy_invite_check

        member = self.cleaned_data.get("deputy_for")
        if member is not None:
            try:
                deputy_invite_check(member=member)
            except DeputyError as error:
                raise forms.ValidationError(deputy_error_message(error.reason)) from error
        return member


class AddWebAuthnForm(allauth_webauthn_forms.AddWebAuthnForm):
    """allauth's form, refusing a credential that is not a JSON object: a falsy value such
    as `0` would otherwise skip its checks and store a key that breaks the MFA pages."""

    def clean_credential(self):
        credential = self.cleaned_data["credential"]
        if not isinstance(credential, dict):
            raise forms.ValidationError(_("The security key did not answer. Please try again."))
        return credential


class MemberCreationForm(AdminUserCreationForm):
    """The admin's form for adding a member by hand (email is the login)."""

    class Meta:
        model = Member
        fields = ["email", "first_name", "last_name", "municipality"]


class MemberChangeForm(UserChangeForm):
    class Meta:
        model = Member
        fields = "__all__"
