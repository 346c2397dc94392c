"""What members tells the apps above it; they listen in their AppConfig.ready()."""

from django.dispatch import Signal

# A member stopped being an active member (marked former, anonymised or erased); sent
# inside the transaction of the change, with `member`. Listeners give up what the member
# held: seats at meetings, planned reminders.
member_left = Signal()

# The member's municipality was set or changed (at signup, by staff in the admin, or by
# an approved request), with `member`, `from_municipality` (None at first placement),
# `to_municipality` and `decided_by` (who approved it, if anyone); sent inside the
# transaction of the change. Circles listens: the member moves to their home circle.
member_municipality_changed = Signal()

# A deputy was linked to the member they stand in for (at the deputy's signup), with
# `deputy` and `member`; sent inside the transaction. Circles listens: the deputy gets
# the member's circle memberships.
deputy_linked = Signal()
