"""Erasure: what an erased member wrote, and the follows and mail bookkeeping they leave."""

from django.db import transaction

from members.models import Member

from ..models import (
    Comment,
    Contribution,
    ContributionMailDelivery,
    DigestDelivery,
    FocusAreaFollow,
    NotificationSetting,
    TagFollow,
)


@transaction.atomic
def contributions_of_erased_member(*, member: Member, delete: bool) -> None:
    """Delete, or anonymise (author removed, shown as "Tidligere medlem"), what an erased
    member wrote; their follows, choices and mail bookkeeping go in either case."""
    if delete:
        Contribution.objects.filter(author=member).delete()
        Comment.objects.filter(author=member).delete()
    else:
        Contribution.objects.filter(author=member).update(author=None)
        Comment.objects.filter(author=member).update(author=None)
    FocusAreaFollow.objects.filter(member=member).delete()
    TagFollow.objects.filter(member=member).delete()
    NotificationSetting.objects.filter(member=member).delete()
    ContributionMailDelivery.objects.filter(member=member).delete()
    DigestDelivery.objects.filter(member=member).delete()
