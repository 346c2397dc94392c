"""Reads for focus areas and contributions; whatever shows contributions asks
Contribution.objects.visible_to first."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from taggit.models import Tag

from core.diff import DiffLine, word_diff
from core.time import iso_or_none

from .models import (
    Comment,
    Contribution,
    FocusArea,
    FocusAreaFollow,
    FocusAreaRevision,
    Followed,
    GuidingQuestion,
    NotificationSetting,
    Page,
    StrategyPeriod,
    TagFollow,
)


def page_by_slug(*, slug: str) -> Page | None:
    """One of the association's own pages."""
    return Page.objects.filter(slug=slug).first()


def _current_questions() -> Prefetch:
    return Prefetch(
        "questions",
        queryset=GuidingQuestion.objects.current().order_by("ordering", "pk"),
        to_attr="current_questions",
    )


def periods_with_focus_areas() -> list[StrategyPeriod]:
    """Every strategy period, the current (newest) first, each with its focus areas and
    their current guiding questions."""
    return list(
        StrategyPeriod.objects.newest_first().prefetch_related(
            Prefetch(
                "focus_areas",
                queryset=FocusArea.objects.order_by("number").prefetch_related(
                    _current_questions()
                ),
            )
        )
    )


def current_focus_areas() -> list[FocusArea]:
    """The focus areas of the current period, in their order."""
    period = StrategyPeriod.objects.current()
    if period is None:
        return []
    return list(period.focus_areas.order_by("number"))


def focusarea_detail(*, slug: str) -> FocusArea | None:
    """A focus area with its period, current questions and tags, and `in_archive`: whether
    a newer period has been opened since (until then its period is the current one, even
    past its end date)."""
    newer = StrategyPeriod.objects.filter(starts_on__gt=OuterRef("period__starts_on"))
    return (
        FocusArea.objects.select_related("period")
        .prefetch_related(_current_questions(), "tags")
        .annotate(in_archive=Exists(newer))
        .filter(slug=slug)
        .first()
    )


@dataclass
class QuestionWithContributions:
    question: GuidingQuestion
    contributions: list[Contribution]


def focusarea_contributions(
    *, focus_area: FocusArea, user, latest: int = 10, per_question: int = 5
) -> tuple[list[QuestionWithContributions], list[Contribution]]:
    """For a member: each current guiding question with the newest contributions that
    answer it, and the newest contributions under the area; four queries at any size."""
    visible = Contribution.objects.visible_to(user).published()
    questions = focus_area.current_questions
    answers: dict[int, list[Contribution]] = {question.pk: [] for question in questions}
    if questions:
        for contribution in _newest_answers(visible, questions, per_question):
            answers[contribution.guiding_question_id].append(contribution)
    grouped = [QuestionWithContributions(q, answers[q.pk]) for q in questions]
    newest = _newest_of(
        visible.tagged_in_focus_area(focus_area).for_rows()[:latest],
        visible.answering_questions_of(focus_area).for_rows()[:latest],
        limit=latest,
    )
    return grouped, newest


def _newest_answers(
    visible: QuerySet[Contribution], questions: list[GuidingQuestion], per_question: int
) -> QuerySet[Contribution]:
    """The newest few answers to each question, in one query whatever the numbers."""
    answering = visible.select_related("author").order_by("-published_at", "-pk")
    if connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: a UNION of one short newest-first index walk per question; a window
        # function would rank every answer ever given to the area before keeping five.
        first, *others = [answering.filter(guiding_question=q)[:per_question] for q in questions]
        return first.union(*others, all=True)
    # SQLite (`make run`) cannot slice inside a UNION; a window function does it there.
    return (
        answering.filter(guiding_question__in=questions)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=F("guiding_question_id"),
                order_by=[F("published_at").desc(), F("pk").desc()],
            )
        )
        .filter(position__lte=per_question)
    )


def _newest_of(*halves: QuerySet[Contribution], limit: int) -> list[Contribution]:
    """The newest `limit` contributions of several newest-first slices, each once."""
    # Separate queries, not one with OR: PostgreSQL turns EXISTS under OR into a hash of
    # every matching row (tens of milliseconds at 50,000 contributions), while each part
    # alone walks the newest-first index and stops after `limit` rows. The tags are
    # fetched once, for the rows kept, not for each half.
    unique = {
        contribution.pk: contribution
        for half in halves
        for contribution in half.prefetch_related(None)
    }
    ordered = sorted(
        unique.values(), key=lambda c: (c.published_at, c.created_at, c.pk), reverse=True
    )[:limit]
    prefetch_related_objects(ordered, "tags")
    return ordered


def contributions_for_list(
    *,
    user,
    query: str = "",
    focus_area: FocusArea | None = None,
    tag: Tag | None = None,
    circle=None,
    author=None,
    period: StrategyPeriod | None = None,
    mine: bool = False,
) -> QuerySet[Contribution]:
    """The contributions the user may see, filtered; published ones only, except the
    user's own drafts when `mine`."""
    contributions = Contribution.objects.visible_to(user)
    if mine:
        contributions = contributions.filter(author_id=user.pk)
    else:
        contributions = contributions.filter(status=Contribution.Status.PUBLISHED)
    if focus_area is not None:
        contributions = contributions.in_focus_area(focus_area)
    if period is not None:
        contributions = contributions.in_focus_areas(period.focus_areas.all())
    if tag is not None:
        contributions = contributions.with_tag(tag)
    if circle is not None:
        contributions = contributions.filter(
            Q(circle=circle) | Q(author__circle_memberships__circle=circle)
        ).distinct()
    if author is not None:
        contributions = contributions.filter(author=author)
    if query:
        contributions = contributions.search(query)
    return contributions.for_rows()


def contribution_for_user(*, user, contribution_id: int) -> Contribution | None:
    """The contribution if the user may see it, else None (a 404 for the view)."""
    return (
        Contribution.objects.visible_to(user)
        .select_related("author__municipality", "guiding_question__focus_area", "circle")
        .prefetch_related("tags")
        .filter(pk=contribution_id)
        .first()
    )


def contribution_comments(*, contribution: Contribution, user) -> list[Comment]:
    """The comments everyone sees, plus hidden ones for their author and the board."""
    from members.permissions import is_board

    comments = contribution.comments.select_related("author")
    if not is_board(user):
        comments = comments.filter(Q(hidden_at__isnull=True) | Q(author_id=user.pk))
    return list(comments)


def contribution_focus_areas(*, contribution: Contribution) -> list[FocusArea]:
    """The focus areas the contribution appears under (see in_focus_area)."""
    condition = Q(tags__in=[tag.pk for tag in contribution.tags.all()])
    if contribution.guiding_question:
        condition |= Q(pk=contribution.guiding_question.focus_area_id)
    return list(FocusArea.objects.filter(condition).select_related("period").distinct())


def tag_suggestions(*, query: str = "", limit: int = 15) -> tuple[list[FocusArea], list[Tag]]:
    """The current focus areas with their tags (those are offered first), then other
    existing tags whose name contains the query."""
    query = query.strip()
    areas = current_focus_areas()
    area_tags = Prefetch(
        "tags",
        queryset=Tag.objects.filter(name__icontains=query) if query else Tag.objects.all(),
        to_attr="matching_tags",
    )
    areas = list(
        FocusArea.objects.filter(pk__in=[a.pk for a in areas])
        .order_by("number")
        .prefetch_related(area_tags)
    )
    if not query:
        return areas, []
    owned = {tag.pk for area in areas for tag in area.matching_tags}
    free = list(
        Tag.objects.filter(name__icontains=query).exclude(pk__in=owned).order_by("name")[:limit]
    )
    return areas, free


def tag_overview(*, tag: Tag, user) -> dict:
    """Everything carrying the tag that the user may see: focus areas and contributions."""
    return {
        "focus_areas": list(tag.focus_areas.select_related("period").order_by("-period", "number")),
        "contributions": Contribution.objects.visible_to(user).published().with_tag(tag).for_rows(),
    }


def _shown_to_follower(member) -> QuerySet[Contribution]:
    return Contribution.objects.visible_to(member).published().exclude(author_id=member.pk)


def contributions_followed_by(*, member) -> QuerySet[Contribution]:
    """Published contributions the member may see, under a focus area or carrying a tag
    they follow, not their own; newest first."""
    return _shown_to_follower(member).followed_by(Followed.of(member)).for_list()


def newest_followed_by(
    *, member, followed: Followed | None = None, limit: int = 8
) -> list[Contribution]:
    """The newest published contributions the member may see in what they follow
    (`followed`, Followed.of(member) if not given), not their own; at most four queries
    at any size, one when they follow nothing."""
    followed = Followed.of(member) if followed is None else followed
    shown = _shown_to_follower(member)
    halves = []
    if followed.tag_ids:
        halves.append(shown.tagged_as_followed(followed).for_rows()[:limit])
    if followed.focus_area_ids:
        halves.append(shown.answering_areas_followed(followed).for_rows()[:limit])
    return _newest_of(*halves, limit=limit)


def member_follows(*, member) -> dict:
    """What the member follows and how they want to hear about it."""
    setting = NotificationSetting.objects.filter(member=member).first()
    return {
        "frequency": setting.frequency if setting else NotificationSetting.Frequency.WEEKLY,
        "focus_area_ids": set(
            FocusAreaFollow.objects.filter(member=member).values_list("focus_area_id", flat=True)
        ),
        "tags": list(Tag.objects.filter(follows__member=member).order_by("name")),
    }


def revisions_of(*, focus_area: FocusArea) -> list[FocusAreaRevision]:
    """The focus area's revisions, newest first, with their authors."""
    return list(focus_area.revisions.select_related("author", "restored_from").order_by("-number"))


@dataclass
class FieldDiff:
    label: str
    lines: list[DiffLine]


def _as_lines(snapshot: dict, field: str) -> list[str]:
    value = snapshot.get(field, "")
    if field == "questions":
        return [question["text"] for question in value]
    if field == "tags":
        return list(value)
    return str(value).splitlines()


def revision_diff(
    *, older: FocusAreaRevision, newer: FocusAreaRevision, labels: dict
) -> list[FieldDiff]:
    """Readable differences (core/diff.py: lines, and words within changed lines), field
    by field, between two revisions (only fields that differ)."""
    diffs = []
    for field in ("title", "summary", "body", "questions", "tags"):
        lines = word_diff(_as_lines(older.snapshot, field), _as_lines(newer.snapshot, field))
        if lines:
            diffs.append(FieldDiff(labels[field], lines))
    return diffs


def focusareas_data_of_member(*, member) -> dict:
    """The member's contributions, comments, follows, focus-area revisions and what they
    hid (and why) for the GDPR export."""
    contributions = (
        Contribution.objects.filter(author=member)
        .select_related("circle", "guiding_question")
        .prefetch_related("tags")
    )
    comments = Comment.objects.filter(author=member).select_related("contribution")
    return {
        "contributions": [
            {
                "id": contribution.pk,
                "title": contribution.title,
                "body": contribution.body,
                "tags": sorted(tag.name for tag in contribution.tags.all()),
                "visibility": contribution.visibility,
                "circle": contribution.circle.name if contribution.circle else None,
                "guiding_question": (
                    contribution.guiding_question.text if contribution.guiding_question else None
                ),
                "status": contribution.status,
                "created_at": iso_or_none(contribution.created_at),
                "published_at": iso_or_none(contribution.published_at),
                "hidden_at": iso_or_none(contribution.hidden_at),
                "hidden_reason": contribution.hidden_reason,
            }
            for contribution in contributions
        ],
        "comments": [
            {
                "id": comment.pk,
                "contribution": comment.contribution.title,
                "body": comment.body,
                "created_at": iso_or_none(comment.created_at),
                "hidden_at": iso_or_none(comment.hidden_at),
            }
            for comment in comments
        ],
        "follows": {
            "focus_areas": list(
                FocusAreaFollow.objects.filter(member=member).values_list(
                    "focus_area__title", flat=True
                )
            ),
            "tags": list(
                TagFollow.objects.filter(member=member).values_list("tag__name", flat=True)
            ),
            "notifications": member_follows(member=member)["frequency"],
        },
        "focus_area_revisions": [
            {
                "focus_area": revision.focus_area.title,
                "number": revision.number,
                "changed_at": iso_or_none(revision.created_at),
                "note": revision.note,
                "content": revision.snapshot,
            }
            for revision in FocusAreaRevision.objects.filter(author=member)
            .select_related("focus_area")
            .order_by("created_at", "pk")
        ],
        # What others wrote is theirs: the export names it and keeps the member's reason.
        "hidden_by_member": {
            "contributions": [
                {
                    "id": contribution.pk,
                    "title": contribution.title,
                    "hidden_at": iso_or_none(contribution.hidden_at),
                    "reason": contribution.hidden_reason,
                }
                for contribution in Contribution.objects.filter(hidden_by=member).order_by(
                    "hidden_at", "pk"
                )
            ],
            "comments": [
                {
                    "id": comment.pk,
                    "contribution": comment.contribution.title,
                    "hidden_at": iso_or_none(comment.hidden_at),
                    "reason": comment.hidden_reason,
                }
                for comment in Comment.objects.filter(hidden_by=member)
                .select_related("contribution")
                .order_by("hidden_at", "pk")
            ],
        },
    }
