from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, CircleMembership
from core.inputs import OneLineField
from focusareas.forms import TagsField, tags_as_text
from members.permissions import is_board

from .models import RSVP, Event, EventPreferences

REMINDER_OFFSET_CHOICES = [
    (7 * 24 * 60, _("7 days before")),
    (3 * 24 * 60, _("3 days before")),
    (24 * 60, _("24 hours before")),
    (2 * 60, _("2 hours before")),
]

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MOST_SEATS = 5000  # more than any hall the association meets in


def event_form_clean(form: forms.Form, cleaned: dict) -> dict:
    """What an event needs, whichever form (the portal's or the admin's) schedules it."""
    starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
    if starts and ends and ends <= starts:
        form.add_error("ends_at", _("The end must be after the start."))
    if cleaned.get("kind") == Event.Kind.CIRCLE_MEETING and not cleaned.get("circle"):
        form.add_error("circle", _("Choose the circle that meets."))
    deadline = cleaned.get("rsvp_deadline")
    if deadline and starts and deadline > starts.date():
        form.add_error("rsvp_deadline", _("The deadline must be before the event."))
    if not cleaned.get("location") and not cleaned.get("online_url"):
        form.add_error("location", _("Give a place, an online meeting link or both."))
    return cleaned


class EventForm(forms.ModelForm):
    """Schedule or change an event. The kinds and circles on offer are those the user
    may schedule: circle leads their own circles, the board association-wide events."""

    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Danish time"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Danish time"),
    )
    rsvp_deadline = forms.DateField(
        label=_("RSVP deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Answers are taken until the end of this day."),
    )
    tags = TagsField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate with commas, e.g. green transition, leadership"),
    )
    reminder_offsets = forms.TypedMultipleChoiceField(
        label=_("Reminders by mail"),
        choices=REMINDER_OFFSET_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "circle",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "external_partners",
            "tags",
            "capacity",
            "rsvp_deadline",
            "agenda",
            "reminder_offsets",
        ]
        field_classes = {"title": OneLineField, "location": OneLineField}
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "location": _("Place"),
            "online_url": _("Online meeting link"),
            "external_partners": _("External partners"),
            "capacity": _("Number of seats"),
            "agenda": _("Agenda"),
            "kind": _("Kind of event"),
            "circle": _("Circle"),
        }
        help_texts = {
            "capacity": _("Leave empty for no limit. When it is full, members join a waitlist."),
            "agenda": _("You can use Markdown."),
            "description": _("You can use Markdown."),
            "external_partners": _("One per line."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "agenda": forms.Textarea(attrs={"rows": 8}),
            "external_partners": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        privileged = user.is_staff or is_board(user)
        led = CircleMembership.objects.leads().filter(member=user).values("circle_id")
        circles = Circle.objects.all() if user.is_staff else Circle.objects.filter(pk__in=led)
        self.fields["circle"].queryset = circles
        self.fields["circle"].empty_label = _("Choose circle")
        kinds = []
        if user.is_staff or circles.exists():
            kinds.append(Event.Kind.CIRCLE_MEETING)
        if privileged:
            kinds += [Event.Kind.GENERAL_ASSEMBLY, Event.Kind.PROFESSIONAL]
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
        self.fields["circle"].required = False
        # Needed in some cases (event_form_clean says which): not labelled "optional".
        for name, hint in (
            ("circle", _("Needed for a circle meeting.")),
            ("location", _("A place, an online meeting link, or both.")),
            ("online_url", _("A place, an online meeting link, or both.")),
        ):
            self.fields[name].conditionally_required = True
            self.fields[name].help_text = hint
        capacity = self.fields["capacity"]
        capacity.validators.append(
            MaxValueValidator(MOST_SEATS, _("An event has at most %(limit_value)s seats."))
        )
        capacity.widget.attrs.update(max=MOST_SEATS)
        if not self.instance.pk:
            self.initial.setdefault("reminder_offsets", list(self.instance.reminder_offsets))
        else:
            # The field edits the tags as one text, as the contribution form does.
            self.initial["tags"] = tags_as_text(self.instance.tags.all())

    def clean(self):
        return event_form_clean(self, super().clean())

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["reminder_offsets"] = data.get("reminder_offsets") or []
        return data


class CancelEventForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, cancel the event and tell the invitees"),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("You can use Markdown. Every saved version is kept."),
    )


class RSVPForm(forms.Form):
    answer = forms.ChoiceField(choices=RSVP.Answer.choices)


class EventFilterForm(forms.Form):
    kreds = forms.ModelChoiceField(
        label=_("Circle"),
        queryset=Circle.objects.all(),
        required=False,
        empty_label=_("All circles"),
        to_field_name="slug",
    )
    type = forms.ChoiceField(
        label=_("Kind of event"),
        choices=[("", _("All kinds")), *Event.Kind.choices],
        required=False,
    )


class EventPreferencesForm(forms.ModelForm):
    """The member's own meeting settings, on their profile page."""

    class Meta:
        model = EventPreferences
        fields = ["reminders_opt_out", "calendar_assistant_email", "calendar_assistant_consent"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("calendar_assistant_email") and not cleaned.get(
            "calendar_assistant_consent"
        ):
            self.add_error(
                "calendar_assistant_consent",
                _("Tick the box if the assistant may receive your invitations."),
            )
        if not cleaned.get("calendar_assistant_email"):
            cleaned["calendar_assistant_consent"] = False
        return cleaned
