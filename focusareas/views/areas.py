"""Views of the focus areas: the list, a page, its editing and history, and following it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from core.inputs import parse_id
from core.markdown import render_markdown
from core.page_cache import public_page

from .. import selectors, services
from ..forms import FocusAreaForm, GuidingQuestionFormSet, StrategyPeriodForm
from ..models import FocusArea, FocusAreaFollow


@login_not_required
@public_page
def focusarea_list(request):
    periods = selectors.periods_with_focus_areas()
    return render(
        request,
        "focusareas/focusarea_list.html",
        {"current": periods[0] if periods else None, "archive": periods[1:]},
    )


@login_not_required
@public_page
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
