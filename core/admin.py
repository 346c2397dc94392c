from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutgoingMail
from .outbox import mail_drop_unsent, mail_retry


class LookUpOnlyAdmin(admin.ModelAdmin):
    """A list to look rows up in: the apps' services write them, never the admin. A row
    goes with what it belongs to when that is deleted (Django asks this admin whether it
    may), but is not deleted on its own."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied

    def delete_model(self, request, obj) -> None:
        raise PermissionDenied

    def delete_queryset(self, request, queryset) -> None:
        raise PermissionDenied

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "show_delete": False}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The outbox as it is: what waits, what was sent, what failed and why. Rows are
    written by the portal's services only; here they are read, sent again or dropped."""

    list_display = (
        "created_at",
        "kind",
        "to_address",
        "priority",
        "status",
        "attempts",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "priority", "kind")
    search_fields = ("to_address", "subject", "message_id", "kind")
    date_hierarchy = "created_at"
    actions = ("send_again", "drop")
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]
    list_select_related = ()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, mail: OutgoingMail) -> str:
        return mail.last_error[:80]

    @admin.action(description=_("Send the selected failed mails again"))
    def send_again(self, request, queryset):
        count = mail_retry(rows=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d mail will be sent again.", "%(count)d mails will be sent again.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Do not send the selected mails"))
    def drop(self, request, queryset):
        count = mail_drop_unsent(rows=queryset)
        self.message_user(
            request,
            ngettext("%(count)d mail dropped.", "%(count)d mails dropped.", count)
            % {"count": count},
            messages.SUCCESS,
        )
