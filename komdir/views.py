"""The pages that compose several apps: the landing page and the association's purpose."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from circles.models import CircleMembership
from core.page_cache import member_page, public_page
from events.selectors import upcoming_for_member
from focusareas import selectors as focusarea_selectors
from focusareas.models import FocusAreaFollow, TagFollow
from members.permissions import is_active_member


@login_not_required
@public_page
@member_page
def home(request):
    if request.user.is_authenticated and is_active_member(request.user):
        member = request.user
        return render(
            request,
            "komdir/home_member.html",
            {
                "memberships": CircleMembership.objects.filter(member=member).select_related(
                    "circle"
                ),
                "next_events": upcoming_for_member(member=member),
                "followed_contributions": focusarea_selectors.newest_followed_by(member=member),
                "follows_anything": FocusAreaFollow.objects.filter(member=member).exists()
                or TagFollow.objects.filter(member=member).exists(),
            },
        )
    periods = focusarea_selectors.periods_with_focus_areas()
    return render(request, "komdir/home_public.html", {"period": periods[0] if periods else None})


@login_not_required
@public_page
@member_page
def about(request):
    return render(
        request, "komdir/about.html", {"page": focusarea_selectors.page_by_slug(slug="om")}
    )
