"""Members' contributions and comments, with the querysets that decide who sees them."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from .areas import FocusArea, GuidingQuestion
from .follows import Followed


def _tag_ids_of_areas(**area_filter):
    # The areas' tag ids straight from the link table, not through a join to the tags:
    # a subquery PostgreSQL plans in a fraction of the time.
    return FocusArea.tags.through.objects.filter(**area_filter).values("tag_id")


class ContributionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Contribution.Status.PUBLISHED, hidden_at__isnull=True)

    def visible_to(self, user):
        """THE rule for who sees a contribution: the author always; others only when it is
        published and not hidden, to everyone, to the circle it was shared with, or to the
        board (the board also sees hidden ones, to review them)."""
        from circles.models import CircleMembership
        from members.permissions import is_active_member, is_board

        if user is None or not user.is_authenticated or not is_active_member(user):
            return self.none()
        board = is_board(user)
        in_circle = Exists(
            CircleMembership.objects.filter(member_id=user.pk, circle_id=OuterRef("circle_id"))
        )
        audience = Q(visibility=Contribution.Visibility.MEMBERS) | (
            Q(visibility=Contribution.Visibility.CIRCLE) & in_circle
        )
        if board:
            audience |= Q(visibility=Contribution.Visibility.BOARD)
        shown = Q(status=Contribution.Status.PUBLISHED)
        if not board:
            shown &= Q(hidden_at__isnull=True)
        return self.filter(Q(author_id=user.pk) | (shown & audience))

    def _tagged(self, *conditions, **tag_filter):
        from django.contrib.contenttypes.models import ContentType
        from taggit.models import TaggedItem

        # The content type by id (ContentType's own cache), not joined by name.
        content_type = ContentType.objects.get_for_model(self.model)
        return Exists(
            TaggedItem.objects.filter(
                *conditions, content_type_id=content_type.pk, object_id=OuterRef("pk"), **tag_filter
            )
        )

    def _under_area(self, focus_area) -> tuple[Exists, Q]:
        # The two ways a contribution is under a focus area: by its tags, or by the
        # guiding question it answers. Pages ask for them apart (see selectors._newest_of).
        return (
            self._tagged(tag_id__in=_tag_ids_of_areas(focusarea_id=focus_area.pk)),
            Q(guiding_question__focus_area=focus_area),
        )

    def in_focus_area(self, focus_area):
        """Contributions under the focus area: carrying one of its tags, or answering one
        of its guiding questions."""
        tagged, answering = self._under_area(focus_area)
        return self.filter(tagged | answering)

    def tagged_in_focus_area(self, focus_area):
        """Contributions carrying one of the focus area's tags."""
        return self.filter(self._under_area(focus_area)[0])

    def answering_questions_of(self, focus_area):
        """Contributions answering one of the focus area's guiding questions."""
        return self.filter(self._under_area(focus_area)[1])

    def in_focus_areas(self, focus_areas):
        """Contributions under any of these focus areas (see in_focus_area)."""
        return self.filter(
            self._tagged(tag_id__in=_tag_ids_of_areas(focusarea_id__in=focus_areas))
            | Q(guiding_question__focus_area__in=focus_areas)
        )

    def _followed(self, followed: Followed) -> tuple[Q, Q]:
        # What a member follows, the same two ways, from the ids of what they follow
        # (Followed.of): a tag they follow or a tag of a focus area they follow, or a
        # guiding question of a focus area they follow. Plain id lists keep the query
        # free of the follow tables' joins, which took PostgreSQL longer to plan than
        # the query took to run.
        nothing = Q(pk__in=[])
        tagged = self._tagged(tag_id__in=sorted(followed.tag_ids)) if followed.tag_ids else nothing
        answering = (
            Q(guiding_question__focus_area_id__in=sorted(followed.focus_area_ids))
            if followed.focus_area_ids
            else nothing
        )
        return Q(tagged), answering

    def followed_by(self, followed: Followed):
        """Contributions under a focus area or carrying a tag the member follows."""
        tagged, answering = self._followed(followed)
        return self.filter(tagged | answering)

    def tagged_as_followed(self, followed: Followed):
        """Contributions carrying a tag the member follows, or a tag of a focus area they
        follow."""
        return self.filter(self._followed(followed)[0])

    def answering_areas_followed(self, followed: Followed):
        """Contributions answering a guiding question of a focus area the member follows."""
        return self.filter(self._followed(followed)[1])

    def with_tag(self, tag):
        return self.filter(self._tagged(tag=tag))

    def search(self, query: str):
        """Danish full-text search on title and body, the same hits on both databases
        (core/search.py): every word of the query, matched by its stem as a prefix."""
        from django.db import connection
        from django.db.models import BooleanField
        from django.db.models.expressions import RawSQL

        from core import search

        words = search.query_words(query)
        if not words:
            # Nothing searchable (empty, or stop words only): no filter for an empty box,
            # no hits for "og i at", as PostgreSQL's empty tsquery gives.
            return self if not query.strip() else self.none()
        if connection.vendor == "postgresql":
            table = self.model._meta.db_table
            # A bound parameter; the expression matches the GIN index (migration 0003) exactly.
            return self.filter(
                RawSQL(  # noqa: S611  # nosec B611 - the query is a bound parameter
                    f"to_tsvector('danish', {table}.title || ' ' || {table}.body) "
                    "@@ to_tsquery('danish', %s)",
                    [search.postgresql_prefix_query(words)],
                    output_field=BooleanField(),
                )
            )
        # The FTS5 table of stems kept by triggers (migration 0006).
        return self.filter(
            pk__in=RawSQL(  # nosec B611 - the query is a bound parameter
                "SELECT rowid FROM focusareas_contribution_search WHERE stems MATCH %s",
                [search.sqlite_prefix_query(words)],
            )
        )

    def for_list(self):
        """With everything a list row shows, in a fixed number of queries."""
        # A correlated subquery, not Count() over a join: PostgreSQL then counts the
        # comments of the rows on the page only, instead of grouping every visible
        # contribution with all its comments before the LIMIT (seconds at 50,000).
        visible_comment_count = (
            Comment.objects.filter(contribution=OuterRef("pk"), hidden_at__isnull=True)
            .order_by()
            .values("contribution")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return (
            self.select_related("author__municipality", "guiding_question__focus_area", "circle")
            .prefetch_related("tags")
            .annotate(comment_count=Coalesce(Subquery(visible_comment_count), 0))
            .order_by("-published_at", "-created_at", "-pk")
        )

    def for_rows(self):
        """for_list() with only the columns a list row shows (focusareas/fragments.py):
        no bodies, no author's profile, which would cost more to load than the row."""
        return self.for_list().only(
            "pk",
            "title",
            "status",
            "visibility",
            "published_at",
            "created_at",
            "hidden_at",
            "author_id",
            "circle_id",
            "guiding_question_id",
            "author__id",
            "author__first_name",
            "author__last_name",
            "author__email",
            "author__anonymised_at",
            "author__municipality__id",
            "author__municipality__name",
            "circle__id",
            "circle__name",
            "guiding_question__id",
            "guiding_question__text",
            "guiding_question__focus_area__id",
            "guiding_question__focus_area__title",
        )


class Contribution(models.Model):
    """A member's shared experience on the focus areas."""

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("All members")
        CIRCLE = "circle", _("Only my circle")
        BOARD = "board", _("Only the board")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), max_length=20000)
    guiding_question = models.ForeignKey(
        GuidingQuestion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("guiding question it answers"),
    )
    tags = TaggableManager(_("tags"), blank=True)
    visibility = models.CharField(
        _("who can see it"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    circle = models.ForeignKey(
        "circles.Circle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("circle"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True, max_length=2000)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    # Set when the author has been told about the hiding, so a repeated task mails once.
    hidden_notice_sent_at = models.DateTimeField(
        _("author told of hiding at"), null=True, blank=True, editable=False
    )
    # The one-time token of the form that created it: a second post of that form (a double
    # click, a resent request) finds this contribution instead of making another.
    submission_token = models.CharField(
        _("submission token"), max_length=64, blank=True, default="", editable=False
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [
            models.Index(fields=["status", "hidden_at", "published_at"]),
            models.Index(fields=["author", "status"]),
            # The lists' order: PostgreSQL walks it and stops after one page, instead of
            # joining and sorting every visible contribution.
            models.Index(
                fields=["-published_at", "-created_at", "-id"], name="contribution_newest_first"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility="circle") | Q(circle__isnull=False),
                name="circle_contribution_has_a_circle",
            ),
            models.UniqueConstraint(
                fields=["author", "submission_token"],
                condition=~Q(submission_token=""),
                name="contribution_submitted_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("focusareas:contribution_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_restricted(self) -> bool:
        """Shared with fewer than all members: mails carry its title and link, never its text."""
        return self.visibility != self.Visibility.MEMBERS


class CommentQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(hidden_at__isnull=True)


class Comment(models.Model):
    contribution = models.ForeignKey(
        Contribution,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("contribution"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contribution_comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment (Markdown)"), max_length=5000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True, max_length=2000)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]
