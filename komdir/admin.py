"""The admin's cross-app inlines: a page of one app showing rows of an app above it.

Loaded after every app's admin (komdir is last in INSTALLED_APPS), so that the admins it
extends are registered already."""

from django.contrib import admin

from circles.models import CircleMembership
from members.admin import MemberAdmin
from members.models import Member


class CircleMembershipInline(admin.StackedInline):
    # Stacked, not tabular: a tabular inline's fields carry no label of their own.
    model = CircleMembership
    extra = 0
    autocomplete_fields = ["circle"]
    fields = ["circle", "role", "joined_at"]
    readonly_fields = ["joined_at"]


class MemberWithCirclesAdmin(MemberAdmin):
    """members' Member admin, with the member's circle memberships on the same page."""

    inlines = [*MemberAdmin.inlines, CircleMembershipInline]


admin.site.unregister(Member)
admin.site.register(Member, MemberWithCirclesAdmin)
