"""Writes for focus areas and contributions. Views, admin, tasks and commands call these."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from core.outbox import Priority, mail_fan_out, mail_queue, outbox_handoff
from core.page_cache import portal_content_changed
from members.models import Member

from .mails import FOLLOWERS, digest_mail, follower_mail, hidden_notice_mail
from .models import (
    Comment,
    Contribution,
    ContributionMailDelivery,
    DigestDelivery,
    FocusArea,
    FocusAreaFollow,
    FocusAreaRevision,
    GuidingQuestion,
    NotificationSetting,
    StrategyPeriod,
    TagFollow,
)

logger = logging.getLogger(__name__)
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


# Focus areas and their revisions ---------------------------------------------------------


@dataclass(frozen=True)
class QuestionInput:
    """A guiding question as edited: `id` is None for a new one."""

    id: int | None
    text: str


def focusarea_snapshot(*, focus_area: FocusArea) -> dict:
    """What a revision keeps of a focus-area page: texts, current questions (with ids,
    so that a restore finds them again) and tag names."""
    return {
        "title": focus_area.title,
        "summary": focus_area.summary,
        "body": focus_area.body,
        "questions": [
            {"id": question.pk, "text": question.text}
            for question in focus_area.questions.current().order_by("ordering", "pk")
        ],
        "tags": sorted(focus_area.tags.values_list("name", flat=True), key=str.lower),
    }


def tags_from_names(names: list[str]) -> list[Tag]:
    """Existing tags matched without regard to case, new ones created."""
    tags = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    return tags


def _questions_apply(*, focus_area: FocusArea, questions: list[QuestionInput]) -> None:
    existing = {question.pk: question for question in focus_area.questions.all()}
    kept = set()
    now = timezone.now()
    for position, item in enumerate(questions):
        question = existing.get(item.id) if item.id else None
        if question is None:
            question = GuidingQuestion(focus_area=focus_area)
        question.text = item.text
        question.ordering = position
        question.removed_at = None
        question.save()
        kept.add(question.pk)
    for question in existing.values():
        if question.pk not in kept and question.removed_at is None:
            question.removed_at = now
            question.save(update_fields=["removed_at"])


def focusarea_revision_record(
    *,
    focus_area: FocusArea,
    author: Member | None,
    note: str = "",
    restored_from: FocusAreaRevision | None = None,
) -> FocusAreaRevision:
    """Keep the focus area as it is now as its next revision."""
    FocusArea.objects.select_for_update().filter(pk=focus_area.pk).first()
    last = focus_area.revisions.aggregate(last=Max("number"))["last"] or 0
    return FocusAreaRevision.objects.create(
        focus_area=focus_area,
        number=last + 1,
        snapshot=focusarea_snapshot(focus_area=focus_area),
        author=author,
        note=note,
        restored_from=restored_from,
    )


@transaction.atomic
def focusarea_update(
    *,
    focus_area: FocusArea,
    author: Member | None,
    title: str,
    summary: str,
    body: str,
    questions: list[QuestionInput],
    tags: list[str],
    note: str = "",
    restored_from: FocusAreaRevision | None = None,
) -> FocusAreaRevision:
    """Save a focus-area page with its questions and tags, and keep it as a new revision."""
    FocusArea.objects.select_for_update().filter(pk=focus_area.pk).first()
    focus_area.title = title
    focus_area.summary = summary
    focus_area.body = body
    focus_area.save()
    _questions_apply(focus_area=focus_area, questions=questions)
    focus_area.tags.set(tags_from_names(tags))
    return focusarea_revision_record(
        focus_area=focus_area, author=author, note=note, restored_from=restored_from
    )


def focusarea_restore_revision(
    *, focus_area: FocusArea, revision: FocusAreaRevision, author: Member | None, note: str = ""
) -> FocusAreaRevision:
    """Make the page as it was in `revision`; the restore is itself a new revision, so
    nothing is lost."""
    if revision.focus_area_id != focus_area.pk:
        raise ValueError("The revision belongs to another focus area.")
    snapshot = revision.snapshot
    return focusarea_update(
        focus_area=focus_area,
        author=author,
        title=snapshot["title"],
        summary=snapshot["summary"],
        body=snapshot["body"],
        questions=[QuestionInput(id=q.get("id"), text=q["text"]) for q in snapshot["questions"]],
        tags=snapshot["tags"],
        note=note,
        restored_from=revision,
    )


def _unique_focus_area_slug(title: str, period_slug: str) -> str:
    base = slugify(title)[:80] or "fokusomraade"
    slug = base
    if FocusArea.objects.filter(slug=slug).exists():
        slug = f"{base}-{period_slug}"[:100]
    number = 2
    while FocusArea.objects.filter(slug=slug).exists():
        slug = f"{base}-{period_slug}-{number}"[:100]
        number += 1
    return slug


@transaction.atomic
def strategy_period_open(
    *,
    author: Member | None,
    title: str,
    slug: str,
    starts_on: date,
    ends_on: date,
    introduction: str,
    focus_area_titles: list[str],
) -> StrategyPeriod:
    """Open the next strategy period with its focus areas (numbered in the given order,
    each with a first revision); earlier periods stay as they are, as the archive."""
    period = StrategyPeriod.objects.create(
        title=title, slug=slug, starts_on=starts_on, ends_on=ends_on, introduction=introduction
    )
    for number, area_title in enumerate(focus_area_titles, start=1):
        area = FocusArea.objects.create(
            period=period,
            number=number,
            title=area_title,
            slug=_unique_focus_area_slug(area_title, slug),
            summary=area_title,
        )
        focusarea_revision_record(focus_area=area, author=author, note=title)
    return period


# Contributions ---------------------------------------------------------------------------


class ContributionError(ValueError):
    """A contribution that cannot be saved as asked (e.g. a circle the author is not in)."""


def _audience(*, author: Member, visibility: str, circle) -> object | None:
    if visibility != Contribution.Visibility.CIRCLE:
        return None
    if circle is None or not author.circle_memberships.filter(circle=circle).exists():
        raise ContributionError("A circle contribution needs one of the author's circles.")
    return circle


@transaction.atomic
def contribution_create(
    *,
    author: Member,
    title: str,
    body: str,
    tags: list[str],
    visibility: str = Contribution.Visibility.MEMBERS,
    circle=None,
    guiding_question: GuidingQuestion | None = None,
    publish: bool = False,
    notify_followers: bool = True,
    submission_token: str = "",
) -> Contribution:
    """Save a new contribution as a draft, or published (followers are told after commit,
    unless `notify_followers` is False, as for demo data). A form's `submission_token` is
    accepted once: a second submission returns the contribution the first one made."""
    if submission_token:
        earlier = _contribution_submitted(author=author, submission_token=submission_token)
        if earlier is not None:
            return earlier
    try:
        # A savepoint, so that the same submission arriving in parallel can be looked up.
        with transaction.atomic():
            contribution = Contribution.objects.create(
                author=author,
                title=title,
                body=body,
                visibility=visibility,
                circle=_audience(author=author, visibility=visibility, circle=circle),
                guiding_question=guiding_question,
                submission_token=submission_token,
            )
    except IntegrityError:
        earlier = (
            _contribution_submitted(author=author, submission_token=submission_token)
            if submission_token
            else None
        )
        if earlier is None:
            raise
        return earlier
    contribution.tags.set(tags_from_names(tags))
    if publish:
        contribution_publish(contribution=contribution, notify_followers=notify_followers)
    return contribution


def _contribution_submitted(*, author: Member, submission_token: str) -> Contribution | None:
    return Contribution.objects.filter(author=author, submission_token=submission_token).first()


@transaction.atomic
def contribution_update(
    *,
    contribution: Contribution,
    title: str,
    body: str,
    tags: list[str],
    visibility: str,
    circle=None,
    guiding_question: GuidingQuestion | None = None,
    publish: bool,
) -> Contribution:
    """Save the author's changes; `publish` False takes it back to a draft."""
    contribution.title = title
    contribution.body = body
    contribution.visibility = visibility
    contribution.circle = _audience(
        author=contribution.author, visibility=visibility, circle=circle
    )
    contribution.guiding_question = guiding_question
    if not publish:
        contribution.status = Contribution.Status.DRAFT
    contribution.save()
    contribution.tags.set(tags_from_names(tags))
    if publish:
        contribution_publish(contribution=contribution)
    return contribution


@transaction.atomic
def contribution_publish(
    *, contribution: Contribution, notify_followers: bool = True
) -> Contribution:
    """Publish the contribution; the first publication queues a mail to each follower who
    wants one, in the same transaction."""
    first_time = contribution.published_at is None and notify_followers
    contribution.status = Contribution.Status.PUBLISHED
    contribution.published_at = contribution.published_at or timezone.now()
    contribution.save(update_fields=["status", "published_at", "updated_at"])
    if first_time:
        _followers_notify(contribution=contribution)
    return contribution


def contribution_delete(*, contribution: Contribution) -> None:
    """Delete the contribution with its comments."""
    contribution.delete()


@transaction.atomic
def contribution_hide(
    *, contribution: Contribution, hidden_by: Member, reason: str
) -> Contribution:
    """Hide the contribution from everyone but its author and the board; the author is
    told why by a mail queued in the same transaction."""
    now = timezone.now()
    contribution.hidden_at = now
    contribution.hidden_by = hidden_by
    contribution.hidden_reason = reason
    author = contribution.author
    notify = author is not None and author.is_active
    contribution.hidden_notice_sent_at = now if notify else None
    contribution.save(
        update_fields=[
            "hidden_at",
            "hidden_by",
            "hidden_reason",
            "hidden_notice_sent_at",
            "updated_at",
        ]
    )
    if notify:
        mail_queue(mails=[hidden_notice_mail(contribution=contribution)], priority=Priority.MEETING)
    return contribution


def contribution_unhide(*, contribution: Contribution) -> Contribution:
    """Show a hidden contribution again."""
    contribution.hidden_at = None
    contribution.hidden_by = None
    contribution.hidden_reason = ""
    contribution.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    return contribution


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
    from .selectors import contributions_followed_by

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


# Comments --------------------------------------------------------------------------------


def comment_create(*, contribution: Contribution, author: Member, body: str) -> Comment:
    """Add a comment to a contribution the author may see."""
    return Comment.objects.create(contribution=contribution, author=author, body=body)


def comment_update(*, comment: Comment, body: str) -> Comment:
    """Save the author's new wording."""
    comment.body = body
    comment.save(update_fields=["body", "updated_at"])
    return comment


def comment_delete(*, comment: Comment) -> None:
    """Delete the comment."""
    comment.delete()


def comment_hide(*, comment: Comment, hidden_by: Member, reason: str) -> Comment:
    """Hide the comment from everyone but its author and the board."""
    comment.hidden_at = timezone.now()
    comment.hidden_by = hidden_by
    comment.hidden_reason = reason
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    return comment


def comment_unhide(*, comment: Comment) -> Comment:
    """Show a hidden comment again."""
    comment.hidden_at = None
    comment.hidden_by = None
    comment.hidden_reason = ""
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    return comment


# Following and notification choices ------------------------------------------------------


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


# GDPR ------------------------------------------------------------------------------------


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
        portal_content_changed()  # bulk updates send no signals to the page cache
    FocusAreaFollow.objects.filter(member=member).delete()
    TagFollow.objects.filter(member=member).delete()
    NotificationSetting.objects.filter(member=member).delete()
    ContributionMailDelivery.objects.filter(member=member).delete()
    DigestDelivery.objects.filter(member=member).delete()
