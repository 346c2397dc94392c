from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required
from taggit.models import Tag

from core.inputs import parse_id, query_text
from core.page_cache import member_page, public_page
from members.htmx import render_page_or_fragment

from . import selectors, services
from .forms import (
    CommentForm,
    ContributionFilterForm,
    ContributionForm,
    FocusAreaForm,
    GuidingQuestionFormSet,
    HideForm,
    NotificationSettingsForm,
    StrategyPeriodForm,
)
from .markdown import render_markdown
from .models import Comment, FocusArea, FocusAreaFollow, TagFollow

CONTRIBUTIONS_PAGE_SIZE = 20


# Focus areas -----------------------------------------------------------------------------


@login_not_required
@public_page
@member_page
def focusarea_list(request):
    periods = selectors.periods_with_focus_areas()
    return render(
        request,
        "focusareas/focusarea_list.html",
        {"current": periods[0] if periods else None, "archive": periods[1:]},
    )


@login_not_required
@public_page
@member_page
def focusarea_detail(request, slug: str):
    focus_area = selectors.focusarea_detail(slug=slug)
    if focus_area is None:
        raise Http404
    context = {"focus_area": focus_area}
    user = request.user
    if user.is_authenticated and user.has_perm("focusareas.view_contribution"):
        questions, latest = selectors.focusarea_contributions(focus_area=focus_area, user=user)
        context.update(
            questions_with_contributions=questions,
            latest_contributions=latest,
            is_following=FocusAreaFollow.objects.filter(
                member=user, focus_area=focus_area
            ).exists(),
            show_contributions=True,
        )
    return render(request, "focusareas/focusarea_detail.html", context)


@permission_required("focusareas.change_focusarea", raise_exception=True)
@require_http_methods(["GET", "POST"])
def strategy_period_create(request):
    form = StrategyPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.strategy_period_open(
            author=request.user,
            title=data["title"],
            slug=data["slug"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            introduction=data["introduction"],
            focus_area_titles=data["focus_areas"],
        )
        messages.success(
            request,
            _("The new period is open. Write the text and guiding questions of each focus area."),
        )
        return redirect("focusareas:list")
    return render(request, "focusareas/strategyperiod_form.html", {"form": form})


@permission_required("focusareas.change_focusarea", raise_exception=True)
@require_http_methods(["GET", "POST"])
def focusarea_edit(request, slug: str):
    focus_area = get_object_or_404(FocusArea.objects.select_related("period"), slug=slug)
    questions = focus_area.questions.current().order_by("ordering", "pk")
    form = FocusAreaForm(request.POST or None, instance=focus_area)
    formset = GuidingQuestionFormSet(
        request.POST or None,
        prefix="questions",
        initial=[{"id": q.pk, "text": q.text} for q in questions],
    )
    preview = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            preview = {
                "title": data["title"],
                "summary": data["summary"],
                "body": render_markdown(data["body"]),
                "questions": [text for _id, text in formset.ordered_questions()],
                "tags": data["tags"],
            }
        else:
            services.focusarea_update(
                focus_area=focus_area,
                author=request.user,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                questions=[
                    services.QuestionInput(id=question_id, text=text)
                    for question_id, text in formset.ordered_questions()
                ],
                tags=data["tags"],
                note=data["note"],
            )
            messages.success(request, _("The focus area has been saved."))
            return redirect(focus_area)
    # The form edits the instance in place while validating; the heading keeps the saved title.
    focus_area.refresh_from_db(fields=["title"])
    return render(
        request,
        "focusareas/focusarea_form.html",
        {"focus_area": focus_area, "form": form, "formset": formset, "preview": preview},
    )


REVISION_FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "summary": gettext_lazy("Summary"),
    "body": gettext_lazy("Text"),
    "questions": gettext_lazy("Guiding questions"),
    "tags": gettext_lazy("Tags"),
}


@permission_required("focusareas.change_focusarea", raise_exception=True)
def focusarea_history(request, slug: str):
    focus_area = get_object_or_404(FocusArea, slug=slug)
    revisions = selectors.revisions_of(focus_area=focus_area)
    by_number = {revision.number: revision for revision in revisions}
    newer = by_number.get(parse_id(request.GET.get("til")))
    older = by_number.get(parse_id(request.GET.get("fra")))
    if newer is None and revisions:
        newer = revisions[0]
    if older is None and newer is not None:
        older = by_number.get(newer.number - 1)
    diff = None
    if older is not None and newer is not None:
        diff = selectors.revision_diff(older=older, newer=newer, labels=REVISION_FIELD_LABELS)
    return render(
        request,
        "focusareas/focusarea_history.html",
        {
            "focus_area": focus_area,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "diff": diff,
        },
    )


@permission_required("focusareas.change_focusarea", raise_exception=True)
@require_POST
def focusarea_restore(request, slug: str, number: int):
    focus_area = get_object_or_404(FocusArea, slug=slug)
    revision = get_object_or_404(focus_area.revisions, number=number)
    services.focusarea_restore_revision(
        focus_area=focus_area, revision=revision, author=request.user
    )
    messages.success(
        request,
        _("Revision %(number)s has been restored as a new revision.") % {"number": number},
    )
    return redirect("focusareas:history", slug=focus_area.slug)


@permission_required("focusareas.follow", raise_exception=True)
@require_POST
def focusarea_follow(request, slug: str):
    focus_area = get_object_or_404(FocusArea, slug=slug)
    follow = request.POST.get("follow") == "1"
    services.focusarea_follow(member=request.user, focus_area=focus_area, follow=follow)
    if follow:
        messages.success(request, _("You now follow this focus area."))
    else:
        messages.success(request, _("You no longer follow this focus area."))
    return redirect(focus_area)


# Contributions ---------------------------------------------------------------------------


@permission_required("focusareas.view_contribution", raise_exception=True)
@member_page
def contribution_list(request):
    form = ContributionFilterForm(request.GET or None)
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    tag = None
    if filters.get("tag"):
        tag = Tag.objects.filter(slug=filters["tag"]).first()
    mine = request.GET.get("mine") == "1"
    contributions = selectors.contributions_for_list(
        user=request.user,
        query=filters.get("q", ""),
        focus_area=filters.get("focus_area"),
        tag=tag,
        circle=filters.get("circle"),
        author=filters.get("author"),
        period=filters.get("period"),
        mine=mine,
    )
    page = Paginator(contributions, CONTRIBUTIONS_PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "tag": tag, "mine": mine}
    return render_page_or_fragment(
        request,
        page="focusareas/contribution_list.html",
        fragment="focusareas/_contribution_list.html",
        context=context,
    )


def _contribution_or_404(request, contribution_id: int):
    contribution = selectors.contribution_for_user(
        user=request.user, contribution_id=contribution_id
    )
    if contribution is None:
        raise Http404
    return contribution


def _contribution_form_save(request, form, contribution=None):
    data = form.cleaned_data
    fields = {
        "title": data["title"],
        "body": data["body"],
        "tags": data["tags"],
        "visibility": data["visibility"],
        "circle": data.get("circle"),
        "guiding_question": data["guiding_question"],
        "publish": "publish" in request.POST,
    }
    if contribution is None:
        return services.contribution_create(
            author=request.user, submission_token=data.get("submission", ""), **fields
        )
    return services.contribution_update(contribution=contribution, **fields)


@permission_required("focusareas.add_contribution", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contribution_create(request):
    initial = {}
    question_id = parse_id(request.GET.get("spoergsmaal"))
    if question_id:
        initial["guiding_question"] = question_id
    form = ContributionForm(request.POST or None, author=request.user, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            contribution = _contribution_form_save(request, form)
            if contribution.is_published:
                messages.success(request, _("Your contribution has been published."))
            else:
                messages.success(request, _("Your draft has been saved."))
            return redirect(contribution)
    return render(
        request,
        "focusareas/contribution_form.html",
        {"form": form, "preview": preview, **_suggestions()},
    )


def _suggestions(query: str = "") -> dict:
    areas, free = selectors.tag_suggestions(query=query)
    return {"suggested_areas": areas, "suggested_tags": free, "suggestion_query": query}


@permission_required("focusareas.add_contribution", raise_exception=True)
def tag_suggestions(request):
    query = query_text(request.GET, "tags").split(",")[-1].strip()[:100]
    return render(request, "focusareas/_tag_suggestions.html", _suggestions(query))


@permission_required("focusareas.view_contribution", raise_exception=True)
@member_page
def contribution_detail(request, contribution_id: int):
    contribution = _contribution_or_404(request, contribution_id)
    return render(
        request,
        "focusareas/contribution_detail.html",
        {
            "contribution": contribution,
            "comments": selectors.contribution_comments(
                contribution=contribution, user=request.user
            ),
            "focus_areas": selectors.contribution_focus_areas(contribution=contribution),
            "comment_form": CommentForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def contribution_edit(request, contribution_id: int):
    contribution = _contribution_or_404(request, contribution_id)
    if not request.user.has_perm("focusareas.change_contribution", contribution):
        raise PermissionDenied
    form = ContributionForm(request.POST or None, author=request.user, contribution=contribution)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            contribution = _contribution_form_save(request, form, contribution)
            messages.success(request, _("Your contribution has been saved."))
            return redirect(contribution)
    return render(
        request,
        "focusareas/contribution_form.html",
        {"form": form, "contribution": contribution, "preview": preview, **_suggestions()},
    )


@require_http_methods(["GET", "POST"])
def contribution_delete(request, contribution_id: int):
    contribution = _contribution_or_404(request, contribution_id)
    if not request.user.has_perm("focusareas.delete_contribution", contribution):
        raise PermissionDenied
    if request.method == "POST":
        services.contribution_delete(contribution=contribution)
        messages.success(request, _("Your contribution has been deleted."))
        return redirect("focusareas:contribution_list")
    return render(
        request, "focusareas/contribution_confirm_delete.html", {"contribution": contribution}
    )


@require_http_methods(["GET", "POST"])
def contribution_hide(request, contribution_id: int):
    contribution = _contribution_or_404(request, contribution_id)
    if not request.user.has_perm("focusareas.hide_contribution", contribution):
        raise PermissionDenied
    if request.method == "POST" and "unhide" in request.POST:
        services.contribution_unhide(contribution=contribution)
        messages.success(request, _("The contribution is shown again."))
        return redirect(contribution)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contribution_hide(
            contribution=contribution, hidden_by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The contribution is hidden and the author has been told."))
        return redirect(contribution)
    return render(
        request, "focusareas/contribution_hide.html", {"contribution": contribution, "form": form}
    )


# Comments --------------------------------------------------------------------------------


@permission_required("focusareas.add_comment", raise_exception=True)
@require_POST
def comment_create(request, contribution_id: int):
    contribution = _contribution_or_404(request, contribution_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_create(
            contribution=contribution, author=request.user, body=form.cleaned_data["body"]
        )
        messages.success(request, _("Your comment has been added."))
        return redirect(contribution.get_absolute_url() + "#kommentarer")
    return render(
        request,
        "focusareas/contribution_detail.html",
        {
            "contribution": contribution,
            "comments": selectors.contribution_comments(
                contribution=contribution, user=request.user
            ),
            "focus_areas": selectors.contribution_focus_areas(contribution=contribution),
            "comment_form": form,
        },
        status=400,
    )


def _comment_or_404(request, comment_id: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("contribution"), pk=comment_id)
    _contribution_or_404(request, comment.contribution_id)
    return comment


@require_http_methods(["GET", "POST"])
def comment_edit(request, comment_id: int):
    comment = _comment_or_404(request, comment_id)
    if not request.user.has_perm("focusareas.change_comment", comment):
        raise PermissionDenied
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        services.comment_update(comment=comment, body=form.cleaned_data["body"])
        messages.success(request, _("Your comment has been saved."))
        return redirect(comment.contribution.get_absolute_url() + "#kommentarer")
    return render(request, "focusareas/comment_form.html", {"comment": comment, "form": form})


@require_POST
def comment_delete(request, comment_id: int):
    comment = _comment_or_404(request, comment_id)
    if not request.user.has_perm("focusareas.delete_comment", comment):
        raise PermissionDenied
    services.comment_delete(comment=comment)
    messages.success(request, _("Your comment has been deleted."))
    return redirect(comment.contribution.get_absolute_url() + "#kommentarer")


@require_http_methods(["GET", "POST"])
def comment_hide(request, comment_id: int):
    comment = _comment_or_404(request, comment_id)
    if not request.user.has_perm("focusareas.hide_comment", comment):
        raise PermissionDenied
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.comment_hide(
            comment=comment, hidden_by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The comment is hidden."))
        return redirect(comment.contribution.get_absolute_url() + "#kommentarer")
    return render(request, "focusareas/comment_hide.html", {"comment": comment, "form": form})


# Tags and following ----------------------------------------------------------------------


@permission_required("focusareas.view_contribution", raise_exception=True)
@member_page
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
