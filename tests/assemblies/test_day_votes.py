"""One vote per member municipality: who carries it, the totals and the quorum."""

import pytest

from assemblies.selectors import assembly_votes
from tests.assemblies.day_factories import (
    check_in,
    deputy_of,
    give_proxy,
    make_assembly,
    member_of,
    municipalities,
)

pytestmark = pytest.mark.django_db


def how(votes, municipality) -> str:
    return next(v.how for v in votes.municipalities if v.municipality == municipality)


@pytest.fixture
def three():
    """Three member municipalities with a member each."""
    places = municipalities(3)
    return places, [member_of(place) for place in places]


def test_two_present_from_one_municipality_are_one_vote(three):
    places, members = three
    assembly = make_assembly()
    colleague = member_of(places[0])
    check_in(assembly, members[0], colleague)
    votes = assembly_votes(assembly=assembly)
    assert votes.total == 3
    assert (votes.present, votes.represented, votes.votes) == (1, 0, 1)
    assert how(votes, places[0]) == "present"
    assert how(votes, places[1]) == "absent"


def test_a_present_deputy_carries_the_vote_of_the_absent_member(three):
    places, members = three
    assembly = make_assembly()
    deputy = deputy_of(members[1])
    check_in(assembly, deputy)
    votes = assembly_votes(assembly=assembly)
    assert how(votes, places[1]) == "deputy"
    vote = next(v for v in votes.municipalities if v.municipality == places[1])
    assert vote.carried_by == deputy
    assert (votes.present, votes.represented) == (0, 1)


def test_a_deputy_is_not_counted_unless_representing(three):
    _places, members = three
    assembly = make_assembly()
    deputy = deputy_of(members[0])
    check_in(assembly, members[0], deputy)
    votes = assembly_votes(assembly=assembly)
    # The member is present: the deputy adds nothing.
    assert (votes.present, votes.represented, votes.votes) == (1, 0, 1)
    # A deputy is no member municipality of their own either.
    assert votes.total == 3


def test_an_unlinked_deputy_carries_no_vote(three):
    _places, members = three
    assembly = make_assembly()
    deputy = deputy_of(members[0])
    deputy.deputy_for = None
    deputy.save(update_fields=["deputy_for"])
    check_in(assembly, deputy)
    assert assembly_votes(assembly=assembly).votes == 0


def test_a_proxy_carries_the_vote_when_its_holder_is_present(three):
    places, members = three
    assembly = make_assembly()
    give_proxy(assembly, members[2], members[0])
    assert how(assembly_votes(assembly=assembly), places[2]) == "absent"
    check_in(assembly, members[0])
    votes = assembly_votes(assembly=assembly)
    assert how(votes, places[2]) == "proxy"
    assert (votes.present, votes.represented, votes.votes) == (1, 1, 2)


def test_a_withdrawn_proxy_carries_nothing(three):
    from django.utils import timezone

    places, members = three
    assembly = make_assembly()
    proxy = give_proxy(assembly, members[2], members[0])
    proxy.withdrawn_at = timezone.now()
    proxy.save()
    check_in(assembly, members[0])
    assert how(assembly_votes(assembly=assembly), places[2]) == "absent"


def test_the_quorum(three):
    _places, members = three
    assembly = make_assembly(quorum=2)
    check_in(assembly, members[0])
    assert not assembly_votes(assembly=assembly).quorum_met
    give_proxy(assembly, members[1], members[0])
    assert assembly_votes(assembly=assembly).quorum_met


def test_no_quorum_set_is_always_met(three):
    assert assembly_votes(assembly=make_assembly(quorum=None)).quorum_met


def test_the_count_takes_three_queries_however_many_attend(django_assert_num_queries):
    places = municipalities(12)
    assembly = make_assembly()
    members = [member_of(place) for place in places]
    check_in(assembly, *members[:4], *[deputy_of(m) for m in members[4:8]])
    for giver in members[8:]:
        give_proxy(assembly, giver, members[0])
    with django_assert_num_queries(3):
        votes = assembly_votes(assembly=assembly)
    assert (votes.present, votes.represented) == (4, 8)
