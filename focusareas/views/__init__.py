"""The focus areas' pages: focus areas, contributions and comments, tags, and notifications."""

from .areas import (
    REVISION_FIELD_LABELS,
    focusarea_detail,
    focusarea_edit,
    focusarea_follow,
    focusarea_history,
    focusarea_list,
    focusarea_restore,
    strategy_period_create,
)
from .contributions import (
    CONTRIBUTIONS_PAGE_SIZE,
    comment_create,
    comment_delete,
    comment_edit,
    comment_hide,
    contribution_create,
    contribution_delete,
    contribution_detail,
    contribution_edit,
    contribution_hide,
    contribution_list,
    contribution_withdraw,
    tag_suggestions,
)
from .notifications import notification_settings
from .tags import tag_detail, tag_follow

__all__ = [
    "CONTRIBUTIONS_PAGE_SIZE",
    "REVISION_FIELD_LABELS",
    "comment_create",
    "comment_delete",
    "comment_edit",
    "comment_hide",
    "contribution_create",
    "contribution_delete",
    "contribution_detail",
    "contribution_edit",
    "contribution_hide",
    "contribution_list",
    "contribution_withdraw",
    "focusarea_detail",
    "focusarea_edit",
    "focusarea_follow",
    "focusarea_history",
    "focusarea_list",
    "focusarea_restore",
    "notification_settings",
    "strategy_period_create",
    "tag_detail",
    "tag_follow",
    "tag_suggestions",
]
