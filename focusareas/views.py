from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from circles.models import CircleMembership


@login_not_required
def home(request):
    if request.user.is_authenticated:
        from events.selectors import upcoming_for_member

        memberships = CircleMembership.objects.filter(member=request.user).select_related("circle")
        return render(
            request,
            "focusareas/home_member.html",
            {
                "memberships": memberships,
                "next_events": upcoming_for_member(member=request.user),
            },
        )
    return render(request, "focusareas/home_public.html")


@login_not_required
def about(request):
    return render(request, "focusareas/about.html")
