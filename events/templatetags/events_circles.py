"""The events' part of a circle's page: the address of the circle's calendar feed for
the member looking at it, composed into the page by `{% circle_calendar circle %}`."""

from django import template

from ..selectors import member_event_preferences

register = template.Library()


@register.inclusion_tag("events/_circle_calendar.html", takes_context=True)
def circle_calendar(context, circle):
    """The circle's feed under the member's own secret token (revoked and renewed with
    their personal feed), or the way to switch that on: one query."""
    request = context["request"]
    user = request.user
    may_subscribe = user.has_perm("circles.view_circle_feed", circle)
    preferences = member_event_preferences(member=user) if may_subscribe else None
    return {
        "request": request,
        "circle": circle,
        "may_subscribe": may_subscribe,
        "token": preferences.calendar_token if preferences else "",
    }
