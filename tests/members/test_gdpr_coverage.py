"""Every model that holds a member's data is covered by an exporter or an eraser of the
GDPR registry (members.gdpr): a new model with a key to Member, or with an address, fails
here until the app that owns it declares it in its registered part."""

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from members import gdpr
from members.models import Member


def test_every_model_holding_a_members_data_is_covered_by_the_registry():
    assert gdpr.uncovered_models(apps.get_models(include_auto_created=True)) == []


def test_the_walk_sees_the_models_it_must():
    """The walk finds keys to the member (foreign key, one-to-one, many-to-many) and
    addresses, in this project's apps and in allauth's, the admin's and core's."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.admin.models import LogEntry

    from core.models import OutgoingMail
    from members.models import Invitation

    for model in (EmailAddress, Authenticator, LogEntry, OutgoingMail, Invitation):
        assert gdpr.holds_personal_data(model), model
    assert not gdpr.holds_personal_data(apps.get_model("members", "Region"))


def test_every_declared_model_exists():
    """A declaration that names no installed model covers nothing (a typo, or a model gone)."""
    installed = {model._meta.label for model in apps.get_models(include_auto_created=True)}
    assert gdpr.covered_models() - installed == set()


@isolate_apps("members")
def test_a_model_with_a_key_to_the_member_fails_until_it_is_registered():
    class Badge(models.Model):  # noqa: DJ008
        holder = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "members"

    class Mentor(models.Model):  # noqa: DJ008
        mentee = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "members"

    class Team(models.Model):  # noqa: DJ008
        people = models.ManyToManyField(Member, related_name="+")

        class Meta:
            app_label = "members"

    class Newsletter(models.Model):  # noqa: DJ008
        subscriber_address = models.CharField(max_length=254)

        class Meta:
            app_label = "members"

    synthetic = [*apps.get_models(include_auto_created=True), Badge, Mentor, Team, Newsletter]
    assert gdpr.uncovered_models(synthetic) == [
        "members.Badge",
        "members.Mentor",
        "members.Newsletter",
        "members.Team",
    ]

    class BadgesPersonalData:
        models = ("members.Badge", "members.Mentor", "members.Team", "members.Newsletter")

        def export(self, member):
            return {}

        def erase(self, member, *, keep_contributions):
            pass

    before = dict(gdpr._registry)
    try:
        gdpr.register("badges", BadgesPersonalData())
        assert gdpr.uncovered_models(synthetic) == []
    finally:
        gdpr._registry.clear()
        gdpr._registry.update(before)
