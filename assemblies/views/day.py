"""The assembly's day: proxies, the attendance register, decisions and elections, the
minutes, and the search of decisions across the years."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from core.inputs import parse_id, query_text
from events import views as event_views
from members.htmx import render_page_or_fragment
from members.models import Member

from .. import selectors, services
from ..forms_day import (
    DecisionForm,
    DecisionSearchForm,
    ElectionForm,
    MinutesForm,
    ProxyForm,
    SearchForm,
)
from ..models import Assembly, Decision, Election, Minutes, Proxy


def _assembly_or_404(
    request, event_id: int, permission: str | None = None, *, assembly: Assembly | None = None
) -> Assembly:
    """The event's assembly if the user may see the event and has `permission` on the
    assembly; otherwise 404, so nobody learns what they may not see."""
    assembly = assembly or _assembly_of(event_id)
    user = request.user
    if assembly is None or not user.has_perm("events.view_event", assembly.event):
        raise Http404
    if permission is not None and not user.has_perm(permission, assembly):
        raise Http404
    return assembly


def _assembly_of(event_id: int) -> Assembly | None:
    """The event's assembly; None for an id no row can have (the database refuses it)."""
    if parse_id(event_id) is None:
        return None
    return selectors.assembly_for_day(event_id=event_id)


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Proxies ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def proxy(request, event_id: int):
    assembly = _assembly_or_404(request, event_id)
    user = request.user
    can_give = user.has_perm("assemblies.give_proxy", assembly)
    own = selectors.proxy_of_giver(assembly=assembly, giver=user) if can_give else None
    form = None
    if can_give and own is None:
        form = ProxyForm(
            request.POST if request.POST.get("action") == "give" else None,
            holders=selectors.proxy_holder_choices(giver=user),
        )
    if request.method == "POST":
        if not can_give:
            raise Http404
        try:
            if request.POST.get("action") == "withdraw" and own is not None:
                services.proxy_withdraw(proxy=own)
                messages.success(request, _("Your proxy has been withdrawn."))
                return redirect("assemblies:proxy", event_id=event_id)
            if form is not None and form.is_valid():
                given = services.proxy_give(
                    assembly=assembly, giver=user, holder=form.cleaned_data["holder"]
                )
                messages.success(
                    request,
                    _("Your proxy has been given to %(name)s, who has been told.")
                    % {"name": given.holder.get_full_name()},
                )
                return redirect("assemblies:proxy", event_id=event_id)
        except ValidationError as error:
            if form is not None:
                form.add_error(None, error)
            else:
                _refused(request, error)
                return redirect("assemblies:proxy", event_id=event_id)
    context = {
        "assembly": assembly,
        "event": assembly.event,
        "can_give": can_give,
        "own": own,
        "form": form,
        "held": selectors.proxies_held_by(assembly=assembly, holder=user) if can_give else [],
        "started": timezone.now() >= assembly.event.starts_at,
        "can_view_all": user.has_perm("assemblies.view_proxies", assembly),
    }
    return render(request, "assemblies/day/proxy.html", context)


def proxy_overview(request, event_id: int):
    assembly = _assembly_or_404(request, event_id, "assemblies.view_proxies")
    context = {
        "assembly": assembly,
        "event": assembly.event,
        "proxies": list(selectors.assembly_proxies(assembly=assembly)),
    }
    return render(request, "assemblies/day/proxy_overview.html", context)


# --- Attendance -------------------------------------------------------------------------


def _attendance_context(request, assembly: Assembly, **rows) -> dict:
    votes = selectors.assembly_votes(assembly=assembly)
    found, more = selectors.attendance_rows(votes=votes, **rows)
    return {
        "assembly": assembly,
        "event": assembly.event,
        "votes": votes,
        "rows": found,
        "more": more,
    }


def attendance(request, event_id: int):
    assembly = _assembly_or_404(request, event_id, "assemblies.check_in")
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {**_attendance_context(request, assembly, query=query), "form": form, "query": query}
    return render_page_or_fragment(
        request,
        page="assemblies/day/attendance.html",
        fragment="assemblies/day/_attendance_results.html",
        context=context,
    )


def _attendance_change(request, event_id: int, member_id: int, *, check_in: bool):
    assembly = _assembly_or_404(request, event_id, "assemblies.check_in")
    person = Member.objects.filter(pk=member_id).first() if parse_id(member_id) else None
    if person is None:
        raise Http404
    try:
        if check_in:
            services.attendance_check_in(assembly=assembly, member=person, actor=request.user)
        else:
            services.attendance_undo(assembly=assembly, member=person)
    except ValidationError as error:
        _refused(request, error)
    htmx = getattr(request, "htmx", None)
    if not htmx:
        query = query_text(request.POST, "q")
        url = reverse("assemblies:attendance", args=[event_id])
        return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
    # The person's row, and the rows whose status follows theirs: the member a deputy
    # stands in for, the givers of the proxies a holder carries.
    linked = [person.deputy_for_id] if person.deputy_for_id else []
    linked += list(
        Proxy.objects.filter(
            assembly=assembly, holder=person, withdrawn_at__isnull=True
        ).values_list("giver_id", flat=True)
    )
    context = _attendance_context(request, assembly, member_ids=[person.pk, *linked])
    context["row"] = next((row for row in context["rows"] if row.person.pk == person.pk), None)
    context["linked_rows"] = [row for row in context["rows"] if row.person.pk != person.pk]
    context["query"] = query_text(request.POST, "q")
    return render(request, "assemblies/day/_attendance_swap.html", context)


@require_POST
def attendance_check_in(request, event_id: int, member_id: int):
    return _attendance_change(request, event_id, member_id, check_in=True)


@require_POST
def attendance_undo(request, event_id: int, member_id: int):
    return _attendance_change(request, event_id, member_id, check_in=False)


# --- Decisions --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def decisions(request, event_id: int):
    assembly = _assembly_or_404(request, event_id, "assemblies.record_decisions")
    user = request.user
    recorded = selectors.assembly_decisions(assembly=assembly)
    action = request.POST.get("action", "")
    data = request.POST if request.method == "POST" else None
    decision_form = DecisionForm(data if action == "decision" else None, assembly=assembly)
    election_form = ElectionForm(
        data if action == "election" else None,
        decisions=Decision.objects.filter(item__assembly=assembly).select_related("item"),
        members=Member.objects.active()
        .select_related("municipality")
        .order_by("first_name", "last_name", "pk"),
    )
    if request.method == "POST":
        try:
            done = _decisions_post(request, assembly, action, decision_form, election_form)
        except ValidationError as error:
            form = election_form if action == "election" else decision_form
            if action in ("decision", "election"):
                form.add_error(None, error)
                done = None
            else:
                _refused(request, error)
                done = ""
        if done is not None:
            if done:
                messages.success(request, done)
            return redirect("assemblies:decisions", event_id=event_id)
    context = {
        "assembly": assembly,
        "event": assembly.event,
        "decisions": list(recorded),
        "decision_form": decision_form,
        "election_form": election_form,
        "can_apply": user.has_perm("assemblies.apply_election", assembly),
        "frozen": bool(getattr(assembly, "minutes", None) and assembly.minutes.is_frozen),
    }
    return render(request, "assemblies/day/decisions.html", context)


def _decisions_post(request, assembly, action, decision_form, election_form) -> str | None:
    """Carry out the POSTed action: the success message, or None when a form has errors."""
    target = parse_id(request.POST.get("id"))
    if action == "decision":
        if not decision_form.is_valid():
            return None
        services.decision_record(actor=request.user, **decision_form.cleaned_data)
        return _("The decision has been recorded.")
    if action == "election":
        if not election_form.is_valid():
            return None
        services.election_record(**election_form.cleaned_data)
        return _("The election has been recorded.")
    if action == "delete_decision":
        decision = Decision.objects.filter(pk=target, item__assembly=assembly).first()
        if decision is None:
            raise Http404
        services.decision_delete(decision=decision)
        return _("The decision has been deleted.")
    election = Election.objects.filter(pk=target, decision__item__assembly=assembly).first()
    if election is None:
        raise Http404
    if action == "delete_election":
        services.election_delete(election=election)
        return _("The election has been deleted.")
    if action == "apply" and request.user.has_perm("assemblies.apply_election", assembly):
        services.election_apply(election=election)
        return _("The election has been applied.")
    raise Http404


# --- Minutes ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def minutes(request, event_id: int):
    """The assembly's minutes; the minutes of any other event are the events app's."""
    if parse_id(event_id) is None:
        raise Http404
    assembly = _assembly_of(event_id)
    if assembly is None:
        return event_views.event_minutes(request, event_id)
    assembly = _assembly_or_404(request, event_id, "assemblies.view_minutes", assembly=assembly)
    user = request.user
    record: Minutes | None = getattr(assembly, "minutes", None)
    can_edit = user.has_perm("assemblies.edit_minutes", assembly)
    form = None
    if can_edit and not (record and record.is_frozen):
        form = MinutesForm(
            request.POST if request.POST.get("action") == "save" else None,
            initial={"text": record.text if record else ""},
        )
    if request.method == "POST":
        done = _minutes_post(request, assembly, record, form)
        if done is not None:
            return redirect("assemblies:minutes", event_id=event_id)
    context = {
        "assembly": assembly,
        "event": assembly.event,
        "minutes": record,
        "form": form,
        "can_edit": can_edit,
        "can_approve": user.has_perm("assemblies.approve_minutes", assembly),
        "can_publish": user.has_perm("assemblies.publish_minutes", assembly),
        "versions": selectors.minutes_versions(minutes=record) if can_edit else [],
    }
    return render(request, "assemblies/day/minutes.html", context)


def _minutes_post(request, assembly, record, form) -> bool | None:
    """Carry out the POSTed action; None when the form is to be shown again."""
    user = request.user
    action = request.POST.get("action", "")
    try:
        if action == "save" and user.has_perm("assemblies.edit_minutes", assembly):
            if form is None:
                raise ValidationError(
                    _("The minutes have been approved by the chair and can no longer be changed.")
                )
            if not form.is_valid():
                return None
            services.minutes_save(assembly=assembly, text=form.cleaned_data["text"], actor=user)
            messages.success(request, _("The minutes have been saved."))
        elif action == "generate" and user.has_perm("assemblies.edit_minutes", assembly):
            services.minutes_draft_generate(assembly=assembly, actor=user)
            messages.success(
                request,
                _("A draft has been written from the agenda, the attendance and the decisions."),
            )
        elif action == "approve" and user.has_perm("assemblies.approve_minutes", assembly):
            if record is None:
                raise ValidationError(_("There are no minutes to approve yet."))
            services.minutes_approve(minutes=record, actor=user)
            messages.success(
                request, _("The minutes have been approved and can no longer be changed.")
            )
        elif action == "publish" and user.has_perm("assemblies.publish_minutes", assembly):
            if record is None:
                raise ValidationError(
                    _("The chair must approve the minutes before they are published.")
                )
            services.minutes_publish(minutes=record)
            messages.success(request, _("The minutes have been published and the members told."))
        else:
            raise Http404
    except ValidationError as error:
        _refused(request, error)
    return True


# --- Decisions across the years ---------------------------------------------------------


@permission_required("assemblies.search_decisions", raise_exception=True)
def decision_search(request):
    form = DecisionSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    drafts = request.user.has_perm("assemblies.edit_minutes")
    results = list(selectors.decision_search(query=query, published_only=not drafts))
    context = {
        "form": form,
        "query": query,
        "results": results,
        "limit": selectors.DECISION_RESULTS_SHOWN,
    }
    return render(request, "assemblies/day/decision_search.html", context)


urlpatterns = [
    path("arrangementer/<int:event_id>/fuldmagt/", proxy, name="proxy"),
    path("arrangementer/<int:event_id>/fuldmagt/oversigt/", proxy_overview, name="proxy_overview"),
    path("arrangementer/<int:event_id>/fremmoede/", attendance, name="attendance"),
    path(
        "arrangementer/<int:event_id>/fremmoede/<int:member_id>/ind/",
        attendance_check_in,
        name="attendance_check_in",
    ),
    path(
        "arrangementer/<int:event_id>/fremmoede/<int:member_id>/fortryd/",
        attendance_undo,
        name="attendance_undo",
    ),
    path("arrangementer/<int:event_id>/beslutninger/", decisions, name="decisions"),
    path("arrangementer/<int:event_id>/referat/", minutes, name="minutes"),
    path("generalforsamling/beslutninger/", decision_search, name="decision_search"),
]
