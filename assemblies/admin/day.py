"""The assembly's day in the admin: proxies, attendance, decisions with their elections,
the minutes with their versions. Every save, delete and action goes through
assemblies.services, as the portal's pages do."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import LookUpOnlyAdmin

from .. import services
from ..models import Attendance, Decision, Election, Minutes, MinutesVersion, Proxy


def _each(modeladmin, request, rows, action, done) -> None:
    """Run `action` on every row, telling which were refused and why."""
    count = 0
    for row in rows:
        try:
            action(row)
            count += 1
        except ValidationError as error:
            modeladmin.message_user(
                request, f"{row}: {' '.join(error.messages)}", level=messages.ERROR
            )
    if count:
        modeladmin.message_user(request, done(count) % {"count": count}, level=messages.SUCCESS)


class ProxyAdminForm(forms.ModelForm):
    class Meta:
        model = Proxy
        fields = ["assembly", "giver", "holder"]

    def clean(self):
        cleaned = super().clean()
        if all(cleaned.get(name) for name in ("assembly", "giver", "holder")):
            try:
                services.proxy_give_check(
                    assembly=cleaned["assembly"], giver=cleaned["giver"], holder=cleaned["holder"]
                )
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return cleaned


@admin.register(Proxy)
class ProxyAdmin(admin.ModelAdmin):
    """A proxy is given (proxy_give, which tells the holder) and withdrawn, never edited."""

    form = ProxyAdminForm
    list_display = ["giver", "holder", "assembly", "created_at", "withdrawn_at"]
    list_filter = ["assembly", ("withdrawn_at", admin.EmptyFieldListFilter)]
    search_fields = [
        "giver__first_name",
        "giver__last_name",
        "giver__email",
        "holder__first_name",
        "holder__last_name",
        "holder__email",
    ]
    list_select_related = ["giver", "holder", "assembly__event"]
    autocomplete_fields = ["giver", "holder"]
    actions = ["withdraw"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["assembly", "giver", "holder", "created_at", "withdrawn_at"]
        return []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        data = form.cleaned_data
        form.instance = services.proxy_give(
            assembly=data["assembly"], giver=data["giver"], holder=data["holder"]
        )
        obj.pk = form.instance.pk

    @admin.action(description=_("Withdraw the chosen proxies"))
    def withdraw(self, request, queryset):
        _each(
            self,
            request,
            queryset.filter(withdrawn_at__isnull=True).select_related("assembly__event"),
            lambda proxy: services.proxy_withdraw(proxy=proxy),
            lambda n: ngettext("%(count)d proxy withdrawn.", "%(count)d proxies withdrawn.", n),
        )


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    """Checked in (attendance_check_in) or taken back (attendance_undo), never edited."""

    list_display = ["member", "assembly", "checked_in_at", "checked_in_by"]
    list_filter = ["assembly"]
    search_fields = ["member__first_name", "member__last_name", "member__email"]
    list_select_related = ["member", "checked_in_by", "assembly__event"]
    autocomplete_fields = ["member"]
    fields = ["assembly", "member"]

    def get_readonly_fields(self, request, obj=None):
        return ["assembly", "member"] if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        attendance = services.attendance_check_in(
            assembly=form.cleaned_data["assembly"],
            member=form.cleaned_data["member"],
            actor=request.user,
        )
        obj.pk = attendance.pk

    def delete_model(self, request, obj) -> None:
        services.attendance_undo(assembly=obj.assembly, member=obj.member)

    def delete_queryset(self, request, queryset) -> None:
        for row in queryset.select_related("assembly", "member"):
            services.attendance_undo(assembly=row.assembly, member=row.member)


class ElectionInlineForm(forms.ModelForm):
    """The name is the member's, as elected, when a member is chosen."""

    class Meta:
        model = Election
        fields = ["member", "name", "role", "term_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False

    def clean(self):
        cleaned = super().clean()
        member = cleaned.get("member")
        if not cleaned.get("name"):
            if member is None:
                raise ValidationError(_("Choose the member elected, or write the name of who was."))
            cleaned["name"] = member.get_full_name()
        return cleaned


class ElectionInline(admin.TabularInline):
    """Elections are added (election_record) and deleted (election_delete); a recorded
    one is not edited, and applied from the decision's action."""

    model = Election
    form = ElectionInlineForm
    extra = 0
    fields = ["member", "name", "role", "term_until", "applied_at"]
    readonly_fields = ["applied_at"]
    autocomplete_fields = ["member"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DecisionAdminForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = [
            "item",
            "motion",
            "outcome",
            "votes_for",
            "votes_against",
            "votes_blank",
            "text",
        ]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    form = DecisionAdminForm
    list_display = ["item", "outcome", "votes_for", "votes_against", "votes_blank", "recorded_at"]
    list_filter = ["outcome", "item__assembly"]
    search_fields = ["text", "item__title", "motion__title"]
    list_select_related = ["item"]
    inlines = [ElectionInline]
    actions = ["apply_elections"]

    def get_readonly_fields(self, request, obj=None):
        return ["item", "recorded_by", "recorded_at"] if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:
        data = {k: v for k, v in form.cleaned_data.items() if k != "item"}
        if change:
            services.decision_update(decision=obj, **data)
        else:
            decision = services.decision_record(
                item=form.cleaned_data["item"], actor=request.user, **data
            )
            obj.pk = decision.pk
            form.instance = decision

    def save_related(self, request, form, formsets, change) -> None:
        decision = form.instance
        for formset in formsets:
            # What the admin's change message lists.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for inline_form in formset.forms:
                data = getattr(inline_form, "cleaned_data", None) or {}
                election = inline_form.instance
                if data.get("DELETE") and election.pk:
                    formset.deleted_objects.append(election)
                    services.election_delete(election=election)
                elif not election.pk and data and inline_form.has_changed():
                    election = services.election_record(
                        decision=decision,
                        role=data["role"],
                        member=data.get("member"),
                        name=data.get("name", ""),
                        term_until=data.get("term_until"),
                    )
                    formset.new_objects.append(election)

    def delete_model(self, request, obj) -> None:
        services.decision_delete(decision=obj)

    def delete_queryset(self, request, queryset) -> None:
        for decision in queryset.select_related("item__assembly"):
            services.decision_delete(decision=decision)

    @admin.action(description=_("Apply the elections of the chosen decisions"))
    def apply_elections(self, request, queryset):
        elections = Election.objects.filter(
            decision__in=queryset, applied_at__isnull=True, member__isnull=False
        ).select_related("member", "decision__item__assembly")
        _each(
            self,
            request,
            elections,
            lambda election: services.election_apply(election=election),
            lambda n: ngettext("%(count)d election applied.", "%(count)d elections applied.", n),
        )


class MinutesVersionInline(admin.TabularInline):
    model = MinutesVersion
    extra = 0
    can_delete = False
    fields = ["created_at", "author", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    """The text is saved as a version (minutes_save) until the chair approves it; the
    actions write the draft, approve and publish, as the portal's page does."""

    list_display = ["assembly", "approved_at", "approved_by", "published_at", "updated_at"]
    list_filter = [
        ("approved_at", admin.EmptyFieldListFilter),
        ("published_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["text", "assembly__event__title"]
    list_select_related = ["assembly__event", "approved_by"]
    fields = ["assembly", "text", "approved_at", "approved_by", "published_at"]
    inlines = [MinutesVersionInline]
    actions = ["generate_draft", "approve", "publish"]

    def get_readonly_fields(self, request, obj=None):
        frozen = ["approved_at", "approved_by", "published_at"]
        if obj is None:
            return frozen
        if obj.is_frozen:
            return ["assembly", "text", *frozen]
        return ["assembly", *frozen]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change and obj.is_frozen:
            return
        assembly = obj.assembly if change else form.cleaned_data["assembly"]
        minutes = services.minutes_save(
            assembly=assembly, text=form.cleaned_data.get("text", ""), actor=request.user
        )
        obj.pk = minutes.pk

    def save_related(self, request, form, formsets, change) -> None:
        """The versions are read-only: nothing to save."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.action(description=_("Write a draft from the agenda, attendance and decisions"))
    def generate_draft(self, request, queryset):
        _each(
            self,
            request,
            queryset.select_related("assembly__event"),
            lambda m: services.minutes_draft_generate(assembly=m.assembly, actor=request.user),
            lambda n: ngettext("%(count)d draft written.", "%(count)d drafts written.", n),
        )

    @admin.action(description=_("Approve the chosen minutes (freezes them)"))
    def approve(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda m: services.minutes_approve(minutes=m, actor=request.user),
            lambda n: ngettext("%(count)d minutes approved.", "%(count)d minutes approved.", n),
        )

    @admin.action(description=_("Publish the chosen minutes to the members"))
    def publish(self, request, queryset):
        _each(
            self,
            request,
            queryset.select_related("assembly__event"),
            lambda m: services.minutes_publish(minutes=m),
            lambda n: ngettext("%(count)d minutes published.", "%(count)d minutes published.", n),
        )


@admin.register(Election)
class ElectionAdmin(LookUpOnlyAdmin):
    """Who was elected to what, every year, searchable; recorded with their decision."""

    list_display = ["name", "role", "term_until", "decision", "applied_at"]
    list_filter = ["role"]
    search_fields = ["name", "member__email", "decision__item__assembly__event__title"]
    list_select_related = ["decision__item"]


@admin.register(MinutesVersion)
class MinutesVersionAdmin(LookUpOnlyAdmin):
    """Every saved version of the assemblies' minutes, searchable; saved on the minutes
    page alone."""

    list_display = ["minutes", "author", "created_at"]
    search_fields = ["text", "author__email", "minutes__assembly__event__title"]
    list_select_related = ["minutes__assembly__event", "author"]
    date_hierarchy = "created_at"
    readonly_fields = ["minutes", "author", "created_at", "text"]
