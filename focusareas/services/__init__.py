"""Writes for focus areas and contributions. Views, admin, tasks and commands call these."""

import logging

from .areas import (
    QuestionInput,
    focusarea_restore_revision,
    focusarea_revision_record,
    focusarea_snapshot,
    focusarea_update,
    strategy_period_open,
    tags_from_names,
)
from .contributions import (
    ContributionError,
    comment_create,
    comment_delete,
    comment_hide,
    comment_unhide,
    comment_update,
    contribution_create,
    contribution_delete,
    contribution_hide,
    contribution_publish,
    contribution_unhide,
    contribution_update,
)
from .gdpr import contributions_of_erased_member
from .notifications import (
    COPENHAGEN,
    contribution_follower_mails,
    digest_recipients,
    digest_send_weekly,
    focusarea_follow,
    iso_week_of,
    notification_settings_update,
    tag_follow,
)

logger = logging.getLogger(__name__)

__all__ = [
    "COPENHAGEN",
    "ContributionError",
    "QuestionInput",
    "comment_create",
    "comment_delete",
    "comment_hide",
    "comment_unhide",
    "comment_update",
    "contribution_create",
    "contribution_delete",
    "contribution_follower_mails",
    "contribution_hide",
    "contribution_publish",
    "contribution_unhide",
    "contribution_update",
    "contributions_of_erased_member",
    "digest_recipients",
    "digest_send_weekly",
    "focusarea_follow",
    "focusarea_restore_revision",
    "focusarea_revision_record",
    "focusarea_snapshot",
    "focusarea_update",
    "iso_week_of",
    "notification_settings_update",
    "strategy_period_open",
    "tag_follow",
    "tags_from_names",
]
