"""The events admin. Every save, delete and action goes through events.services with
the staff user as actor, so the admin has the portal's effects: invitations, updates
with SEQUENCE + 1, cancellations, reminder plans, the capacity and the waitlist."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import LookUpOnlyAdmin
from members.models import Member

from . import services
from .exports import csv_response
from .forms import event_form_clean
from .models import RSVP, AgendaRevision, Event, EventPreferences, MinutesRevision, Reminder

# What event_create and event_update take as such; tags, minutes and status have their
# own paths.
SERVICE_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "circle",
    "external_partners",
    "capacity",
    "rsvp_deadline",
    "agenda",
    "reminder_offsets",
)
# The reminder log, the minutes' history and the answers go with a deleted event.
DELETED_WITH_EVENT = (Reminder, MinutesRevision, AgendaRevision, RSVP)


class RSVPFormSet(BaseInlineFormSet):
    """Answers recorded in the admin obey the portal's rules: only invitees, only while
    the event takes answers, and an answer stays with its member."""

    def clean(self) -> None:
        super().clean()
        event = self.instance
        changed = [form for form in self.forms if form.has_changed() and form.is_valid()]
        for form in changed:
            member = form.cleaned_data.get("member")
            if form.instance.pk and "member" in form.changed_data:
                form.add_error(
                    "member",
                    _("An answer belongs to its member: add a new row for another member."),
                )
            elif member is not None and not member.has_perm("events.rsvp_event", event):
                form.add_error("member", _("This member is not invited to the event."))
            elif (
                member is not None
                and form.cleaned_data.get("answer") == RSVP.Answer.DEPUTY
                and not Member.objects.deputy_of(member).exists()
            ):
                form.add_error("answer", _("This member has no deputy to send."))
        if changed and not event.rsvp_open:
            raise ValidationError(_("Answers are no longer taken for this event."))


class RSVPInline(admin.TabularInline):
    """Answers are saved by rsvp_answer: a yes to a full event joins the waitlist, a seat
    given up promotes the next. The waitlist is the service's, and an answer is not
    deleted but changed to no, which frees its seat."""

    model = RSVP
    formset = RSVPFormSet
    extra = 0
    can_delete = False
    autocomplete_fields = ["member"]
    fields = ["member", "answer", "stands_in_for", "waitlisted", "waitlisted_since", "created_at"]
    readonly_fields = ["stands_in_for", "waitlisted", "waitlisted_since", "created_at"]


class ReminderInline(admin.TabularInline):
    """The reminder log is read-only: the sweep alone writes it."""

    model = Reminder
    extra = 0
    can_delete = False
    fields = ["member", "offset_minutes", "due_at", "status", "attempts", "sent_at", "message_id"]
    readonly_fields = fields
    ordering = ["due_at", "pk"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class MinutesRevisionInline(admin.TabularInline):
    model = MinutesRevision
    extra = 0
    can_delete = False
    fields = ["created_at", "author", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class EventAdminForm(forms.ModelForm):
    """The admin's event form checks what the portal's does (the admin supplies Meta)."""

    def clean(self):
        cleaned = super().clean()
        if "starts_at" in self.fields:  # a cancelled event's fields are all read-only
            event_form_clean(self, cleaned)
        return cleaned


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["title", "kind", "circle", "starts_at", "status", "sequence", "organiser"]
    list_filter = ["kind", "status", "circle"]
    search_fields = ["title", "description", "location"]
    date_hierarchy = "starts_at"
    list_select_related = ["circle", "organiser"]
    autocomplete_fields = ["organiser"]
    readonly_fields = ["uid", "sequence", "cancelled_at", "created_at", "updated_at"]
    inlines = [RSVPInline, ReminderInline, MinutesRevisionInline]
    actions = ["send_reminders_now", "export_attendees"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "online_url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_cancelled:
            # A cancelled event is a record: the portal does not edit it either.
            return [f.name for f in Event._meta.fields if f.editable] + self.readonly_fields
        if obj is None:
            return [*self.readonly_fields, "status"]
        return self.readonly_fields

    def get_changeform_initial_data(self, request):
        return {"organiser": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        if not change:
            event = services.event_create(
                actor=request.user,
                organiser=data["organiser"],
                tags=data.get("tags") or (),
                **{field: data[field] for field in SERVICE_FIELDS if field in data},
            )
        else:
            event = obj
            changes = {
                field: data[field]
                for field in form.changed_data
                if field in (*SERVICE_FIELDS, "organiser")
            }
            tags = data["tags"] if "tags" in form.changed_data else None
            if changes or tags is not None:
                event = services.event_update(actor=request.user, event=event, tags=tags, **changes)
        if "minutes" in form.changed_data:
            event = services.event_minutes_save(
                actor=request.user, event=event, minutes=data["minutes"]
            )
        if "status" in form.changed_data and data["status"] == Event.Status.CANCELLED:
            event = services.event_cancel(actor=request.user, event=event)
        # The admin goes on with the form's object (its log, its redirect): show it the
        # event as the services left it.
        obj.pk = event.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def save_related(self, request, form, formsets, change) -> None:
        # Not form.save_m2m(): the services set the tags.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change) -> None:
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not RSVP:
            return  # the reminder log and the minutes' history are read-only
        for answer_form in formset.forms:
            if not answer_form.has_changed():
                continue
            is_new = answer_form.instance.pk is None
            rsvp = services.rsvp_answer(
                event=form.instance,
                member=answer_form.cleaned_data["member"],
                answer=answer_form.cleaned_data["answer"],
            )
            if is_new:
                formset.new_objects.append(rsvp)
            else:
                formset.changed_objects.append((rsvp, answer_form.changed_data))

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # event_delete takes these with the event: nobody deletes them on their own.
        going = {str(model._meta.verbose_name) for model in DELETED_WITH_EVENT}
        perms_needed = {name for name in perms_needed if str(name) not in going}
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj) -> None:
        services.event_delete(actor=request.user, event=obj)

    def delete_queryset(self, request, queryset) -> None:
        for event in queryset:
            services.event_delete(actor=request.user, event=event)

    @admin.action(description=_("Send reminders now"))
    def send_reminders_now(self, request, queryset) -> None:
        count = sum(services.reminders_send_now(event=event) for event in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d reminder is in the outbox and goes out now.",
                "%(count)d reminders are in the outbox and go out now.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Export attendees"))
    def export_attendees(self, request, queryset):
        rsvps = (
            RSVP.objects.filter(event__in=queryset)
            .select_related("event", "member", "stands_in_for")
            .order_by("event__starts_at", "event_id", "created_at")
        )
        return csv_response(
            filename="deltagere.csv",
            header=["event", "starts_at", "name", "email", "answer", "waitlisted", "deputy"],
            rows=(
                [
                    rsvp.event.title,
                    rsvp.event.starts_at.isoformat(),
                    rsvp.member.get_full_name(),
                    rsvp.member.email,
                    rsvp.answer,
                    "ja" if rsvp.waitlisted else "",
                    rsvp.stand_in_label,
                ]
                for rsvp in rsvps
            ),
        )


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The reminder log, read-only."""

    list_display = ["event", "member", "offset_minutes", "due_at", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["event__title", "member__email", "message_id"]
    list_select_related = ["event", "member"]
    date_hierarchy = "due_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EventPreferences)
class EventPreferencesAdmin(admin.ModelAdmin):
    """Members' meeting settings. Saves go through events' services (the assistant only with
    consent); the feed can be switched off, never read or set here."""

    list_display = [
        "member",
        "reminders_opt_out",
        "calendar_assistant_email",
        "calendar_assistant_consent",
        "has_calendar_feed",
    ]
    list_filter = ["reminders_opt_out", "calendar_assistant_consent"]
    search_fields = ["member__email", "member__first_name", "member__last_name"]
    list_select_related = ["member"]
    fields = [
        "member",
        "reminders_opt_out",
        "calendar_assistant_email",
        "calendar_assistant_consent",
    ]
    raw_id_fields = ["member"]
    actions = ["revoke_calendar_feeds"]

    @admin.display(boolean=True, description=_("calendar feed"))
    def has_calendar_feed(self, obj) -> bool:
        return bool(obj.calendar_token)

    def get_readonly_fields(self, request, obj=None):
        return ["member"] if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:
        services.event_preferences_update(
            member=obj.member,
            reminders_opt_out=obj.reminders_opt_out,
            calendar_assistant_email=obj.calendar_assistant_email,
            calendar_assistant_consent=obj.calendar_assistant_consent,
        )
        saved = EventPreferences.objects.get(member=obj.member)
        obj.pk = saved.pk  # the admin's messages and log name the saved row

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Switch the calendar feed off"))
    def revoke_calendar_feeds(self, request, queryset) -> None:
        for preferences in queryset.select_related("member"):
            services.calendar_token_revoke(member=preferences.member)
        self.message_user(request, _("The calendar feeds have been switched off."))


@admin.register(RSVP)
class RSVPAdmin(LookUpOnlyAdmin):
    """Every answer, to look up: answers are given and changed on the event's page in
    the portal or in the event's admin page (through rsvp_answer, which keeps the
    waitlist and the seats right), never here."""

    list_display = ["event", "member", "answer", "waitlisted", "stands_in_for", "updated_at"]
    list_filter = ["answer", "waitlisted", "event__kind"]
    search_fields = ["event__title", "member__email", "member__first_name", "member__last_name"]
    list_select_related = ["event", "member", "stands_in_for"]
    date_hierarchy = "created_at"


@admin.register(MinutesRevision)
class MinutesRevisionAdmin(LookUpOnlyAdmin):
    """Every saved version of every event's minutes, searchable; written by
    event_minutes_save alone."""

    list_display = ["event", "author", "created_at"]
    list_filter = ["event__kind"]
    search_fields = ["event__title", "text", "author__email"]
    list_select_related = ["event", "author"]
    date_hierarchy = "created_at"
    readonly_fields = ["event", "author", "created_at", "text"]


@admin.register(AgendaRevision)
class AgendaRevisionAdmin(LookUpOnlyAdmin):
    """Every saved version of every event's agenda, searchable; written by the event's
    changes alone (and restored on the event's history page)."""

    list_display = ["event", "author", "created_at"]
    list_filter = ["event__kind"]
    search_fields = ["event__title", "text", "author__email"]
    list_select_related = ["event", "author"]
    date_hierarchy = "created_at"
    readonly_fields = ["event", "author", "created_at", "text"]
