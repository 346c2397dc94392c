"""Views of a tag: its page and following it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required
from taggit.models import Tag

from .. import selectors, services
from ..models import TagFollow
from .contributions import CONTRIBUTIONS_PAGE_SIZE


@permission_required("focusareas.view_contribution", raise_exception=True)
def tag_detail(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    overview = selectors.tag_overview(tag=tag, user=request.user)
    page = Paginator(overview["contributions"], CONTRIBUTIONS_PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    return render(
        request,
        "focusareas/tag_detail.html",
        {
            "tag": tag,
            "focus_areas": overview["focus_areas"],
            "page": page,
            "is_following": TagFollow.objects.filter(member=request.user, tag=tag).exists(),
        },
    )


@permission_required("focusareas.follow", raise_exception=True)
@require_POST
def tag_follow(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    follow = request.POST.get("follow") == "1"
    services.tag_follow(member=request.user, tag=tag, follow=follow)
    if follow:
        messages.success(request, _("You now follow this tag."))
    else:
        messages.success(request, _("You no longer follow this tag."))
    if request.POST.get("next") == "notifications":
        return redirect("focusareas:notifications")
    return redirect("focusareas:tag_detail", slug=tag.slug)
