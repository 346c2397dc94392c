"""Follows, notification choices, the follower mails' expander and the weekly digest."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from taggit.models import Tag

from core.outbox import Priority, mail_fan_out, mail_queue, outbox_handoff
from core.time import COPENHAGEN
from members.models import Member

from ..mails import FOLLOWERS, digest_mail, follower_mail
from ..models import (
    Contribution,
    ContributionMailDelivery,
    DigestDelivery,
    FocusArea,
    FocusAreaFollow,
    NotificationSetting,
    TagFollow,
)


def _followers_of(contribution: Contribution):
    """Active members who follow a focus area the contribution is under, or one of its tags."""
    tag_ids = list(contribution.tags.values_list("pk", flat=True))
    area_ids = set(FocusArea.objects.filter(tags__in=tag_ids).values_list("pk", flat=True))
    if contribution.guiding_question_id:
        area_ids.add(contribution.guiding_question.focus_area_id)
    return (
        Member.objects.active()
        .filter(
            Q(focus_area_follows__focus_area_id__in=area_ids) | Q(tag_follows__tag_id__in=tag_ids)
        )
        .exclude(pk=contribution.author_id)
        .distinct()
    )


def _followers_notify(*, contribution: Contribution) -> None:
    """Queue the mail to the contribution's followers: one row, which a worker expands
    (contribution_follower_mails), so publishing costs the same however many follow."""
    mail_fan_out(kind=FOLLOWERS, params={"contribution": contribution.pk}, priority=Priority.BULK)


def contribution_follower_mails(row) -> list:
    """The outbox's expander of a published contribution: a mail to each follower who
    asked for a mail per contribution, once per member and contribution (the delivery
    row's constraint); whether the follower may see it is asked again when it is sent."""
    contribution = Contribution.objects.filter(pk=row.params.get("contribution")).first()
    if contribution is None:
        return []
    followers = list(
        _followers_of(contribution)
        .filter(contribution_notifications__frequency=NotificationSetting.Frequency.EACH)
        .only("pk", "email")
    )
    told = set(
        ContributionMailDelivery.objects.filter(
            contribution=contribution, member_id__in=[m.pk for m in followers]
        ).values_list("member_id", flat=True)
    )
    followers = [member for member in followers if member.pk not in told]
    ContributionMailDelivery.objects.bulk_create(
        [ContributionMailDelivery(member=m, contribution=contribution) for m in followers],
        ignore_conflicts=True,
    )
    return [follower_mail(contribution=contribution, member=m) for m in followers]


def iso_week_of(moment: datetime) -> tuple[int, int]:
    """The ISO (year, week) of a moment, in Copenhagen."""
    year, week, _ = moment.astimezone(COPENHAGEN).isocalendar()
    return year, week


def digest_recipients():
    """Active members who want the weekly digest (the default) and follow something."""
    return (
        Member.objects.active()
        .filter(Q(focus_area_follows__isnull=False) | Q(tag_follows__isnull=False))
        .exclude(
            contribution_notifications__frequency__in=[
                NotificationSetting.Frequency.EACH,
                NotificationSetting.Frequency.NONE,
            ]
        )
        .distinct()
    )


def digest_send_weekly(*, now: datetime | None = None) -> int:
    """Queue for each recipient one digest of last week's contributions in what they
    follow, at most once per member and ISO week however often it runs, at the outbox's
    lowest priority. Returns digests queued."""
    from ..selectors import contributions_followed_by

    now = now or timezone.now()
    year, week = iso_week_of(now)
    sent = 0
    for member in digest_recipients():
        if DigestDelivery.objects.filter(member=member, iso_year=year, iso_week=week).exists():
            continue
        contributions = list(
            contributions_followed_by(member=member).filter(
                published_at__gte=now - timedelta(days=7), published_at__lt=now
            )[:50]
        )
        if not contributions:
            continue
        try:
            with transaction.atomic():
                DigestDelivery.objects.create(
                    member=member, iso_year=year, iso_week=week, sent_at=now
                )
                mail_queue(
                    mails=[digest_mail(member=member, contributions=contributions, week=week)],
                    priority=Priority.BULK,
                    handoff=False,
                )
        except IntegrityError:
            continue
        sent += 1
    if sent:
        outbox_handoff()
    return sent


def focusarea_follow(*, member: Member, focus_area: FocusArea, follow: bool) -> None:
    """Start or stop following a focus area (repeating either changes nothing)."""
    if follow:
        FocusAreaFollow.objects.get_or_create(member=member, focus_area=focus_area)
    else:
        FocusAreaFollow.objects.filter(member=member, focus_area=focus_area).delete()


def tag_follow(*, member: Member, tag: Tag, follow: bool) -> None:
    """Start or stop following a tag (repeating either changes nothing)."""
    if follow:
        TagFollow.objects.get_or_create(member=member, tag=tag)
    else:
        TagFollow.objects.filter(member=member, tag=tag).delete()


@transaction.atomic
def notification_settings_update(
    *,
    member: Member,
    frequency: str,
    focus_areas: list[FocusArea],
    offered_focus_areas: list[FocusArea],
) -> NotificationSetting:
    """Save how the member hears about new contributions, and follow exactly `focus_areas`
    among the offered ones (follows of areas not offered are left as they are)."""
    setting, _ = NotificationSetting.objects.update_or_create(
        member=member, defaults={"frequency": frequency}
    )
    chosen = {area.pk for area in focus_areas}
    offered = {area.pk for area in offered_focus_areas}
    FocusAreaFollow.objects.filter(member=member, focus_area_id__in=offered - chosen).delete()
    for area in focus_areas:
        if area.pk in offered:
            FocusAreaFollow.objects.get_or_create(member=member, focus_area=area)
    return setting
