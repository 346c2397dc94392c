import secrets

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.utils import edit_string_for_tags, parse_tags

from circles.models import Circle
from core.inputs import IdField, ModelMultipleChoiceIdField, OneLineField, parse_id
from members.models import Member

from .models import Contribution, FocusArea, GuidingQuestion, NotificationSetting, StrategyPeriod
from .selectors import current_focus_areas

TAGS_HELP = _(
    "Separate tags with commas. The focus areas' tags link your contribution to them; "
    "you may also add your own."
)


class TagsField(forms.CharField):
    """Tags as one comma-separated text, parsed the way django-taggit does."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)

    def clean(self, value) -> list[str]:
        names = parse_tags(super().clean(value) or "")
        if any(len(name) > 100 for name in names):
            raise forms.ValidationError(_("A tag can be at most 100 characters long."))
        if len(names) > 15:
            raise forms.ValidationError(_("Use at most 15 tags."))
        return names


def tags_as_text(tags) -> str:
    return edit_string_for_tags(list(tags))


class FocusAreaForm(forms.ModelForm):
    tags = TagsField(
        label=_("Tags of this focus area"),
        required=False,
        help_text=_("Contributions carrying one of these tags appear under the focus area."),
    )
    note = OneLineField(
        label=_("Change note"),
        required=False,
        max_length=300,
        help_text=_("A few words for the history about what you changed."),
    )

    class Meta:
        model = FocusArea
        fields = ["title", "summary", "body"]
        field_classes = {"title": OneLineField}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 16}),
        }
        help_texts = {"body": _("Markdown: **bold**, *italic*, lists, links and headings.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = tags_as_text(self.instance.tags.all())


class StrategyPeriodForm(forms.ModelForm):
    focus_areas = forms.CharField(
        label=_("Focus areas"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One title per line, in their order. Write each focus area's text, guiding "
            "questions and tags on its own page afterwards."
        ),
    )

    class Meta:
        model = StrategyPeriod
        fields = ["title", "slug", "starts_on", "ends_on", "introduction"]
        field_classes = {"title": OneLineField}
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "introduction": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "slug": _("Used in addresses, e.g. 2026-2028."),
            "introduction": _("Markdown: **bold**, *italic*, lists, links and headings."),
        }

    def clean_focus_areas(self) -> list[str]:
        titles = [line.strip() for line in self.cleaned_data["focus_areas"].splitlines()]
        titles = [title for title in titles if title]
        if not titles:
            raise forms.ValidationError(_("Name at least one focus area."))
        if len(titles) > 10 or any(len(title) > 200 for title in titles):
            raise forms.ValidationError(
                _("At most 10 focus areas, each title at most 200 characters.")
            )
        return titles

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The period must end after it starts."))
        return data


class GuidingQuestionForm(forms.Form):
    id = IdField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=_("Guiding question"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BaseGuidingQuestionFormSet(forms.BaseFormSet):
    def ordered_questions(self) -> list[tuple[int | None, str]]:
        """(id, text) of the questions to keep, in the order the board chose."""
        return [
            (form.cleaned_data.get("id"), form.cleaned_data["text"]) for form in self.ordered_forms
        ]


GuidingQuestionFormSet = forms.formset_factory(
    GuidingQuestionForm,
    formset=BaseGuidingQuestionFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


def question_choices(questions) -> list[tuple[str, str]]:
    return [("", _("None"))] + [
        (str(q.pk), f"{q.focus_area.number}. {q.focus_area.title}: {q.text}") for q in questions
    ]


class ContributionForm(forms.Form):
    title = OneLineField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Your experience"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: **bold**, *italic*, lists, links and headings."),
    )
    guiding_question = forms.ChoiceField(
        label=_("Guiding question it answers"),
        required=False,
        help_text=_("If your experience answers one of the questions KOMDIR is curious about."),
    )
    tags = TagsField(label=_("Tags"), required=False, help_text=TAGS_HELP)
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Contribution.Visibility.choices,
        initial=Contribution.Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )
    circle = forms.ModelChoiceField(
        label=_("Circle"),
        queryset=Circle.objects.none(),
        required=False,
        empty_label=None,
        help_text=_("Used when only your circle may see the contribution."),
    )
    # A new form's one-time token: its posts make one contribution however often they come.
    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, author: Member, contribution: Contribution | None = None, **kwargs):
        if contribution is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": contribution.title,
                "body": contribution.body,
                "guiding_question": contribution.guiding_question_id or "",
                "tags": tags_as_text(contribution.tags.all()),
                "visibility": contribution.visibility,
                "circle": contribution.circle_id,
            }
        super().__init__(*args, **kwargs)
        if contribution is None:
            self.fields["submission"].initial = secrets.token_urlsafe(32)
        else:
            del self.fields["submission"]
        questions = list(
            GuidingQuestion.objects.current()
            .filter(focus_area__in=current_focus_areas())
            .select_related("focus_area")
            .order_by("focus_area__number", "ordering", "pk")
        )
        # A question removed since keeps its place on the contributions that answer it.
        answered = contribution.guiding_question if contribution is not None else None
        if answered is not None and answered.pk not in {q.pk for q in questions}:
            questions.append(answered)
        self._questions = {q.pk: q for q in questions}
        self.order_fields(["title", "body", "guiding_question", "visibility", "circle", "tags"])
        self.fields["tags"].widget.attrs.update(
            {
                "autocomplete": "off",
                "aria-controls": "tag-suggestions",
                "hx-get": reverse("focusareas:tag_suggestions"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#tag-suggestions",
            }
        )
        self.fields["guiding_question"].choices = question_choices(questions)
        self.fields["circle"].queryset = Circle.objects.filter(memberships__member=author)

    def clean_guiding_question(self) -> GuidingQuestion | None:
        value = self.cleaned_data.get("guiding_question")
        if not value:
            return None
        try:
            return self._questions[parse_id(value)]
        except KeyError as error:
            raise forms.ValidationError(_("Choose one of the guiding questions.")) from error

    def clean(self):
        data = super().clean()
        if data.get("visibility") == Contribution.Visibility.CIRCLE and not data.get("circle"):
            self.add_error("circle", _("Choose the circle that may see the contribution."))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown: **bold**, *italic*, lists and links."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The author is told this reason by mail."),
    )


class ContributionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    focus_area = forms.ModelChoiceField(
        label=_("Focus area"),
        queryset=FocusArea.objects.select_related("period").order_by(
            "-period__starts_on", "number"
        ),
        required=False,
        to_field_name="slug",
        empty_label=_("All focus areas"),
    )
    tag = forms.SlugField(label=_("Tag"), required=False, max_length=100, allow_unicode=True)
    circle = forms.ModelChoiceField(
        label=_("Circle"),
        queryset=Circle.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All circles"),
    )
    # Set from a member's page ("See their contributions"), never chosen from a list: a
    # drop-down of every member would grow with the association.
    author = forms.ModelChoiceField(
        label=_("Author"),
        queryset=Member.objects.active(),
        required=False,
        widget=forms.HiddenInput,
    )
    period = forms.ModelChoiceField(
        label=_("Strategy period"),
        queryset=StrategyPeriod.objects.newest_first(),
        required=False,
        to_field_name="slug",
        empty_label=_("All periods"),
    )


class NotificationSettingsForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Mails about new contributions in what you follow"),
        choices=NotificationSetting.Frequency.choices,
        widget=forms.RadioSelect,
    )
    focus_areas = ModelMultipleChoiceIdField(
        label=_("Focus areas you follow"),
        queryset=FocusArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(
            pk__in=[area.pk for area in offered]
        ).order_by("number")
