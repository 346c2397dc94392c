"""The events' part of the member's profile page (/profil/): their meeting settings and
calendar feed, composed into the page by `{% event_settings %}`."""

from django import template

from ..forms import EventPreferencesForm
from ..selectors import member_event_preferences

register = template.Library()


@register.inclusion_tag("events/_member_settings.html", takes_context=True)
def event_settings(context):
    """The member's settings form (bound, with its errors, when events' view re-renders it)
    and their calendar feed, from one query."""
    request = context["request"]
    form = context.get("event_preferences_form")
    if form is None:
        preferences = member_event_preferences(member=request.user)
        form = EventPreferencesForm(instance=preferences)
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "form": form,
        "preferences": form.instance,
    }
