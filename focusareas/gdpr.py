"""The focus areas' part in the GDPR export and erasure (registered with members.gdpr)."""


class FocusareasPersonalData:
    models = (
        "focusareas.FocusAreaRevision",
        "focusareas.Contribution",
        "focusareas.Comment",
        "focusareas.FocusAreaFollow",
        "focusareas.TagFollow",
        "focusareas.NotificationSetting",
        "focusareas.ContributionMailDelivery",
        "focusareas.DigestDelivery",
    )

    def export(self, member) -> dict:
        from .selectors import focusareas_data_of_member

        return focusareas_data_of_member(member=member)

    def erase(self, member, *, keep_contributions: bool) -> None:
        from .services import contributions_of_erased_member

        contributions_of_erased_member(member=member, delete=not keep_contributions)
