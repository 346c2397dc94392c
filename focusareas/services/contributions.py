"""Writes for contributions and comments: saving, publishing, deleting and hiding."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.outbox import Priority, mail_queue
from members.models import Member
from members.permissions import is_active_member

from ..mails import hidden_notice_mail
from ..models import Comment, Contribution, GuidingQuestion
from .areas import tags_from_names
from .notifications import _followers_notify


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


def contribution_withdraw(*, contribution: Contribution) -> Contribution:
    """Take a published contribution back to a draft, which only its author sees; its
    comments stay with it and come back when it is published again."""
    contribution.status = Contribution.Status.DRAFT
    contribution.save(update_fields=["status", "updated_at"])
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
    notify = author is not None and is_active_member(author)
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
