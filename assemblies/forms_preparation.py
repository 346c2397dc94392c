"""Forms of the preparation: agenda items, the notice, motions, the board's
recommendation, candidacies. Every input is bounded where it enters."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.inputs import IdField, ModelMultipleChoiceIdField, OneLineField, parse_id

from .models import AgendaItem

TEXT_MAX = 20_000
STATEMENT_MAX = 2_000


def _no_nul(value: str) -> str:
    return value.replace("\x00", "")


class BoundedText(forms.CharField):
    """A longer text: bounded, without NUL bytes."""

    def __init__(self, *, max_length: int = TEXT_MAX, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        return _no_nul(super().to_python(value))


class AgendaItemForm(forms.Form):
    """An agenda item: title, kind, description and the event's documents it points to."""

    title = OneLineField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgendaItem.Kind.choices)
    description = BoundedText(
        label=_("Description"), required=False, help_text=_("Markdown: **bold**, lists, links.")
    )
    documents = ModelMultipleChoiceIdField(
        label=_("Documents"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Documents are added to the event on its page and chosen here."),
    )

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if documents is None:
            del self.fields["documents"]
        else:
            self.fields["documents"].queryset = documents
            if not documents.exists():
                del self.fields["documents"]


class AgendaActionForm(forms.Form):
    """Move an item up or down the agenda, or delete it."""

    ACTIONS = (("up", "up"), ("down", "down"), ("delete", "delete"))

    item = IdField()
    action = forms.ChoiceField(choices=ACTIONS)


class NoticeForm(forms.Form):
    """Send the notice; a late one, or a second one, needs the box ticked."""

    confirm = forms.BooleanField(label=_("Yes, send the notice anyway"), required=False)

    def __init__(self, *args, needs_confirmation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_confirmation = needs_confirmation
        if not needs_confirmation:
            del self.fields["confirm"]

    def clean(self):
        cleaned = super().clean()
        if self.needs_confirmation and not cleaned.get("confirm"):
            self.add_error("confirm", _("Tick the box to confirm that the notice goes out."))
        return cleaned


class MotionForm(forms.Form):
    title = OneLineField(label=_("Title"), max_length=200)
    text = BoundedText(label=_("The motion"), help_text=_("What the assembly is to decide."))
    reasoning = BoundedText(label=_("Reasoning"), required=False)


class MotionActionForm(forms.Form):
    """On the motions page: withdraw one's motion, the board's recommendation on one,
    or the board's publication of them all."""

    ACTIONS = (("withdraw", "withdraw"), ("recommend", "recommend"), ("publish", "publish"))

    action = forms.ChoiceField(choices=ACTIONS)
    motion = IdField(required=False)


class RecommendationForm(forms.Form):
    recommendation = BoundedText(
        label=_("The board's recommendation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModelChoiceIdField(forms.ModelChoiceField):
    """One object chosen by id; a value that is no id is refused before the query."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class CandidacyForm(forms.Form):
    """Stand for one of the assembly's elections."""

    item = ModelChoiceIdField(label=_("Election"), queryset=None, empty_label=None)
    statement = BoundedText(
        label=_("Statement"),
        max_length=STATEMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few lines on who you are and what you will work for."),
    )

    def __init__(self, *args, elections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = elections


class CandidacyWithdrawForm(forms.Form):
    candidacy = IdField()
