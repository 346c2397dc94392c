"""Reactions to the apps below: an event of kind general assembly gets its assembly (with
the standard agenda) however it was scheduled, from the portal, the admin or the demo;
events knows nothing of assemblies."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from events.models import Event


@receiver(post_save, sender=Event, dispatch_uid="assemblies.event_saved")
def assembly_for_general_assembly(sender, *, instance: Event, created: bool, raw=False, **kwargs):
    if raw or instance.kind != Event.Kind.GENERAL_ASSEMBLY:
        return
    from .models import Assembly
    from .services import assembly_create

    # An event changed into a general assembly gets one too.
    if created or not Assembly.objects.filter(event_id=instance.pk).exists():
        assembly_create(actor=None, event=instance)
