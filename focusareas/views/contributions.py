"""Views of contributions and their comments: the list, writing, editing, deleting and hiding."""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required
from taggit.models import Tag

from core.inputs import parse_id, query_text
from core.keyset import NEXT, PREVIOUS, keyset_page
from core.markdown import render_markdown
from members.htmx import render_page_or_fragment

from .. import selectors, services
from ..forms import CommentForm, ContributionFilterForm, ContributionForm, HideForm
from ..models import Comment

CONTRIBUTIONS_PAGE_SIZE = 20
COUNT_CAP = 1000


@permission_required("focusareas.view_contribution", raise_exception=True)
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
    # Pages by key, newest first (drafts have no publication time: "mine" goes by
    # creation), and a count that stops at COUNT_CAP: no request counts every row.
    page = keyset_page(
        contributions,
        key="created_at" if mine else "published_at",
        kind=datetime,
        size=CONTRIBUTIONS_PAGE_SIZE,
        params=request.GET,
    )
    found = contributions.order_by().values("pk")[: COUNT_CAP + 1].count()
    query = request.GET.copy()
    for name in ("side", NEXT, PREVIOUS):
        query.pop(name, None)
    context = {
        "form": form,
        "page": page,
        "found": min(found, COUNT_CAP),
        "found_capped": found > COUNT_CAP,
        "query": query.urlencode(),
        "tag": tag,
        "mine": mine,
    }
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
        # A published contribution stays published when edited: taking it back to a
        # draft is its own, confirmed action (contribution_withdraw).
        "publish": "publish" in request.POST or bool(contribution and contribution.is_published),
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
def contribution_withdraw(request, contribution_id: int):
    contribution = _contribution_or_404(request, contribution_id)
    if not request.user.has_perm("focusareas.change_contribution", contribution):
        raise PermissionDenied
    if not contribution.is_published:
        messages.info(request, _("The contribution is a draft already."))
        return redirect(contribution)
    if request.method == "POST":
        services.contribution_withdraw(contribution=contribution)
        messages.success(request, _("Your contribution is a draft again: only you can see it."))
        return redirect(contribution)
    return render(request, "focusareas/contribution_withdraw.html", {"contribution": contribution})


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
