from datetime import datetime
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from circles.models import Circle
from core import keyset
from core.inputs import parse_id
from core.text import danish_slugify

from . import calendars, selectors, services
from .exports import csv_response
from .forms import (
    CancelEventForm,
    EventFilterForm,
    EventForm,
    EventPreferencesForm,
    MinutesForm,
    RSVPForm,
)
from .models import RSVP, Event

PAST_PAGE_SIZE = 20
UPCOMING_LIMIT = 100


def _event_or_404(request, event_id: int, permission: str = "events.view_event") -> Event:
    """The event if the user may see it and has `permission` on it; otherwise 404, so that
    nobody learns of another circle's events."""
    event = selectors.event_detail(user=request.user, event_id=event_id)
    if event is None or not request.user.has_perm(permission, event):
        raise Http404
    return event


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=900"
    return response


def _feed_links(request, path: str) -> dict:
    absolute = request.build_absolute_uri(path)
    return {"download": absolute, "webcal": "webcal://" + absolute.split("://", 1)[1]}


@permission_required("members.view_directory", raise_exception=True)
def event_list(request):
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = {"user": request.user, "circle": filters.get("kreds"), "kind": filters.get("type", "")}
    query = request.GET.copy()
    for token in (keyset.NEXT, keyset.PREVIOUS):
        query.pop(token, None)
    context = {
        "form": form,
        "query": query.urlencode(),
        "can_add": request.user.has_perm("events.add_event"),
    }
    if "maaned" in request.GET:
        month = selectors.month_of(request.GET.get("maaned"))
        if month is None:
            raise Http404
        context.update(
            month=month,
            # The month shows neither answers nor seats: the events alone.
            weeks=selectors.month_grid(events=selectors.visible_events(**chosen), month=month),
            previous_month=(month.replace(day=1) - timezone.timedelta(days=1)).strftime("%Y-%m"),
            next_month=(month.replace(day=28) + timezone.timedelta(days=4)).strftime("%Y-%m"),
        )
        query.pop("maaned", None)
        context["filter_query"] = query.urlencode()
        return render(request, "events/event_month.html", context)
    events = selectors.visible_events(**chosen)
    rows = partial(selectors.event_row_values, member=request.user)
    context["upcoming"] = selectors.event_rows(rows(events.upcoming())[:UPCOMING_LIMIT])
    past = keyset.keyset_page(
        rows(events.past()),
        key="starts_at",
        kind=datetime,
        size=PAST_PAGE_SIZE,
        params=request.GET,
    )
    context["past"] = past
    context["past_rows"] = selectors.event_rows(past.object_list)
    context["this_month"] = timezone.localdate().strftime("%Y-%m")
    return render(request, "events/event_list.html", context)


def _warn_if_past(request, event: Event) -> None:
    # Allowed (an event may be recorded afterwards), never silently.
    if event.starts_at < timezone.now():
        messages.warning(
            request, _("The event starts in the past. Check the date if that was not meant.")
        )


@permission_required("events.add_event", raise_exception=True)
@require_http_methods(["GET", "POST"])
def event_create(request):
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        event = services.event_create(
            actor=request.user, organiser=request.user, **form.service_arguments()
        )
        messages.success(request, _("The event has been scheduled and the invitations sent."))
        _warn_if_past(request, event)
        return redirect(event)
    return render(request, "events/event_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def event_edit(request, event_id: int):
    event = _event_or_404(request, event_id, "events.change_event")
    if event.is_cancelled:
        raise Http404
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        before = event.sequence
        event = services.event_update(actor=request.user, event=event, **form.service_arguments())
        if event.sequence != before:
            messages.success(
                request, _("The event has been changed and the participants told of it.")
            )
        else:
            messages.success(request, _("The event has been saved."))
        _warn_if_past(request, event)
        return redirect(event)
    # The form changed the instance while validating; show the saved event in the heading.
    return render(
        request, "events/event_form.html", {"form": form, "event": Event.objects.get(pk=event.pk)}
    )


@require_http_methods(["GET", "POST"])
def event_cancel(request, event_id: int):
    event = _event_or_404(request, event_id, "events.change_event")
    if event.is_cancelled:
        messages.info(request, _("The event is already cancelled."))
        return redirect(event)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.event_cancel(actor=request.user, event=event)
        messages.success(request, _("The event has been cancelled and the invitees told."))
        return redirect(event)
    return render(request, "events/event_cancel.html", {"form": form, "event": event})


def _rsvp_context(request, event: Event) -> dict:
    own = event.own_rsvps[0] if event.own_rsvps else None
    can_rsvp = request.user.has_perm("events.rsvp_event", event)
    deputy = selectors.deputy_to_send(member=request.user) if can_rsvp else None
    return {
        "event": event,
        "own_rsvp": own,
        "can_rsvp": can_rsvp,
        "deputy": deputy,
        # "I am sending my deputy" only to a member with a deputy to send.
        "answers": [
            (value, label)
            for value, label in RSVP.Answer.choices
            if value != RSVP.Answer.DEPUTY or deputy is not None
        ],
    }


def event_detail(request, event_id: int):
    event = _event_or_404(request, event_id)
    user = request.user
    attendance = selectors.event_attendance(event=event)
    sees_all = user.has_perm("events.view_attendees", event)
    context = {
        **_rsvp_context(request, event),
        "attendance": attendance,
        "sees_all_answers": sees_all,
        "can_change": user.has_perm("events.change_event", event),
        "can_write_minutes": user.has_perm("events.write_minutes", event),
        "feed": _feed_links(request, reverse("events:ics", args=[event.pk])),
    }
    if sees_all:
        plan = selectors.reminders_to_go(event=event)
        context["reminder_plan"] = plan[: selectors.REMINDER_ROWS_SHOWN]
        context["reminder_log"] = selectors.reminder_log(event=event)[
            : selectors.REMINDER_ROWS_SHOWN
        ]
    response = render(request, "events/event_detail.html", context)
    # The reminder plan and log change with every sweep, which the page cache ignores.
    response.page_cache = not sees_all
    return response


@require_POST
def event_rsvp(request, event_id: int):
    event = _event_or_404(request, event_id, "events.rsvp_event")
    form = RSVPForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.rsvp_answer(
                event=event, member=request.user, answer=form.cleaned_data["answer"]
            )
        except services.RSVPClosed:
            error = _("Answers are no longer taken for this event.")
        except services.RSVPNoDeputy:
            error = _("You have no deputy to send. You can invite one on your profile.")
    else:
        error = _("Choose yes, no or maybe.")
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(event)
    event = selectors.event_detail(user=request.user, event_id=event.pk)
    context = {
        **_rsvp_context(request, event),
        "error": error,
        "attendance": selectors.event_attendance(event=event),
    }
    return render(request, "events/_rsvp.html", context)


def event_attendees_csv(request, event_id: int):
    event = _event_or_404(request, event_id, "events.view_attendees")
    attendance = selectors.event_attendance(event=event)
    groups = [
        (attendance.yes, _("Yes")),
        (attendance.waitlist, _("Waitlist")),
        (attendance.maybe, _("Maybe")),
        (attendance.no, _("No")),
        (attendance.sending_deputy, _("I am sending my deputy")),
    ]
    return csv_response(
        filename=f"deltagere-{danish_slugify(event.title)}-{event.starts_at.date().isoformat()}.csv",
        header=[
            _("Name"),
            _("Email"),
            _("Municipality"),
            _("Answer"),
            _("Answered"),
            _("Deputy"),
        ],
        rows=(
            [
                rsvp.member.get_full_name(),
                rsvp.member.email,
                rsvp.member.municipality.name if rsvp.member.municipality else "",
                label,
                timezone.localtime(rsvp.updated_at).strftime("%Y-%m-%d %H:%M"),
                rsvp.stand_in_label,
            ]
            for rsvps, label in groups
            for rsvp in rsvps
        ),
    )


def event_ics(request, event_id: int):
    event = _event_or_404(request, event_id)
    return _ics_response(calendars.event_ics(event=event), f"komdir-{event.pk}.ics")


@require_http_methods(["GET", "POST"])
def event_minutes(request, event_id: int):
    event = _event_or_404(request, event_id, "events.write_minutes")
    form = MinutesForm(request.POST or None, initial={"minutes": event.minutes})
    if request.method == "POST" and form.is_valid():
        services.event_minutes_save(
            actor=request.user, event=event, minutes=form.cleaned_data["minutes"]
        )
        messages.success(request, _("The minutes have been saved."))
        return redirect(event)
    revisions = event.minutes_revisions.select_related("author")[:20]
    return render(
        request,
        "events/event_minutes.html",
        {"form": form, "event": event, "revisions": revisions},
    )


@require_POST
def event_invitation_resend(request, event_id: int):
    event = _event_or_404(request, event_id, "events.view_attendees")
    if event.is_cancelled:
        raise Http404
    services.event_invitation_resend(event=event)
    messages.success(
        request,
        _("The invitation is on its way again to everyone invited who has not declined."),
    )
    return redirect(event)


def _feed_response(
    request, *, name: str, entries: list[selectors.FeedEntry], filename: str
) -> HttpResponse:
    """The feed, or 304 Not Modified to a calendar client that polls with the ETag of the
    same feed: then no VEVENT is even read from the cache."""
    etag = calendars.feed_etag(name=name, entries=entries)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = _ics_response(
            calendars.feed_ics(name=name, entries=entries, etag=etag), filename
        )
    else:
        response["Cache-Control"] = "private, max-age=900"
    response["ETag"] = etag
    return response


@login_not_required
def personal_feed(request, token: str):
    member = selectors.member_by_calendar_token(token=token)
    if member is None:
        raise Http404
    entries = selectors.personal_feed_events(member=member)
    return _feed_response(
        request, name=_("KOMDIR: my meetings"), entries=entries, filename="komdir.ics"
    )


def circle_feed(request, slug: str):
    return _circle_feed(request, slug=slug, member=request.user)


@login_not_required
def circle_feed_by_token(request, slug: str, token: str):
    """The circle's feed for a calendar program: the member's secret feed token stands in
    for the login, and is revoked with their personal feed's."""
    member = selectors.member_by_calendar_token(token=token)
    if member is None:
        raise Http404
    return _circle_feed(request, slug=slug, member=member)


def _circle_feed(request, *, slug: str, member) -> HttpResponse:
    circle = Circle.objects.filter(slug=slug).first()
    if circle is None or not member.has_perm("circles.view_circle_feed", circle):
        raise Http404
    entries = selectors.circle_feed_events(circle=circle)
    return _feed_response(
        request, name=f"KOMDIR: {circle.name}", entries=entries, filename=f"{slug}.ics"
    )


@require_POST
def calendar_token(request):
    if not request.user.has_perm("members.change_own_profile", request.user):
        raise PermissionDenied
    if request.POST.get("action") == "save":
        return _preferences_save(request)
    if request.POST.get("action") == "revoke":
        services.calendar_token_revoke(member=request.user)
        messages.success(request, _("Your calendar feed has been switched off."))
    else:
        services.calendar_token_regenerate(member=request.user)
        messages.success(
            request,
            _("Your calendar feed has a new address. Subscribe again with the new address."),
        )
    return redirect(reverse("members:profile") + "#kalender")


def _preferences_save(request):
    """The member's meeting settings, from the form on their profile page; with an error,
    the form comes back on a page of its own."""
    form = EventPreferencesForm(
        request.POST, instance=selectors.member_event_preferences(member=request.user)
    )
    if form.is_valid():
        services.event_preferences_update(member=request.user, **form.cleaned_data)
        messages.success(request, _("Your meeting settings have been saved."))
        return redirect(reverse("members:profile") + "#moeder")
    return render(request, "events/member_settings.html", {"event_preferences_form": form})


@require_http_methods(["GET", "POST"])
def event_history(request, event_id: int):
    """The agenda's and the minutes' versions, each with what changed; the organiser
    (or whoever may write the text) restores any of them."""
    event = _event_or_404(request, event_id)
    may = {
        "agenda": request.user.has_perm("events.change_event", event),
        "minutes": request.user.has_perm("events.write_minutes", event),
    }
    if not any(may.values()):
        raise Http404
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        revision = selectors.event_text_revision(
            event=event, kind=kind, revision_id=parse_id(request.POST.get("revision")) or 0
        )
        if revision is None or not may.get(kind):
            raise Http404
        services.event_text_restore(actor=request.user, event=event, revision=revision)
        messages.success(request, _("The earlier version is the current one again."))
        return redirect("events:history", event.pk)
    return render(
        request,
        "events/event_history.html",
        {"event": event, "history": selectors.event_text_history(event=event), "may": may},
    )
