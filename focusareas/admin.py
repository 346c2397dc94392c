from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from core.admin import LookUpOnlyAdmin

from . import services
from .models import (
    Comment,
    Contribution,
    ContributionMailDelivery,
    DigestDelivery,
    FocusArea,
    FocusAreaFollow,
    FocusAreaRevision,
    GuidingQuestion,
    NotificationSetting,
    Page,
    StrategyPeriod,
    TagFollow,
)


class FocusAreaTagFilter(admin.SimpleListFilter):
    """Filter by tag; the tag choices are those of the focus areas plus tags in use."""

    title = _("tag")
    parameter_name = "tag"
    tag_path = "tags__slug"

    def lookups(self, request, model_admin):
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
    title = _("hidden by the board")
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
    search_fields = ["title", "body"]


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    fields = ["number", "title", "slug"]
    extra = 0
    show_change_link = True


@admin.register(StrategyPeriod)
class StrategyPeriodAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on"]
    search_fields = ["title", "introduction"]
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
    search_fields = ["focus_area__title", "note", "author__email", "author__last_name"]
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


class ModerationActionForm(helpers.ActionForm):
    """The admin's action bar, with the reason the author is told when content is hidden."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        help_text=_("The author is told this reason by mail."),
    )


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    """Contributions change through focusareas.services, as in the portal: publishing
    tells the followers, hiding tells the author why, and who hid it is the staff user."""

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
    raw_id_fields = ["author", "guiding_question"]
    # Hidden and published by the services alone: through the actions and the status.
    readonly_fields = [
        "created_at",
        "updated_at",
        "published_at",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
    ]
    action_form = ModerationActionForm
    actions = ["publish", "hide", "unhide"]

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        fields = {
            "title": data["title"],
            "body": data["body"],
            "tags": data.get("tags") or [],
            "visibility": data["visibility"],
            "circle": data.get("circle"),
            "guiding_question": data.get("guiding_question"),
            "publish": data["status"] == Contribution.Status.PUBLISHED,
        }
        if change:
            contribution = services.contribution_update(contribution=obj, **fields)
        else:
            contribution = services.contribution_create(author=data["author"], **fields)
        obj.pk = contribution.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def save_related(self, request, form, formsets, change) -> None:
        # Not form.save_m2m(): the services set the tags.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj) -> None:
        services.contribution_delete(contribution=obj)

    def delete_queryset(self, request, queryset) -> None:
        for contribution in queryset:
            services.contribution_delete(contribution=contribution)

    @admin.action(description=_("Publish"))
    def publish(self, request, queryset) -> None:
        drafts = queryset.filter(status=Contribution.Status.DRAFT)
        count = 0
        for contribution in drafts:
            services.contribution_publish(contribution=contribution)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d contribution has been published.",
                "%(count)d contributions have been published.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Hide"))
    def hide(self, request, queryset) -> None:
        reason = (request.POST.get("reason") or "").strip()[:2000]
        if not reason:
            self.message_user(
                request, _("Give the reason for hiding: the author is told it."), messages.ERROR
            )
            return
        count = 0
        for contribution in queryset.filter(hidden_at__isnull=True).select_related("author"):
            services.contribution_hide(
                contribution=contribution, hidden_by=request.user, reason=reason
            )
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d contribution is hidden and its author has been told.",
                "%(count)d contributions are hidden and their authors have been told.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Show again"))
    def unhide(self, request, queryset) -> None:
        count = 0
        for contribution in queryset.filter(hidden_at__isnull=False):
            services.contribution_unhide(contribution=contribution)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d contribution is shown again.",
                "%(count)d contributions are shown again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments change through focusareas.services: hiding records who and why, as
    the board's hiding in the portal does."""

    list_display = ["__str__", "contribution", "author", "created_at", "hidden_at"]
    list_filter = [
        CommentFocusAreaFilter,
        CommentTagFilter,
        HiddenFilter,
        ("author", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["body"]
    list_select_related = ["contribution", "author"]
    raw_id_fields = ["contribution", "author"]
    readonly_fields = ["created_at", "updated_at", "hidden_at", "hidden_by", "hidden_reason"]
    action_form = ModerationActionForm
    actions = ["hide", "unhide"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # comment_update changes the wording; a comment stays where and whose it is.
            return ["contribution", "author", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        if change:
            comment = services.comment_update(comment=obj, body=data["body"])
        else:
            comment = services.comment_create(
                contribution=data["contribution"], author=data["author"], body=data["body"]
            )
        obj.pk = comment.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def delete_model(self, request, obj) -> None:
        services.comment_delete(comment=obj)

    def delete_queryset(self, request, queryset) -> None:
        for comment in queryset:
            services.comment_delete(comment=comment)

    @admin.action(description=_("Hide"))
    def hide(self, request, queryset) -> None:
        reason = (request.POST.get("reason") or "").strip()[:2000]
        if not reason:
            self.message_user(
                request, _("Give the reason for hiding: the author is told it."), messages.ERROR
            )
            return
        for comment in queryset.filter(hidden_at__isnull=True):
            services.comment_hide(comment=comment, hidden_by=request.user, reason=reason)
        self.message_user(request, _("The comment is hidden."), messages.SUCCESS)

    @admin.action(description=_("Show again"))
    def unhide(self, request, queryset) -> None:
        for comment in queryset.filter(hidden_at__isnull=False):
            services.comment_unhide(comment=comment)
        self.message_user(request, _("The comment is shown again."), messages.SUCCESS)


@admin.register(GuidingQuestion)
class GuidingQuestionAdmin(LookUpOnlyAdmin):
    """Guiding questions change with their focus area's page (a revision each time)."""

    list_display = ["text", "focus_area", "ordering", "removed_at"]
    list_filter = ["focus_area__period", "focus_area"]
    search_fields = ["text", "focus_area__title"]
    list_select_related = ["focus_area"]


class FollowAdmin(admin.ModelAdmin):
    """Members follow and stop following on their own pages; staff may end a follow,
    through the same service."""

    list_select_related = ["member"]
    search_fields = ["member__email", "member__first_name", "member__last_name"]
    date_hierarchy = "created_at"
    actions = ["end_follows"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj) -> None:
        self.unfollow(obj)

    def delete_queryset(self, request, queryset) -> None:
        for follow in queryset:
            self.unfollow(follow)

    @admin.action(description=_("End the selected follows"), permissions=["delete"])
    def end_follows(self, request, queryset) -> None:
        count = len(queryset)
        self.delete_queryset(request, queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d follow has been ended.", "%(count)d follows have been ended.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(FocusAreaFollow)
class FocusAreaFollowAdmin(FollowAdmin):
    list_display = ["member", "focus_area", "created_at"]
    list_filter = ["focus_area"]
    list_select_related = ["member", "focus_area"]

    def unfollow(self, follow) -> None:
        services.focusarea_follow(member=follow.member, focus_area=follow.focus_area, follow=False)


@admin.register(TagFollow)
class TagFollowAdmin(FollowAdmin):
    list_display = ["member", "tag", "created_at"]
    list_filter = [("tag", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["member", "tag"]
    search_fields = [*FollowAdmin.search_fields, "tag__name"]

    def unfollow(self, follow) -> None:
        services.tag_follow(member=follow.member, tag=follow.tag, follow=False)


@admin.register(NotificationSetting)
class NotificationSettingAdmin(LookUpOnlyAdmin):
    """How each member hears of new contributions: their own choice, on their page."""

    list_display = ["member", "frequency"]
    list_filter = ["frequency"]
    search_fields = ["member__email", "member__first_name", "member__last_name"]
    list_select_related = ["member"]


@admin.register(ContributionMailDelivery)
class ContributionMailDeliveryAdmin(LookUpOnlyAdmin):
    """Which member was told of which new contribution, and when (sent once each)."""

    list_display = ["member", "contribution", "sent_at"]
    search_fields = ["member__email", "contribution__title"]
    list_select_related = ["member", "contribution"]
    date_hierarchy = "sent_at"


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(LookUpOnlyAdmin):
    """Which member got the weekly digest of which week (sent once each)."""

    list_display = ["member", "iso_year", "iso_week", "sent_at"]
    list_filter = ["iso_year"]
    search_fields = ["member__email"]
    list_select_related = ["member"]
    date_hierarchy = "sent_at"


class TagMergeForm(forms.Form):
    into_name = forms.CharField(
        label=_("Name of the merged tag"),
        max_length=100,
        help_text=_("An existing tag's name, or a new one."),
    )


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """taggit's tags, merged through the portal's service (taggit's own admin merges in
    its view, with English messages)."""

    list_display = ["name", "slug"]
    ordering = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_tags"]

    @admin.action(description=_("Merge selected tags"))
    def merge_tags(self, request, queryset):
        form = TagMergeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            target = services.tags_merge(
                tags=list(queryset), into_name=form.cleaned_data["into_name"]
            )
            self.message_user(
                request,
                _("The tags are merged into “%(tag)s”.") % {"tag": target.name},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/taggit/tag/merge_tags.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge tags"),
                "opts": self.model._meta,
                "tags": queryset.order_by("name"),
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
