"""The preparation's pages: the archive, the agenda and its editing, the notice, the
motions and the candidacies. Members only (visitors get the login page); an assembly
the user may not see, or a page they may not use, is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..forms_preparation import (
    AgendaActionForm,
    AgendaItemForm,
    CandidacyForm,
    CandidacyWithdrawForm,
    MotionActionForm,
    MotionForm,
    NoticeForm,
    RecommendationForm,
)
from ..models import AgendaItem, Assembly, Candidacy

PREPARE = services.PREPARE


def _assembly_or_404(request, event_id: int, permission: str = "assemblies.view_assembly"):
    assembly = selectors.assembly_for(user=request.user, event_id=event_id, permission=permission)
    if assembly is None:
        raise Http404
    return assembly


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _minutes_url(event_id: int) -> str:
    """Part of the day's pages, where they exist."""
    try:
        return reverse("assemblies:minutes", args=[event_id])
    except Exception:
        return f"/arrangementer/{event_id}/referat/"


# --- The archive -----------------------------------------------------------------------


def assembly_index(request):
    """The next general assembly's agenda, or the latest one's; the archive if none."""
    if not request.user.has_perm("assemblies.view_assembly"):
        raise Http404
    assembly = selectors.assembly_current(user=request.user)
    if assembly is None:
        return redirect("assemblies:archive")
    return redirect("assemblies:agenda", assembly.event_id)


def assembly_archive(request):
    if not request.user.has_perm("assemblies.view_assembly"):
        raise Http404
    years = selectors.assemblies_by_year(user=request.user)
    for year in years:
        for assembly in year.assemblies:
            assembly.minutes_url = _minutes_url(assembly.event_id)
    return render(request, "assemblies/preparation/archive.html", {"years": years})


# --- The agenda ------------------------------------------------------------------------


def _agenda_context(request, assembly: Assembly) -> dict:
    user = request.user
    return {
        "assembly": assembly,
        "event": assembly.event,
        "items": selectors.agenda_of(assembly=assembly),
        "can_prepare": user.has_perm(PREPARE),
        "can_stand": user.has_perm("assemblies.stand_for_election")
        and not assembly.event.has_started
        and not assembly.event.is_cancelled,
        "can_submit": user.has_perm("assemblies.submit_motion") and services.motions_open(assembly),
        "motions_open": services.motions_open(assembly),
        "notice_late": assembly.notice_sent_at is None and services.notice_is_late(assembly),
        "minutes_url": _minutes_url(assembly.event_id),
    }


def assembly_agenda(request, event_id: int):
    assembly = _assembly_or_404(request, event_id)
    return render(request, "assemblies/preparation/agenda.html", _agenda_context(request, assembly))


@require_http_methods(["GET", "POST"])
def assembly_agenda_edit(request, event_id: int):
    """The board's agenda: add an item, move one up or down, delete one."""
    assembly = _assembly_or_404(request, event_id, PREPARE)
    form = AgendaItemForm(prefix="ny")
    if request.method == "POST":
        if "action" in request.POST:
            action = AgendaActionForm(request.POST)
            item = None
            if action.is_valid():
                item = assembly.items.filter(pk=action.cleaned_data["item"]).first()
            if item is None:
                messages.error(request, _("That agenda item does not exist."))
                return redirect("assemblies:agenda_edit", event_id)
            if action.cleaned_data["action"] == "delete":
                services.agenda_item_delete(actor=request.user, item=item)
                messages.success(request, _("The item has been deleted."))
            else:
                up = action.cleaned_data["action"] == "up"
                services.agenda_item_move(actor=request.user, item=item, up=up)
                messages.success(request, _("The item has been moved."))
            return redirect(
                reverse("assemblies:agenda_edit", args=[event_id]) + f"#punkt-{item.pk}"
            )
        form = AgendaItemForm(request.POST, prefix="ny")
        if form.is_valid():
            try:
                services.agenda_item_add(
                    actor=request.user,
                    assembly=assembly,
                    title=form.cleaned_data["title"],
                    kind=form.cleaned_data["kind"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The item has been added to the agenda."))
                return redirect("assemblies:agenda_edit", event_id)
    context = {
        "assembly": assembly,
        "event": assembly.event,
        "items": list(assembly.items.order_by("position", "pk")),
        "form": form,
    }
    return render(request, "assemblies/preparation/agenda_edit.html", context)


@require_http_methods(["GET", "POST"])
def agenda_item_edit(request, event_id: int, item_id: int):
    assembly = _assembly_or_404(request, event_id, PREPARE)
    item = assembly.items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    documents = selectors.event_documents_for_agenda(assembly=assembly)
    initial = {
        "title": item.title,
        "kind": item.kind,
        "description": item.description,
        "documents": list(item.documents.all()),
    }
    form = AgendaItemForm(request.POST or None, initial=initial, documents=documents)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(
                actor=request.user,
                item=item,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                documents=form.cleaned_data.get("documents", []),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The item has been saved."))
            return redirect("assemblies:agenda_edit", event_id)
    context = {"assembly": assembly, "event": assembly.event, "item": item, "form": form}
    return render(request, "assemblies/preparation/item_form.html", context)


# --- The notice ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def assembly_notice(request, event_id: int):
    """Send the notice; late (past notice_due) or a second time, only once confirmed."""
    assembly = _assembly_or_404(request, event_id, PREPARE)
    late = services.notice_is_late(assembly)
    again = assembly.notice_sent_at is not None
    form = NoticeForm(
        request.POST if request.method == "POST" else None, needs_confirmation=late or again
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assembly_notice_send(actor=request.user, assembly=assembly)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The notice is on its way to every member."))
            return redirect("assemblies:agenda", event_id)
    context = {
        "assembly": assembly,
        "event": assembly.event,
        "form": form,
        "late": late,
        "again": again,
        "items": list(assembly.items.order_by("position", "pk")),
    }
    return render(request, "assemblies/preparation/notice.html", context)


# --- Motions ---------------------------------------------------------------------------


def _motions_action(request, assembly: Assembly):
    """The POSTs of the motions page; returns where to go next."""
    back = reverse("assemblies:motions", args=[assembly.event_id])
    action = MotionActionForm(request.POST)
    if not action.is_valid():
        messages.error(request, _("That could not be done."))
        return redirect(back)
    kind = action.cleaned_data["action"]
    try:
        if kind == "publish":
            if not request.user.has_perm(PREPARE):
                raise Http404
            services.assembly_motions_publish(actor=request.user, assembly=assembly)
            messages.success(request, _("The motions are published and the members told."))
            return redirect(back)
        motion = assembly.motions.filter(pk=action.cleaned_data.get("motion") or 0).first()
        if motion is None:
            raise Http404
        if kind == "withdraw":
            if not request.user.has_perm("assemblies.withdraw_motion", motion):
                raise Http404
            services.motion_withdraw(actor=request.user, motion=motion)
            messages.success(request, _("Your motion has been withdrawn."))
        else:
            if not request.user.has_perm(PREPARE):
                raise Http404
            form = RecommendationForm(request.POST, prefix=f"forslag-{motion.pk}")
            if not form.is_valid():
                messages.error(request, next(iter(form.errors.values()))[0])
                return redirect(back + f"#forslag-{motion.pk}")
            services.motion_recommend(
                actor=request.user,
                motion=motion,
                recommendation=form.cleaned_data["recommendation"],
            )
            messages.success(request, _("The board's recommendation has been saved."))
        return redirect(back + f"#forslag-{motion.pk}")
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(back)


@require_http_methods(["GET", "POST"])
def assembly_motions(request, event_id: int):
    """The motions: the proposer's own, all for the board (with a recommendation form
    each), and once published everyone's."""
    assembly = _assembly_or_404(request, event_id)
    if request.method == "POST":
        return _motions_action(request, assembly)
    can_prepare = request.user.has_perm(PREPARE)
    motions = selectors.motions_for(user=request.user, assembly=assembly)
    if can_prepare:
        for motion in motions:
            motion.form = RecommendationForm(
                prefix=f"forslag-{motion.pk}",
                initial={"recommendation": motion.board_recommendation},
            )
    context = {
        "assembly": assembly,
        "event": assembly.event,
        "motions": motions,
        "can_prepare": can_prepare,
        "motions_open": services.motions_open(assembly),
        "can_submit": request.user.has_perm("assemblies.submit_motion")
        and services.motions_open(assembly),
        "now": timezone.now(),
    }
    return render(request, "assemblies/preparation/motions.html", context)


@require_http_methods(["GET", "POST"])
def motion_create(request, event_id: int):
    assembly = _assembly_or_404(request, event_id, "assemblies.submit_motion")
    form = MotionForm(request.POST or None)
    is_open = services.motions_open(assembly)
    if request.method == "POST" and form.is_valid():
        try:
            services.motion_submit(
                actor=request.user,
                assembly=assembly,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                reasoning=form.cleaned_data["reasoning"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your motion has been received."))
            return redirect("assemblies:motions", event_id)
    context = {"assembly": assembly, "event": assembly.event, "form": form, "is_open": is_open}
    return render(request, "assemblies/preparation/motion_form.html", context)


# --- Candidacies -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def assembly_candidacy(request, event_id: int):
    """Stand for the board or as auditor (a statement with it); withdraw."""
    assembly = _assembly_or_404(request, event_id, "assemblies.stand_for_election")
    elections = assembly.items.filter(kind__in=AgendaItem.ELECTIONS).order_by("position")
    initial = {}
    chosen = request.GET.get("punkt")
    if chosen and chosen.isdigit():
        initial["item"] = chosen
    form = CandidacyForm(
        request.POST if "statement" in request.POST else None,
        elections=elections,
        initial=initial,
    )
    back = reverse("assemblies:candidacy", args=[event_id])
    if request.method == "POST":
        if "candidacy" in request.POST:
            withdraw = CandidacyWithdrawForm(request.POST)
            candidacy = None
            if withdraw.is_valid():
                candidacy = (
                    Candidacy.objects.filter(
                        pk=withdraw.cleaned_data["candidacy"],
                        item__assembly=assembly,
                        member=request.user,
                    )
                    .select_related("item__assembly__event")
                    .first()
                )
            if candidacy is None:
                raise Http404
            try:
                services.candidacy_withdraw(actor=request.user, candidacy=candidacy)
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("Your candidacy has been withdrawn."))
            return redirect(back)
        if form.is_valid():
            try:
                services.candidacy_announce(
                    actor=request.user,
                    item=form.cleaned_data["item"],
                    statement=form.cleaned_data["statement"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your candidacy has been announced."))
                return redirect("assemblies:agenda", event_id)
    context = {
        "assembly": assembly,
        "event": assembly.event,
        "form": form,
        "own": selectors.own_candidacies(member=request.user, assembly=assembly),
        "is_open": not assembly.event.has_started and not assembly.event.is_cancelled,
    }
    return render(request, "assemblies/preparation/candidacy.html", context)


urlpatterns = [
    path("generalforsamling/", assembly_index, name="index"),
    path("generalforsamling/arkiv/", assembly_archive, name="archive"),
    path("arrangementer/<int:event_id>/dagsorden/", assembly_agenda, name="agenda"),
    path(
        "arrangementer/<int:event_id>/dagsorden/rediger/",
        assembly_agenda_edit,
        name="agenda_edit",
    ),
    path(
        "arrangementer/<int:event_id>/dagsorden/punkter/<int:item_id>/",
        agenda_item_edit,
        name="item_edit",
    ),
    path("arrangementer/<int:event_id>/indkaldelse/", assembly_notice, name="notice"),
    path("arrangementer/<int:event_id>/forslag/", assembly_motions, name="motions"),
    path("arrangementer/<int:event_id>/forslag/ny/", motion_create, name="motion_create"),
    path("arrangementer/<int:event_id>/kandidatur/", assembly_candidacy, name="candidacy"),
]
