"""The general assembly's part of an event's page, composed into events/event_detail.html
by `{% event_assembly event %}` (events imports nothing of assemblies)."""

from django import template

from events.models import Event

from ..models import Assembly

register = template.Library()


@register.inclusion_tag("assemblies/preparation/_event_assembly.html")
def event_assembly(event):
    """Links to the agenda, the motions and the candidacies of a general assembly's
    event: one query for such an event, none for any other."""
    if event.kind != Event.Kind.GENERAL_ASSEMBLY:
        return {"assembly": None}
    assembly = Assembly.objects.filter(event_id=event.pk).only("pk", "event_id").first()
    return {"assembly": assembly, "event": event}
