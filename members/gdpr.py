"""The GDPR registry: every app that holds a member's personal data registers how to
export and how to erase it (in its AppConfig.ready()); members imports no app above it."""

from typing import Protocol

from .models import Member


class PersonalData(Protocol):
    def export(self, member: Member) -> dict:
        """The app's data of the member, as JSON-ready sections of the export."""

    def erase(self, member: Member, *, keep_contributions: bool) -> None:
        """Remove what the app holds of the member (called inside the erasure's transaction,
        after the member's row is anonymised and marked former)."""


_registry: dict[str, PersonalData] = {}


def register(name: str, data: PersonalData) -> None:
    """Take part in every export and erasure under `name` (registering again replaces)."""
    _registry[name] = data


def registered() -> list[tuple[str, PersonalData]]:
    """The registered owners of personal data, in the order they registered."""
    return list(_registry.items())


def export(member: Member) -> dict:
    """The sections every registered app exports for the member."""
    sections: dict = {}
    for _name, data in registered():
        sections.update(data.export(member))
    return sections


def erase(member: Member, *, keep_contributions: bool) -> None:
    """Let every registered app erase what it holds of the member."""
    for _name, data in registered():
        data.erase(member, keep_contributions=keep_contributions)
