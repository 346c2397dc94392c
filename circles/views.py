from django.http import Http404
from django.shortcuts import render
from rules.contrib.views import permission_required

from . import selectors


@permission_required("circles.view_circle_pages", raise_exception=True)
def circle_list(request):
    return render(request, "circles/circle_list.html", {"circles": selectors.circle_list()})


@permission_required("circles.view_circle_pages", raise_exception=True)
def circle_detail(request, slug: str):
    circle = selectors.circle_detail(slug=slug)
    if circle is None:
        raise Http404
    members, more = selectors.circle_members_first(circle=circle)
    return render(
        request,
        "circles/circle_detail.html",
        {"circle": circle, "leads": circle.active_leads, "members": members, "more": more},
    )
