from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    Comment,
    Contribution,
    FocusArea,
    FocusAreaRevision,
    GuidingQuestion,
    Page,
    StrategyPeriod,
)


class FocusAreaTagFilter(admin.SimpleListFilter):
    """Filter by tag; the tag choices are those of the focus areas plus tags in use."""

    title = _("tag")
    parameter_name = "tag"
    tag_path = "tags__slug"

    def lookups(self, request, model_admin):
        from taggit.models import Tag

        return [(tag.slug, tag.name) for tag in Tag.objects.order_by("name")[:200]]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.tag_path: self.value()}).distinct()
        return queryset


class ContributionFocusAreaFilter(admin.SimpleListFilter):
    title = _("focus area")
    parameter_name = "focus_area"

    def lookups(self, request, model_admin):
        return [(area.pk, str(area)) for area in FocusArea.objects.select_related("period")]

    def focus_area(self) -> FocusArea | None:
        value = self.value()
        if not value or not value.isdigit():
            return None
        return FocusArea.objects.filter(pk=int(value)).first()

    def queryset(self, request, queryset):
        area = self.focus_area()
        if area is not None:
            return queryset.in_focus_area(area)
        return queryset


class CommentFocusAreaFilter(ContributionFocusAreaFilter):
    def queryset(self, request, queryset):
        area = self.focus_area()
        if area is not None:
            return queryset.filter(
                contribution__in=Contribution.objects.in_focus_area(area).values("pk")
            )
        return queryset


class CommentTagFilter(FocusAreaTagFilter):
    tag_path = "contribution__tags__slug"


class HiddenFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "hidden"

    def lookups(self, request, model_admin):
        return [("shown", _("Shown")), ("hidden", _("Hidden"))]

    def queryset(self, request, queryset):
        if self.value() == "hidden":
            return queryset.filter(hidden_at__isnull=False)
        if self.value() == "shown":
            return queryset.filter(hidden_at__isnull=True)
        return queryset


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    fields = ["number", "title", "slug"]
    extra = 0
    show_change_link = True


@admin.register(StrategyPeriod)
class StrategyPeriodAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [FocusAreaInline]


class GuidingQuestionInline(admin.TabularInline):
    model = GuidingQuestion
    fields = ["text", "ordering", "removed_at"]
    extra = 1


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "period", "updated_at"]
    list_filter = ["period", FocusAreaTagFilter]
    search_fields = ["title", "summary", "body"]
    filter_horizontal = ["tags"]
    inlines = [GuidingQuestionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Admin edits are kept in the page's history like the board's own.
        services.focusarea_revision_record(
            focus_area=form.instance, author=request.user, note=str(_("Changed in the admin"))
        )


@admin.register(FocusAreaRevision)
class FocusAreaRevisionAdmin(admin.ModelAdmin):
    list_display = ["focus_area", "number", "author", "created_at", "note"]
    list_filter = ["focus_area"]
    readonly_fields = [
        "focus_area",
        "number",
        "snapshot",
        "author",
        "created_at",
        "note",
        "restored_from",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "status", "visibility", "published_at", "hidden_at"]
    list_filter = [
        ContributionFocusAreaFilter,
        FocusAreaTagFilter,
        "status",
        HiddenFilter,
        "visibility",
        ("author", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "body"]
    list_select_related = ["author"]
    raw_id_fields = ["author", "guiding_question", "hidden_by"]
    readonly_fields = ["created_at", "updated_at", "published_at"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contribution", "author", "created_at", "hidden_at"]
    list_filter = [
        CommentFocusAreaFilter,
        CommentTagFilter,
        HiddenFilter,
        ("author", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["body"]
    list_select_related = ["contribution", "author"]
    raw_id_fields = ["contribution", "author", "hidden_by"]
