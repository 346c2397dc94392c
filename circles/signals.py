"""What circles tells the apps above it, and how circles reacts to members' changes."""

from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver

from members.signals import deputy_linked, member_municipality_changed

from .models import CircleMembership

# A member stopped being a member of a circle, by whatever path (a service, the admin's
# delete, a membership moved to another circle); sent inside the transaction of the
# change, with `member` and `circle`. Events listens: the circle's coming meetings are
# no longer the member's.
circle_membership_left = Signal()


@receiver(post_delete, sender=CircleMembership, dispatch_uid="circles.membership_deleted")
def _membership_deleted(sender, *, instance: CircleMembership, origin=None, **kwargs) -> None:
    # A membership that goes with its member or its circle (a cascade) leaves nothing to
    # give up: what the member held of the circle goes in the same delete.
    origin_model = origin.model if isinstance(origin, QuerySet) else type(origin)
    if isinstance(origin, (Model, QuerySet)) and origin_model is not CircleMembership:
        return
    circle_membership_left.send(
        sender=CircleMembership, member=instance.member, circle=instance.circle
    )


@receiver(pre_save, sender=CircleMembership, dispatch_uid="circles.membership_moving")
def _membership_moving(sender, *, instance: CircleMembership, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        instance._left_circle_id = None
        return
    saved = (
        CircleMembership.objects.filter(pk=instance.pk).values_list("circle_id", flat=True).first()
    )
    instance._left_circle_id = saved if saved not in (None, instance.circle_id) else None


@receiver(post_save, sender=CircleMembership, dispatch_uid="circles.membership_moved")
def _membership_moved(sender, *, instance: CircleMembership, raw=False, **kwargs) -> None:
    left = getattr(instance, "_left_circle_id", None)
    if raw or left is None:
        return
    from .models import Circle

    instance._left_circle_id = None
    circle_membership_left.send(
        sender=CircleMembership, member=instance.member, circle=Circle.objects.get(pk=left)
    )


@receiver(member_municipality_changed, dispatch_uid="circles.move_to_home_circle")
def _move_to_home_circle(sender, *, member, from_municipality=None, **kwargs) -> None:
    from .services import circle_membership_move_home

    circle_membership_move_home(member=member, moved=from_municipality is not None)


@receiver(deputy_linked, dispatch_uid="circles.deputy_linked")
def _mirror_deputy(sender, *, deputy, member, **kwargs) -> None:
    from .services import circle_memberships_mirror_deputy

    circle_memberships_mirror_deputy(member=member)
