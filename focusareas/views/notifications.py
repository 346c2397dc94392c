"""The view of a member's notification choices."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from .. import selectors, services
from ..forms import NotificationSettingsForm


@permission_required("focusareas.follow", raise_exception=True)
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    offered = selectors.current_focus_areas()
    follows = selectors.member_follows(member=request.user)
    form = NotificationSettingsForm(
        request.POST or None,
        offered=offered,
        initial={
            "frequency": follows["frequency"],
            "focus_areas": [a.pk for a in offered if a.pk in follows["focus_area_ids"]],
        },
    )
    if request.method == "POST" and form.is_valid():
        services.notification_settings_update(
            member=request.user,
            frequency=form.cleaned_data["frequency"],
            focus_areas=list(form.cleaned_data["focus_areas"]),
            offered_focus_areas=offered,
        )
        messages.success(request, _("Your notification choices have been saved."))
        return redirect("focusareas:notifications")
    return render(
        request,
        "focusareas/notification_settings.html",
        {"form": form, "followed_tags": follows["tags"]},
    )
