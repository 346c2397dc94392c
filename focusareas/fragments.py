"""A contribution's row in every list (the contribution list, a focus area's and a tag's
page, the member's overview) is one fragment, cached by exactly the values it shows
(core/fragments.py): a new comment, an edit, a hidden contribution, an author's new name
or a renamed tag gives the row a new key, and no other row is rendered again."""

from collections.abc import Iterable

from django.utils.safestring import SafeString

from core.fragments import cached_fragments, render_each

from .models import Contribution


def _shown(contribution: Contribution, heading_level: int) -> tuple:
    """Everything _contribution_item.html shows of the contribution (from for_list())."""
    author = contribution.author
    question = contribution.guiding_question
    circle = contribution.circle
    return (
        heading_level,
        contribution.pk,
        contribution.title,
        contribution.published_at,
        contribution.comment_count,
        contribution.status,
        contribution.visibility,
        circle.name if circle else None,
        contribution.hidden_at is not None,
        question.text if question else None,
        author and (author.pk, author.get_full_name(), author.email),
        tuple((tag.slug, tag.name) for tag in contribution.tags.all()),
    )


def contribution_items(
    contributions: Iterable[Contribution], *, heading_level: int = 3
) -> SafeString:
    """The `<li>` rows of the contributions (from Contribution.objects.for_list()), each
    from the cache where its values are stored, the others rendered in one pass."""
    items = cached_fragments(
        list(contributions),
        name="contribution-item",
        version=lambda contribution: _shown(contribution, heading_level),
        render=render_each(
            "focusareas/_contribution_item.html",
            as_name="contribution",
            heading_level=str(heading_level),
        ),
    )
    return SafeString("".join(items))  # nosec B703 - joined fragments, each already safe
