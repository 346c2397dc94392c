"""The pages that compose several apps: the landing page, the association's purpose,
members' directory and profiles with the members' circles, and the member's profile hub."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from circles import selectors as circle_selectors
from circles.forms import CircleDirectorySearchForm
from circles.models import CircleMembership
from core.fragments import cached_fragment, cached_fragments, fragments_enabled, render_each
from core.page_cache import public_page
from events.selectors import upcoming_for_member
from focusareas import selectors as focusarea_selectors
from focusareas.models import Followed
from members import selectors as member_selectors
from members import services as member_services
from members.forms import ProfileForm
from members.htmx import render_page_or_fragment
from members.permissions import is_active_member

DIRECTORY_PAGE_SIZE = 50
DIRECTORY_COUNT_CAP = 1000


@login_not_required
@public_page
def home(request):
    if request.user.is_authenticated and is_active_member(request.user):
        member = request.user
        followed = Followed.of(member)
        return render(
            request,
            "komdir/home_member.html",
            {
                "memberships": CircleMembership.objects.filter(member=member).select_related(
                    "circle"
                ),
                "next_events": upcoming_for_member(member=member),
                "followed_contributions": focusarea_selectors.newest_followed_by(
                    member=member, followed=followed
                ),
                "follows_anything": bool(followed),
            },
        )
    periods = focusarea_selectors.periods_with_focus_areas()
    return render(request, "komdir/home_public.html", {"period": periods[0] if periods else None})


@login_not_required
@public_page
def about(request):
    return render(
        request, "komdir/about.html", {"page": focusarea_selectors.page_by_slug(slug="om")}
    )


@permission_required("members.view_directory", raise_exception=True)
def member_directory(request):
    form = CircleDirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    circle = filters.get("circle")
    members = member_selectors.member_directory(
        query=filters.get("q", ""),
        municipality=filters.get("municipality"),
        circle_id=circle.pk if circle else None,
    )
    # The count stops past DIRECTORY_COUNT_CAP matches: no request counts every member,
    # and past twenty pages a search is better made narrower than paged through. It
    # tells the deputies apart, who are listed but not counted as members.
    counts = member_selectors.directory_counts(members, cap=DIRECTORY_COUNT_CAP)
    paginator = Paginator(members.values(*member_selectors.DIRECTORY_COLUMNS), DIRECTORY_PAGE_SIZE)
    paginator.count = min(counts.members + counts.deputies, DIRECTORY_COUNT_CAP)
    page = paginator.get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    context = {
        "form": form,
        "filter_fields": _filter_fields(request, form),
        "page": page,
        "member_count": counts.members,
        "deputy_count": counts.deputies,
        "count_capped": counts.capped,
        "rows": _directory_rows(list(page.object_list)),
        "query": query.urlencode(),
    }
    return render_page_or_fragment(
        request,
        page="members/member_list.html",
        fragment="members/_member_list.html",
        context=context,
    )


def _filter_fields(request, form) -> str:
    """The municipality and circle selects, whose ~100 options cost a template render each:
    cached by every option and what is chosen (errors included)."""

    def render() -> str:
        return render_to_string("members/_directory_filters.html", {"form": form}, request)

    if not fragments_enabled():
        return render()  # template output: already safe
    fields = [form[name] for name in ("municipality", "circle")]
    version = tuple(
        (
            str(field.value() or ""),
            tuple(str(error) for error in field.errors),
            tuple(field.field.queryset.values_list(field.field.to_field_name or "pk", "name")),
        )
        for field in fields
    )
    return cached_fragment("members:filters", version, render)


def _directory_rows(members: list[dict]) -> list:
    """One cached fragment per directory row, keyed by exactly the values it shows."""
    circles = circle_selectors.circle_names_by_member(member_ids=[row["id"] for row in members])
    # One reverse() for the page, not one per row: the detail URL is the prefix and the id.
    prefix = reverse("members:detail", args=[0]).removesuffix("0/")
    rows = [
        (
            row["id"],
            f"{prefix}{row['id']}/",
            member_selectors.directory_name(row),
            row["job_title"],
            row["municipality__name"] or "",
            ", ".join(circles.get(row["id"], ())),
            member_selectors.directory_deputy_label(row),
        )
        for row in members
    ]
    return cached_fragments(
        rows,
        name="members:row",
        version=lambda row: row,
        render=render_each("members/_member_row.html", as_name="row"),
    )


@permission_required("members.view_profile", raise_exception=True)
def member_profile(request, member_id: int):
    member = member_selectors.member_profile(member_id=member_id)
    if member is None:
        raise Http404
    prefetch_related_objects([member], circle_selectors.circle_memberships_with_circle())
    return render(request, "members/member_detail.html", {"member": member})


@require_http_methods(["GET", "POST"])
def profile_edit(request):
    """The member's profile hub: members' profile form, with the other apps' parts
    (events' meeting settings, focus areas' notifications) around it."""
    pending_change = member_selectors.municipality_change_pending(member=request.user)
    form = ProfileForm(request.POST or None, instance=request.user, pending_change=pending_change)
    if request.method == "POST" and form.is_valid():
        member_services.member_update_profile(member=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("members:profile")
    return render(request, "komdir/profile.html", {"form": form, "pending_change": pending_change})
