from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .forms import InvitationAdminForm, MemberChangeForm, MemberCreationForm
from .models import (
    Invitation,
    Member,
    Municipality,
    MunicipalityChangeRequest,
    Region,
    TwoStepMethod,
)


@admin.register(Member)
class MemberAdmin(UserAdmin):
    add_form = MemberCreationForm
    form = MemberChangeForm
    ordering = ["first_name", "last_name"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "municipality",
        "status",
        "deputy_link",
        "is_staff",
        "member_since",
        "last_login",
    ]
    list_filter = [
        "status",
        "is_deputy",
        "is_staff",
        "is_active",
        "groups",
        "municipality__region",
    ]
    search_fields = ["email", "first_name", "last_name", "municipality__name", "job_title"]
    list_select_related = ["municipality", "deputy_for", "deputy"]
    autocomplete_fields = ["municipality"]
    # The link is made by the deputy's invitation and undone by "Remove deputy": never
    # edited by hand (deputies' services keep municipality and circles in step).
    readonly_fields = [
        "last_login",
        "date_joined",
        "anonymised_at",
        "is_deputy",
        "deputy_for",
        "deputy_link",
    ]
    # Django's two-box filter widget puts an aria-label on a plain span, which screen
    # readers may ignore; the few groups are checkboxes, permissions a labelled list.
    filter_horizontal = ()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    actions = ["mark_former", "anonymise", "remove_deputy"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.deputy_for_id is not None:
            fields.append("municipality")  # a deputy's is their member's, moved with them
        return fields

    @admin.display(description=_("Deputy"))
    def deputy_link(self, member):
        if member.deputy_for_id:
            return _("deputy for %(name)s") % {"name": member.deputy_for.get_full_name()}
        deputy = getattr(member, "deputy", None)
        if deputy is not None:
            return _("deputy: %(name)s") % {"name": deputy.get_full_name()}
        return None

    @admin.action(description=_("Remove the member's deputy (closes the deputy's account)"))
    def remove_deputy(self, request, queryset):
        count = 0
        for member in queryset:
            if services.deputy_remove(member=member) is not None:
                count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d deputy has been removed.", "%(count)d deputies have been removed.", count
            )
            % {"count": count},
        )

    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "job_title",
                    "municipality",
                    "phone",
                    "bio",
                )
            },
        ),
        (_("Membership"), {"fields": ("status", "member_since", "left_on", "anonymised_at")}),
        (_("Deputy"), {"fields": ("is_deputy", "deputy_for", "deputy_link")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "municipality",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting the row would skip every app's eraser (answers, seats, reminders, unsent
        # mail): a member leaves by "Mark as former member" and is erased by "Anonymise".
        return False

    def save_model(self, request, obj, form, change):
        leaving = (
            change
            and "status" in form.changed_data
            and form.initial.get("status") == Member.Status.ACTIVE
            and obj.status == Member.Status.FORMER
        )
        if leaving:
            # member_mark_former makes that change, with everything a member's leaving does.
            obj.status = Member.Status.ACTIVE
        services.member_save_from_admin(
            member=obj, created=not change, changed_fields=form.changed_data
        )
        if leaving:
            services.member_mark_former(member=obj)

    @admin.action(description=_("Mark as former member"))
    def mark_former(self, request, queryset):
        for member in queryset:
            services.member_mark_former(member=member)
        self.message_user(request, _("The members have been marked as former members."))

    @admin.action(description=_("Anonymise former members"))
    def anonymise(self, request, queryset):
        former = queryset.filter(status=Member.Status.FORMER, anonymised_at__isnull=True)
        count = 0
        for member in former:
            services.member_erase(member=member, contributions="anonymise")
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d former member has been anonymised.",
                "%(count)d former members have been anonymised.",
                count,
            )
            % {"count": count},
        )


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "slug"]
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]
    list_select_related = ["region"]


def _send(*, invitation: Invitation, invited_by):
    """(Re)send an invitation through the portal's services: a deputy's through deputies'."""
    if invitation.deputy_for_id is not None:
        return services.deputy_invite(
            member=invitation.deputy_for,
            name=invitation.name,
            email=invitation.email,
            invited_by=invited_by,
            message=invitation.message,
        )
    return services.invitation_create_and_send(
        email=invitation.email,
        invited_by=invited_by,
        municipality=invitation.municipality,
        message=invitation.message,
        name=invitation.name,
    )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "name",
        "deputy_for",
        "invited_by",
        "created_at",
        "expires_at",
        "sent_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = [
        ("deputy_for", admin.EmptyFieldListFilter),
        ("accepted_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
        "created_at",
    ]
    search_fields = ["email", "invited_by__email", "invited_by__first_name"]
    list_select_related = ["invited_by", "deputy_for"]
    autocomplete_fields = ["deputy_for"]
    form = InvitationAdminForm
    fields = ["email", "name", "municipality", "deputy_for", "message"]
    readonly_fields = []
    actions = ["send_invitation", "revoke"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "email",
            "name",
            "deputy_for",
            "invited_by",
            "created_at",
            "expires_at",
            "sent_at",
            "accepted_at",
            "accepted_by",
            "revoked_at",
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return [*self.get_readonly_fields(request, obj), "municipality", "message"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new invitation goes through the service: it hashes the token and mails the link.
        issued = _send(invitation=obj, invited_by=request.user)
        obj.pk = issued.invitation.pk

    @admin.action(description=_("Send invitation (new link, valid for 14 days)"))
    def send_invitation(self, request, queryset):
        sent = 0
        for invitation in queryset.filter(accepted_at__isnull=True):
            try:
                _send(invitation=invitation, invited_by=request.user)
            except (services.InvitationAlreadyMember, services.DeputyError):
                continue
            sent += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d invitation has been sent.", "%(count)d invitations have been sent.", sent
            )
            % {"count": sent},
        )

    @admin.action(description=_("Revoke invitation"))
    def revoke(self, request, queryset):
        services.invitation_revoke(invitations=queryset)
        self.message_user(request, _("The invitations have been revoked."))


@admin.register(MunicipalityChangeRequest)
class MunicipalityChangeRequestAdmin(admin.ModelAdmin):
    """Requests are made on the profile and decided here or in the portal, through the
    same services; the rows themselves are not edited by hand."""

    list_display = [
        "member",
        "from_municipality",
        "to_municipality",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    list_filter = ["status", "to_municipality__region"]
    search_fields = ["member__email", "member__first_name", "member__last_name"]
    list_select_related = ["member", "from_municipality", "to_municipality", "decided_by"]
    readonly_fields = list_display
    fields = list_display
    actions = ["approve", "reject"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def _decide(self, request, queryset, decide) -> int:
        decided = 0
        for change in queryset.filter(status=MunicipalityChangeRequest.Status.PENDING):
            try:
                decide(request=change, decided_by=request.user)
            except services.MunicipalityChangeDecided:
                continue
            decided += 1
        return decided

    @admin.action(description=_("Approve the change of municipality"), permissions=["view"])
    def approve(self, request, queryset):
        count = self._decide(request, queryset, services.municipality_change_approve)
        self.message_user(
            request,
            ngettext(
                "%(count)d change of municipality has been approved.",
                "%(count)d changes of municipality have been approved.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Reject the change of municipality"), permissions=["view"])
    def reject(self, request, queryset):
        count = self._decide(request, queryset, services.municipality_change_reject)
        self.message_user(
            request,
            ngettext(
                "%(count)d change of municipality has been rejected.",
                "%(count)d changes of municipality have been rejected.",
                count,
            )
            % {"count": count},
        )


admin.site.unregister(Authenticator)


@admin.register(TwoStepMethod)
class TwoStepMethodAdmin(admin.ModelAdmin):
    """Who has set up which second factor. Never shows the secrets (allauth's admin
    does); a staff member deletes a lost one, so that the member can set up a new one."""

    list_display = ["member", "kind", "set_up_at", "last_used"]
    list_filter = ["type"]
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user"]
    fields = readonly_fields = ["member", "kind", "set_up_at", "last_used"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("member"), ordering="user__last_name")
    def member(self, method):
        return method.user

    @admin.display(description=_("kind"), ordering="type")
    def kind(self, method):
        return method.get_type_display()

    @admin.display(description=_("set up"), ordering="created_at")
    def set_up_at(self, method):
        return method.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, method):
        return method.last_used_at
