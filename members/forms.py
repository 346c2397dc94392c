from django import forms
from django.utils.translation import gettext_lazy as _

from circles.models import Circle

from .models import Member, Municipality


class SignupProfileForm(forms.Form):
    """Extra fields on the allauth signup form; saved by InvitationAccountAdapter."""

    first_name = forms.CharField(label=_("Fornavn"), max_length=100)
    last_name = forms.CharField(label=_("Efternavn"), max_length=100)
    job_title = forms.CharField(
        label=_("Stilling"), max_length=150, required=False, initial=_("Kommunaldirektør")
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.all(),
        empty_label=_("Vælg kommune"),
        help_text=_("Du bliver medlem af kredsen i din kommunes region."),
    )

    def signup(self, request, user) -> None:
        """The adapter has saved everything already."""


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["first_name", "last_name", "job_title", "municipality", "phone", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Søg efter navn, stilling eller kommune"), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("Alle kommuner"),
    )
    circle = forms.ModelChoiceField(
        label=_("Kreds"),
        queryset=Circle.objects.all(),
        required=False,
        empty_label=_("Alle kredse"),
        to_field_name="slug",
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadresse"))
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("Vælges af den inviterede"),
    )
    message = forms.CharField(
        label=_("Personlig hilsen (valgfri)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EraseAccountForm(forms.Form):
    contributions = forms.ChoiceField(
        label=_("Hvad skal der ske med dine bidrag og kommentarer?"),
        choices=[
            ("anonymise", _("Anonymisér dem: teksten bliver, dit navn fjernes")),
            ("delete", _("Slet dem")),
        ],
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("Jeg forstår, at min konto slettes for altid og ikke kan gendannes"),
    )
