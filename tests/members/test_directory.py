import pytest
from django.urls import reverse

from circles.models import Circle
from members.models import Municipality
from tests.conftest import login
from tests.members.factories import MemberFactory

# Query counts are of the render, not of a page served from the cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

# User, board check (navigation), count, municipality and circle choices, the page of
# members, their circles (one query): the same however many members there are.
DIRECTORY_QUERIES = 6


def names(response) -> str:
    return response.content.decode()


def test_the_directory_finds_members_by_name_municipality_and_circle(member_client):
    vejle = Municipality.objects.get(name="Vejle")
    aalborg = Municipality.objects.get(name="Aalborg")
    ditte = MemberFactory(first_name="Ditte", last_name="Bundgaard", municipality=vejle)
    ole = MemberFactory(first_name="Ole", last_name="Kirkegaard", municipality=aalborg)
    url = reverse("members:directory")

    by_name = names(member_client.get(url, {"q": "bundgaard"}))
    assert ditte.get_full_name() in by_name and ole.get_full_name() not in by_name

    by_town = names(member_client.get(url, {"q": "Aalborg"}))
    assert ole.get_full_name() in by_town and ditte.get_full_name() not in by_town

    by_municipality = names(member_client.get(url, {"municipality": vejle.pk}))
    assert ditte.get_full_name() in by_municipality
    assert ole.get_full_name() not in by_municipality

    by_circle = names(member_client.get(url, {"circle": "nordjylland"}))
    assert ole.get_full_name() in by_circle and ditte.get_full_name() not in by_circle


def test_the_directory_answers_htmx_with_the_results_alone(member_client):
    response = member_client.get(reverse("members:directory"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()


def test_nonsense_filters_are_ignored_not_errors(member_client):
    response = member_client.get(
        reverse("members:directory"), {"municipality": "abc", "circle": "nope", "side": "x"}
    )
    assert response.status_code == 200


def test_former_members_are_not_listed(member_client):
    from members.services import member_mark_former

    gone = MemberFactory(first_name="Gudrun", last_name="Forsvundet")
    member_mark_former(member=gone)
    assert "Forsvundet" not in names(member_client.get(reverse("members:directory")))


@pytest.mark.parametrize("extra", [10, 120])
def test_the_directory_query_count_does_not_grow_with_the_members(
    client, member, django_assert_num_queries, extra
):
    MemberFactory.create_batch(extra)
    login(client, member)
    with django_assert_num_queries(DIRECTORY_QUERIES):
        assert client.get(reverse("members:directory")).status_code == 200


@pytest.mark.parametrize("extra", [5, 60])
def test_a_profile_page_has_a_fixed_query_count(client, member, django_assert_num_queries, extra):
    MemberFactory.create_batch(extra)
    login(client, member)
    other = MemberFactory()
    with django_assert_num_queries(3):
        assert client.get(reverse("members:detail", args=[other.pk])).status_code == 200


def test_a_member_edits_their_profile_and_a_move_to_another_region_changes_circle_once_approved(
    member_client, member, board_member
):
    from members.models import MunicipalityChangeRequest
    from members.services import municipality_change_approve

    before = list(member.circle_memberships.values_list("circle__slug", flat=True))
    elsewhere = Municipality.objects.exclude(region=member.municipality.region).first()
    response = member_client.post(
        reverse("members:profile"),
        {
            "first_name": "Ny",
            "last_name": "Navnesen",
            "job_title": "Kommunaldirektør",
            "municipality": elsewhere.pk,
            "phone": "12345678",
            "bio": "Hej",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.get_full_name() == "Ny Navnesen"
    assert list(member.circle_memberships.values_list("circle__slug", flat=True)) == before

    municipality_change_approve(
        request=MunicipalityChangeRequest.objects.get(member=member), decided_by=board_member
    )
    circles = list(member.circle_memberships.values_list("circle__slug", flat=True))
    assert circles == [Circle.objects.get(region=elsewhere.region).slug]


def test_a_profile_without_a_name_is_refused_and_nothing_is_lost(member_client, member):
    before = member.get_full_name()
    response = member_client.post(reverse("members:profile"), {"first_name": "", "last_name": ""})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.get_full_name() == before


def test_the_directory_counts_no_further_than_its_cap(member_client, monkeypatch):
    from komdir import views

    monkeypatch.setattr(views, "DIRECTORY_COUNT_CAP", 3)
    MemberFactory.create_batch(4, job_title="Kommunaldirektør")
    capped = names(member_client.get(reverse("members:directory"), {"q": "kommunaldirektør"}))
    assert "Over 3 medlemmer fundet" in capped
    MemberFactory(first_name="Enestående")
    exact = names(member_client.get(reverse("members:directory"), {"q": "enestående"}))
    # "Over" alone could be a random surname (Overgaard).
    assert "1 medlem fundet" in exact and "Over 1" not in exact
