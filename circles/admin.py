from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

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
            .annotate(_member_count=Count("memberships"))
        )

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
