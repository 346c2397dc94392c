"""Writes for strategy periods, focus areas, their guiding questions and revisions, and tags."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from taggit.models import Tag

from core.text import danish_slugify
from members.models import Member

from ..models import FocusArea, FocusAreaRevision, GuidingQuestion, StrategyPeriod


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


@transaction.atomic
def tags_merge(*, tags: list[Tag], into_name: str) -> Tag:
    """Everything tagged with any of the tags is tagged with `into_name` (an existing tag,
    matched without regard to case, or a new one) instead, and whoever followed one of them
    follows that; the merged tags are deleted."""
    from taggit.models import TaggedItem

    from ..models import TagFollow

    (target,) = tags_from_names([into_name])
    for tag in tags:
        if tag.pk == target.pk:
            continue
        for item in TaggedItem.objects.filter(tag=tag).select_related(None):
            # Saved one by one, not updated in bulk: the caches hear of each change.
            if TaggedItem.objects.filter(
                tag=target, content_type_id=item.content_type_id, object_id=item.object_id
            ).exists():
                item.delete()
            else:
                item.tag = target
                item.save(update_fields=["tag"])
        following_target = TagFollow.objects.filter(tag=target).values("member_id")
        TagFollow.objects.filter(tag=tag).exclude(member_id__in=following_target).update(tag=target)
        tag.delete()
    return target


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
    base = danish_slugify(title)[:80] or "fokusomraade"
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
