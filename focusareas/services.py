"""Writes for focus areas and contributions."""


def contributions_of_erased_member(*, member, delete: bool) -> None:
    """Delete or anonymise what an erased member wrote (contributions arrive with the
    focus-area issue; until then there is nothing to do)."""
    return None
