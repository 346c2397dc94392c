"""Strategy periods, focus areas and their guiding questions and revisions; members'
contributions and comments; follows and the bookkeeping that keeps mails single."""

from .areas import FocusArea, FocusAreaRevision, GuidingQuestion, GuidingQuestionQuerySet
from .contributions import Comment, CommentQuerySet, Contribution, ContributionQuerySet
from .deliveries import ContributionMailDelivery, DigestDelivery
from .follows import FocusAreaFollow, Followed, NotificationSetting, TagFollow
from .pages import Page
from .periods import StrategyPeriod, StrategyPeriodQuerySet

__all__ = [
    "Comment",
    "CommentQuerySet",
    "Contribution",
    "ContributionMailDelivery",
    "ContributionQuerySet",
    "DigestDelivery",
    "FocusArea",
    "FocusAreaFollow",
    "FocusAreaRevision",
    "Followed",
    "GuidingQuestion",
    "GuidingQuestionQuerySet",
    "NotificationSetting",
    "Page",
    "StrategyPeriod",
    "StrategyPeriodQuerySet",
    "TagFollow",
]
