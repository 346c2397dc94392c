from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from members.models import counted_member_q

from . import services
from .models import Circle, CircleMembership


class MembershipInline(admin.TabularInline):
    model = CircleMembership
    extra = 0
    autocomplete_fields = ["member"]
    fields = ["member", "role", "joined_at"]
    readonly_fields = ["joined_at"]


@admin.register(Circle)
class CircleAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "member_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("region")
            .annotate(
                _member_count=Count("memberships", filter=counted_member_q("memberships__member__"))
            )
        )

    def save_formset(self, request, form, formset, change):
        # Memberships edited here keep each member's deputy in step, as the services do.
        super().save_formset(request, form, formset, change)
        touched = {
            obj.member for obj in formset.new_objects + [o for o, _ in formset.changed_objects]
        }
        touched |= {obj.member for obj in formset.deleted_objects}
        for member in touched:
            services.circle_memberships_mirror_deputy(member=member)

    @admin.display(description=_("Members"), ordering="_member_count")
    def member_count(self, circle):
        return circle._member_count


@admin.register(CircleMembership)
class CircleMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "circle", "role", "joined_at"]
    list_filter = ["role", "circle"]
    search_fields = ["member__email", "member__first_name", "member__last_name", "circle__name"]
    list_select_related = ["member", "circle"]
    autocomplete_fields = ["member", "circle"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.circle_memberships_mirror_deputy(member=obj.member)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.circle_memberships_mirror_deputy(member=obj.member)

    def delete_queryset(self, request, queryset):
        members = {membership.member for membership in queryset.select_related("member")}
        super().delete_queryset(request, queryset)
        for member in members:
            services.circle_memberships_mirror_deputy(member=member)
