"""What members tells the apps above it; they listen in their AppConfig.ready()."""

from django.dispatch import Signal

# A member stopped being an active member (marked former, anonymised or erased); sent
# inside the transaction of the change, with `member`. Listeners give up what the member
# held: seats at meetings, planned reminders.
member_left = Signal()
