"""Forms of the assembly's day: the proxy, the attendance search, decisions, elections,
the minutes and the search of decisions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import OneLineField, parse_id, validate_sane_date

from .models import Decision, Election

SEARCH_MAX = 100
TEXT_MAX = 10_000
MINUTES_MAX = 200_000


class IdModelChoiceField(forms.ModelChoiceField):
    """One object chosen by id; a value that is no id is refused before the query."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.to_field_name is None and parse_id(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class MemberChoiceField(IdModelChoiceField):
    def label_from_instance(self, member) -> str:
        if member.municipality_id:
            return f"{member.get_full_name()} ({member.municipality.name})"
        return member.get_full_name()


class ProxyForm(forms.Form):
    holder = MemberChoiceField(
        label=_("Give my proxy to"),
        queryset=None,
        empty_label=_("Choose a member"),
        help_text=_("The member carries your municipality's vote if you cannot come."),
    )

    def __init__(self, *args, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = holders


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name, job title or municipality"),
        required=False,
        max_length=SEARCH_MAX,
    )


class DecisionSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the decisions"),
        required=False,
        max_length=SEARCH_MAX,
        help_text=_("Words in the decision, the agenda item or the motion."),
    )


VOTES = {"required": False, "min_value": 0, "max_value": 32767}


class DecisionForm(forms.Form):
    item = IdModelChoiceField(label=_("Agenda item"), queryset=None, empty_label=None)
    motion = IdModelChoiceField(
        label=_("Motion"), queryset=None, required=False, empty_label=_("No motion")
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Decision.Outcome.choices)
    votes_for = forms.IntegerField(label=_("Votes for"), **VOTES)
    votes_against = forms.IntegerField(label=_("Votes against"), **VOTES)
    votes_blank = forms.IntegerField(label=_("Blank votes"), **VOTES)
    text = forms.CharField(
        label=_("Decision"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was decided, as it goes into the minutes."),
    )

    def __init__(self, *args, assembly, **kwargs):
        super().__init__(*args, prefix="decision", **kwargs)
        self.fields["item"].queryset = assembly.items.order_by("position", "pk")
        self.fields["motion"].queryset = assembly.motions.filter(withdrawn_at__isnull=True)


class ElectionForm(forms.Form):
    decision = IdModelChoiceField(label=_("Decision"), queryset=None, empty_label=None)
    role = forms.ChoiceField(label=_("Role"), choices=Election.Role.choices)
    member = MemberChoiceField(
        label=_("Member elected"),
        queryset=None,
        required=False,
        empty_label=_("Not a member"),
    )
    name = OneLineField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("For someone who is not a member, such as an external auditor."),
    )
    term_until = forms.DateField(
        label=_("Term until"),
        required=False,
        validators=[validate_sane_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, decisions, members, **kwargs):
        super().__init__(*args, prefix="election", **kwargs)
        self.fields["decision"].queryset = decisions
        self.fields["member"].queryset = members

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("member") and not cleaned.get("name"):
            raise forms.ValidationError(
                _("Choose the member elected, or write the name of who was.")
            )
        return cleaned


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes (Markdown)"),
        required=False,
        max_length=MINUTES_MAX,
        widget=forms.Textarea(attrs={"rows": 24}),
    )
