import csv

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.enqueue import enqueue_on_commit

from . import services
from .models import RSVP, Event, MinutesRevision, Reminder


class RSVPInline(admin.TabularInline):
    model = RSVP
    extra = 0
    autocomplete_fields = ["member"]
    fields = ["member", "answer", "waitlisted", "waitlisted_since", "created_at"]
    readonly_fields = ["created_at"]


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


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "circle", "starts_at", "status", "sequence", "organiser"]
    list_filter = ["kind", "status", "circle"]
    search_fields = ["title", "description", "location"]
    date_hierarchy = "starts_at"
    list_select_related = ["circle", "organiser"]
    autocomplete_fields = ["organiser"]
    readonly_fields = ["uid", "sequence", "cancelled_at", "created_at", "updated_at"]
    inlines = [RSVPInline, ReminderInline, MinutesRevisionInline]
    actions = ["send_reminders_now", "export_attendees"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        services.reminders_plan(event=obj)

    @admin.action(description=_("Send reminders now"))
    def send_reminders_now(self, request, queryset) -> None:
        from .tasks import reminders_send_due

        count = sum(services.reminders_send_now(event=event) for event in queryset)
        enqueue_on_commit(reminders_send_due)
        self.message_user(
            request,
            ngettext(
                "%(count)d reminder goes out with the next sweep.",
                "%(count)d reminders go out with the next sweep.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Export attendees"))
    def export_attendees(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="deltagere.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(["event", "starts_at", "name", "email", "answer", "waitlisted"])
        rsvps = (
            RSVP.objects.filter(event__in=queryset)
            .select_related("event", "member")
            .order_by("event__starts_at", "event_id", "created_at")
        )
        for rsvp in rsvps:
            writer.writerow(
                [
                    rsvp.event.title,
                    rsvp.event.starts_at.isoformat(),
                    rsvp.member.get_full_name(),
                    rsvp.member.email,
                    rsvp.answer,
                    "ja" if rsvp.waitlisted else "",
                ]
            )
        return response


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
