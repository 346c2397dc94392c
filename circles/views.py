from django.http import Http404
from django.shortcuts import render
from rules.contrib.views import permission_required

from . import selectors
from .models import CircleMembership


@permission_required("circles.view_circle_pages", raise_exception=True)
def circle_list(request):
    return render(request, "circles/circle_list.html", {"circles": selectors.circle_list()})


@permission_required("circles.view_circle_pages", raise_exception=True)
def circle_detail(request, slug: str):
    circle = selectors.circle_detail(slug=slug)
    if circle is None:
        raise Http404
    memberships = circle.active_memberships
    return render(
        request,
        "circles/circle_detail.html",
        {
            "circle": circle,
            "leads": [m for m in memberships if m.role == CircleMembership.Role.LEAD],
            "members": [m for m in memberships if m.role == CircleMembership.Role.MEMBER],
        },
    )
