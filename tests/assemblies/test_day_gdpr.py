"""The day's part of a member's data export and erasure."""

import pytest

from assemblies import services
from assemblies.models import Attendance, Election, MinutesVersion, Proxy
from assemblies.selectors import day_data_of_member
from tests.assemblies.day_factories import (
    check_in,
    give_proxy,
    make_assembly,
    make_item,
    member_of,
    municipalities,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _preparation_part(monkeypatch):
    """assemblies.gdpr calls the preparation's part too (written with the preparation);
    where it is not there yet, it has nothing to export or erase."""
    from assemblies import selectors, services

    if not hasattr(selectors, "preparation_data_of_member"):
        monkeypatch.setattr(
            selectors, "preparation_data_of_member", lambda **kwargs: {}, raising=False
        )
    if not hasattr(services, "preparation_member_forget"):
        monkeypatch.setattr(
            services, "preparation_member_forget", lambda **kwargs: None, raising=False
        )


@pytest.fixture
def history():
    people = [member_of(place) for place in municipalities(3)]
    past, future = make_assembly(days_ahead=-300), make_assembly(days_ahead=20)
    for assembly in (past, future):
        give_proxy(assembly, people[0], people[1])
        give_proxy(assembly, people[2], people[0])
        check_in(assembly, people[0])
    decision = services.decision_record(item=make_item(past), actor=people[1], outcome="elected")
    services.election_record(decision=decision, role="board_member", member=people[0])
    services.minutes_save(assembly=past, text="Referat af Anne", actor=people[0])
    past.chair = people[0]
    past.save(update_fields=["chair"])
    return people, past, future


def test_the_export_holds_proxies_attendance_elections_and_versions(history):
    from members.gdpr import export

    people, past, _future = history
    data = day_data_of_member(member=people[0])
    assert export(people[0])["assembly_proxies_given"] == data["assembly_proxies_given"]
    assert len(data["assembly_proxies_given"]) == 2
    assert len(data["assembly_proxies_held"]) == 2
    assert len(data["assembly_attendance"]) == 2
    assert data["assembly_elections"][0]["role"]
    assert data["assembly_minutes_versions"][0]["text"] == "Referat af Anne"
    assert data["assemblies_chaired"] == [str(past)]


def test_erasure_keeps_the_past_record_and_forgets_the_future(history):
    from members.services import member_erase

    people, past, future = history
    name = people[0].get_full_name()
    member_erase(member=people[0], contributions="anonymise")
    # Past assemblies keep their record, pointing at a row that names no one.
    assert Proxy.objects.filter(assembly=past).count() == 2
    assert Attendance.objects.filter(assembly=past).count() == 1
    # Nothing of the future ones.
    assert not Proxy.objects.filter(assembly=future).exists()
    assert not Attendance.objects.filter(assembly=future).exists()
    election = Election.objects.get()
    assert election.member is None and election.name == name
    past.refresh_from_db()
    assert past.chair is None
    version = MinutesVersion.objects.get()
    assert version.author is None and version.text == "Referat af Anne"
