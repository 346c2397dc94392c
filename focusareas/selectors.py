"""Reads for focus areas and contributions."""


def focusareas_data_of_member(*, member) -> dict:
    """The member's contributions, comments and follows for the GDPR export."""
    return {"contributions": [], "comments": [], "follows": []}
