"""The attendance register on the day: who may use it, checking in and undoing."""

import pytest
from django.urls import reverse

from assemblies import services
from assemblies.models import Attendance
from tests.assemblies.day_factories import (
    check_in,
    deputy_of,
    give_proxy,
    make_assembly,
    member_of,
    municipalities,
)
from tests.conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture
def assembly():
    return make_assembly()


@pytest.fixture
def people():
    return [member_of(place) for place in municipalities(3)]


def register(assembly) -> str:
    return reverse("assemblies:attendance", args=[assembly.event.pk])


def test_the_board_sees_the_register_a_member_does_not_a_visitor_logs_in(
    client, assembly, board_member, member
):
    url = register(assembly)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    login(client, member)
    assert client.get(url).status_code == 404
    login(client, board_member, mfa=True)
    assert client.get(url).status_code == 200


def test_the_chair_sees_the_register(client, people):
    chair = people[0]
    assembly = make_assembly(chair=chair)
    login(client, chair)
    assert client.get(register(assembly)).status_code == 200


def test_the_register_shows_each_persons_state(client, assembly, board_member, people):
    deputy = deputy_of(people[1])
    check_in(assembly, people[0], deputy)
    give_proxy(assembly, people[2], people[0])
    login(client, board_member, mfa=True)
    response = client.get(register(assembly))
    rows = {row.person.pk: row.status for row in response.context["rows"]}
    assert rows[people[0].pk] == "present"
    assert rows[people[1].pk] == "deputy"
    assert rows[deputy.pk] == "present"
    assert rows[people[2].pk] == "proxy"
    page = response.content.decode()
    assert "Repræsenteret ved fuldmagt" in page
    votes = response.context["votes"]
    assert (votes.present, votes.represented) == (1, 2)


def test_the_search_narrows_the_register(client, assembly, board_member, people):
    wanted = member_of(people[0].municipality, last_name="Zyxwvut")
    login(client, board_member, mfa=True)
    response = client.get(register(assembly), {"q": "zyxwv"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert [row.person for row in response.context["rows"]] == [wanted]
    assert "<html" not in response.content.decode()


def test_checking_in_and_undoing(client, assembly, board_member, people):
    login(client, board_member, mfa=True)
    url = reverse("assemblies:attendance_check_in", args=[assembly.event.pk, people[0].pk])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert Attendance.objects.get(assembly=assembly, member=people[0]).checked_in_by == board_member
    page = response.content.decode()
    assert f'id="person-{people[0].pk}"' in page and 'id="vote-summary"' in page
    # Twice is once.
    assert client.post(url).status_code == 302
    assert Attendance.objects.filter(assembly=assembly, member=people[0]).count() == 1
    undo = reverse("assemblies:attendance_undo", args=[assembly.event.pk, people[0].pk])
    assert client.post(undo).status_code == 302
    assert not Attendance.objects.filter(assembly=assembly).exists()


def test_a_member_cannot_check_anyone_in(client, assembly, people):
    login(client, people[1])
    url = reverse("assemblies:attendance_check_in", args=[assembly.event.pk, people[1].pk])
    assert client.post(url).status_code == 404
    assert not Attendance.objects.exists()


def test_checking_in_an_unknown_person_is_not_found(client, assembly, board_member):
    login(client, board_member, mfa=True)
    url = reverse("assemblies:attendance_check_in", args=[assembly.event.pk, 2**62])
    assert client.post(url).status_code == 404


def test_a_former_member_cannot_be_checked_in(assembly, people):
    from django.core.exceptions import ValidationError

    from members.services import member_mark_former

    member_mark_former(member=people[0])
    with pytest.raises(ValidationError):
        services.attendance_check_in(assembly=assembly, member=people[0], actor=None)


def test_the_register_makes_a_fixed_number_of_queries(
    client, assembly, board_member, django_assert_num_queries
):
    places = municipalities(10)
    members = [member_of(place) for place in places]
    check_in(assembly, *members[:3], *[deputy_of(m) for m in members[3:6]])
    give_proxy(assembly, members[7], members[0])
    login(client, board_member, mfa=True)
    client.get(register(assembly))
    with django_assert_num_queries(REGISTER_QUERIES):
        assert client.get(register(assembly)).status_code == 200
    url = reverse("assemblies:attendance_check_in", args=[assembly.event.pk, members[8].pk])
    with django_assert_num_queries(CHECK_IN_QUERIES):
        assert client.post(url, headers={"HX-Request": "true"}).status_code == 200


REGISTER_QUERIES = 7
CHECK_IN_QUERIES = 13


def test_checking_in_a_deputy_updates_their_members_row_too(client, assembly, board_member, people):
    deputy = deputy_of(people[0])
    login(client, board_member, mfa=True)
    url = reverse("assemblies:attendance_check_in", args=[assembly.event.pk, deputy.pk])
    response = client.post(url, {"q": "x"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert f'id="person-{deputy.pk}"' in page
    assert (
        f'id="person-{people[0].pk}" class="attendance-card attendance-deputy" hx-swap-oob="true"'
        in page
    )
    assert response.context["votes"].represented == 1


@pytest.mark.parametrize("huge", ["9" * 30, str(2**63)])
def test_an_id_no_row_can_have_is_not_found(client, assembly, board_member, huge):
    login(client, board_member, mfa=True)
    for name in ("proxy", "attendance", "decisions", "minutes", "proxy_overview"):
        assert client.get(f"/arrangementer/{huge}/{_PATHS[name]}/").status_code == 404
    url = f"/arrangementer/{assembly.event.pk}/fremmoede/{huge}/ind/"
    assert client.post(url).status_code == 404
    url = reverse("assemblies:decisions", args=[assembly.event.pk])
    assert client.post(url, {"action": "apply", "id": huge}).status_code == 404


_PATHS = {
    "proxy": "fuldmagt",
    "attendance": "fremmoede",
    "decisions": "beslutninger",
    "minutes": "referat",
    "proxy_overview": "fuldmagt/oversigt",
}
