from datetime import timedelta

import pytest
from django.utils import timezone

from assemblies.models import AgendaItem, Candidacy, Motion
from assemblies.selectors import preparation_data_of_member
from assemblies.services import preparation_member_forget
from tests.assemblies.factories import CandidacyFactory, MotionFactory, item_of, schedule_assembly

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_members_motions_and_candidacies(assembly, member):
    MotionFactory(assembly=assembly, proposer=member, title="Mentorordning")
    CandidacyFactory(
        item=item_of(assembly, AgendaItem.Kind.BOARD_ELECTION), member=member, statement="Valg"
    )
    MotionFactory(assembly=assembly, title="En andens")
    data = preparation_data_of_member(member=member)
    assert [m["title"] for m in data["assembly_motions"]] == ["Mentorordning"]
    assert [c["statement"] for c in data["assembly_candidacies"]] == ["Valg"]


def test_erasure_keeping_contributions_anonymises_the_motions(assembly, member):
    motion = MotionFactory(assembly=assembly, proposer=member)
    preparation_member_forget(member=member, keep_contributions=True)
    motion.refresh_from_db()
    assert motion.proposer is None


def test_erasure_deleting_contributions_deletes_the_motions(assembly, member):
    MotionFactory(assembly=assembly, proposer=member)
    other = MotionFactory(assembly=assembly)
    preparation_member_forget(member=member, keep_contributions=False)
    assert list(Motion.objects.all()) == [other]


def test_erasure_deletes_candidacies_ahead_and_keeps_those_of_an_assembly_held(assembly, member):
    ahead = CandidacyFactory(item=item_of(assembly, AgendaItem.Kind.BOARD_ELECTION), member=member)
    held = schedule_assembly(starts_at=timezone.now() - timedelta(days=300))
    past = CandidacyFactory(
        item=item_of(held, AgendaItem.Kind.BOARD_ELECTION), member=member, statement="Mig"
    )
    preparation_member_forget(member=member, keep_contributions=True)
    assert not Candidacy.objects.filter(pk=ahead.pk).exists()
    past.refresh_from_db()
    assert past.statement == ""
