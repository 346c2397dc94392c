"""The general assembly in the admin: the assembly's settings, its agenda as an inline
(position, kind, title, description, documents of the event) and the notice and the
publication of motions as actions. Every save goes through assemblies.services with the
staff user as actor, as in the portal."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import LookUpOnlyAdmin
from documents.models import Document
from events.models import Event

from .. import services
from ..models import AgendaItem, Assembly, Candidacy, Motion

SETTINGS_FIELDS = ("notice_days", "motion_days", "quorum", "proxy_limit", "chair")


class AgendaItemInlineForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["position", "kind", "title", "description", "documents"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assembly = getattr(self, "parent_assembly", None)
        if "documents" in self.fields:
            self.fields["documents"].queryset = (
                Document.objects.filter(event_id=assembly.event_id)
                if assembly is not None and assembly.pk
                else Document.objects.none()
            )
        self.fields["position"].required = False


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    form = AgendaItemInlineForm
    extra = 0
    ordering = ["position", "pk"]
    filter_horizontal = []

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.parent_assembly = obj
        return formset


class MotionInline(admin.TabularInline):
    """The motions as submitted: read here, recommended on the portal's motions page."""

    model = Motion
    extra = 0
    can_delete = False
    fields = ["title", "proposer", "submitted_at", "withdrawn_at", "board_recommendation"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AssemblyAdminForm(forms.ModelForm):
    class Meta:
        model = Assembly
        fields = ["event", *SETTINGS_FIELDS]

    def clean_event(self):
        event = self.cleaned_data.get("event")
        if event is not None and event.kind != Event.Kind.GENERAL_ASSEMBLY:
            raise ValidationError(
                _("Only an event of the kind general assembly can have a general assembly.")
            )
        return event


@admin.register(Assembly)
class AssemblyAdmin(admin.ModelAdmin):
    form = AssemblyAdminForm
    list_display = ["event", "starts", "notice_sent_at", "motions_published_at"]
    list_select_related = ["event"]
    search_fields = ["event__title"]
    autocomplete_fields = ["event", "chair"]
    readonly_fields = ["notice_sent_at", "motions_published_at", "created_at", "updated_at"]
    inlines = [AgendaItemInline, MotionInline]
    actions = ["send_notice", "publish_motions"]

    @admin.display(description=_("starts"), ordering="event__starts_at")
    def starts(self, assembly: Assembly):
        return assembly.event.starts_at

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["event", *self.readonly_fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the assembly goes with its event (events.services.event_delete)

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        if not change:
            assembly = services.assembly_create(
                actor=request.user,
                event=data["event"],
                **{f: data[f] for f in SETTINGS_FIELDS if f != "chair" and f in data},
            )
            changes = {"chair": data["chair"]} if data.get("chair") else {}
        else:
            assembly = obj
            changes = {f: data[f] for f in form.changed_data if f in SETTINGS_FIELDS}
        if changes:
            assembly = services.assembly_update(actor=request.user, assembly=assembly, **changes)
        obj.pk = assembly.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def save_related(self, request, form, formsets, change) -> None:
        # Not form.save_m2m(): the assembly has no many-to-many of its own.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change) -> None:
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not AgendaItem:
            return  # motions are the members' and read-only here
        assembly = form.instance
        order = []
        for item_form in formset.forms:
            if not hasattr(item_form, "cleaned_data") or not item_form.cleaned_data:
                continue
            data = item_form.cleaned_data
            item = item_form.instance
            if data.get("DELETE"):
                if item.pk:
                    services.agenda_item_delete(actor=request.user, item=item)
                    formset.deleted_objects.append(item)
                continue
            fields = {
                "title": data["title"],
                "kind": data["kind"],
                "description": data.get("description", ""),
                "documents": data.get("documents") or [],
            }
            if item.pk is None:
                item = services.agenda_item_add(actor=request.user, assembly=assembly, **fields)
                formset.new_objects.append(item)
            elif item_form.has_changed():
                item = services.agenda_item_update(actor=request.user, item=item, **fields)
                formset.changed_objects.append((item, item_form.changed_data))
            position = data.get("position")
            order.append((position if position is not None else 10_000, len(order), item.pk))
        services.agenda_reorder(
            actor=request.user, assembly=assembly, order=[pk for *_, pk in sorted(order)]
        )

    @admin.action(description=_("Send the notice to every member"))
    def send_notice(self, request, queryset) -> None:
        for assembly in queryset.select_related("event"):
            try:
                services.assembly_notice_send(actor=request.user, assembly=assembly)
            except ValidationError as error:
                self.message_user(request, f"{assembly}: {error.messages[0]}", messages.ERROR)
            else:
                self.message_user(request, _("The notice is in the outbox: %s") % assembly)

    @admin.action(description=_("Publish the motions and tell the members"))
    def publish_motions(self, request, queryset) -> None:
        for assembly in queryset.select_related("event"):
            try:
                services.assembly_motions_publish(actor=request.user, assembly=assembly)
            except ValidationError as error:
                self.message_user(request, f"{assembly}: {error.messages[0]}", messages.ERROR)
            else:
                self.message_user(request, _("The motions are published: %s") % assembly)


@admin.register(Candidacy)
class CandidacyAdmin(admin.ModelAdmin):
    """Candidacies, read-only: members announce and withdraw them on the portal."""

    list_display = ["member", "item", "created_at", "withdrawn_at"]
    list_select_related = ["member", "item__assembly__event"]
    search_fields = ["member__email", "member__first_name", "member__last_name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AgendaItem)
class AgendaItemAdmin(LookUpOnlyAdmin):
    """Every agenda item of every assembly, to look up; edited in its assembly's page
    (and on the agenda in the portal), through the services."""

    list_display = ["__str__", "assembly", "kind"]
    list_filter = ["kind"]
    search_fields = ["title", "description", "assembly__event__title"]
    list_select_related = ["assembly__event"]


@admin.register(Motion)
class MotionAdmin(LookUpOnlyAdmin):
    """Every motion of every year, searchable; the board's recommendation and the
    publication go through the assembly's page and the motions page."""

    list_display = ["title", "assembly", "proposer", "submitted_at", "withdrawn_at"]
    list_filter = [("withdrawn_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "text", "reasoning", "proposer__email", "assembly__event__title"]
    list_select_related = ["assembly__event", "proposer"]
    date_hierarchy = "submitted_at"
