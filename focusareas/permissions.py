"""Who may do what with focus areas, contributions and comments, as rules predicates.

Whether a contribution may be *seen* is decided by Contribution.objects.visible_to;
a contribution the user may not see is a 404 before any of these is asked."""

import rules

from members.permissions import is_active_member, is_board


@rules.predicate
def is_author(user, obj) -> bool:
    """The user wrote the contribution or comment."""
    return obj is not None and obj.author_id is not None and obj.author_id == user.pk


rules.add_perm("focusareas.view_contribution", is_active_member)
rules.add_perm("focusareas.add_contribution", is_active_member)
rules.add_perm("focusareas.change_contribution", is_active_member & is_author)
rules.add_perm("focusareas.delete_contribution", is_active_member & is_author)
rules.add_perm("focusareas.hide_contribution", is_active_member & is_board)
rules.add_perm("focusareas.add_comment", is_active_member)
rules.add_perm("focusareas.change_comment", is_active_member & is_author)
rules.add_perm("focusareas.delete_comment", is_active_member & is_author)
rules.add_perm("focusareas.hide_comment", is_active_member & is_board)
rules.add_perm("focusareas.change_focusarea", is_active_member & is_board)
rules.add_perm("focusareas.follow", is_active_member)
