"""The GDPR registry: every app that holds a member's personal data registers how to
export and how to erase it (in its AppConfig.ready()); members imports no app above it."""

from collections.abc import Iterable
from typing import Protocol

from django.db import models as db_models

from .models import Member

# What members' own export (selectors.member_data_export) and erasure
# (services.member_anonymise) cover, besides the registered parts: its own tables, allauth's,
# the admin's log, the outbox and the sessions.
MEMBERS_MODELS: tuple[str, ...] = (
    "members.Member",
    "members.Member_groups",
    "members.Member_user_permissions",
    "members.Invitation",
    "members.MunicipalityChangeRequest",
    "account.EmailAddress",
    "mfa.Authenticator",
    "admin.LogEntry",
    "core.OutgoingMail",
    "sessions.Session",
)


class PersonalData(Protocol):
    # The models ("app_label.ModelName") whose rows about a member this part exports or erases.
    models: tuple[str, ...]

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


def covered_models() -> set[str]:
    """The labels of every model some exporter or eraser covers: members' own and every
    registered part's."""
    covered = set(MEMBERS_MODELS)
    for _name, data in registered():
        covered.update(getattr(data, "models", ()))
    return covered


def holds_personal_data(model: type[db_models.Model]) -> bool:
    """Whether the model relates to a member (a foreign key, one-to-one or many-to-many to
    the user model) or has a field holding an email address."""
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # a reverse relation: the other model holds the key
        if field.is_relation and field.related_model is Member:
            return True
        if isinstance(field, db_models.EmailField):
            return True
        if isinstance(field, db_models.CharField | db_models.TextField) and field.name.endswith(
            ("email", "address")
        ):
            return True
    return False


def uncovered_models(models: Iterable[type[db_models.Model]]) -> list[str]:
    """The labels of the models that hold personal data but that no exporter or eraser
    covers. A proxy model's rows are its concrete model's, covered with it."""
    covered = covered_models()
    return sorted(
        model._meta.label
        for model in models
        if holds_personal_data(model) and model._meta.concrete_model._meta.label not in covered
    )
