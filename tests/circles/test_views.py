import pytest
from django.urls import reverse

from circles.models import Circle, CircleMembership
from tests.conftest import login
from tests.members.factories import MemberFactory

# Query counts are of the render, not of a page served from the cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def test_the_circle_page_shows_its_leads_and_members(member_client, circle, circle_lead):
    colleague = MemberFactory(municipality=circle.region.municipalities.last())
    content = member_client.get(reverse("circles:detail", args=[circle.slug])).content.decode()
    assert circle_lead.get_full_name() in content
    assert colleague.get_full_name() in content


def test_an_unknown_circle_is_404(member_client):
    assert member_client.get(reverse("circles:detail", args=["atlantis"])).status_code == 404


def test_a_new_member_joins_the_circle_of_their_municipalitys_region():
    member = MemberFactory(
        municipality=Circle.objects.get(slug="nordjylland").region.municipalities.first()
    )
    assert list(member.circles.values_list("slug", flat=True)) == ["nordjylland"]


@pytest.mark.parametrize("extra", [5, 80])
def test_circle_pages_have_a_fixed_query_count(client, member, django_assert_num_queries, extra):
    MemberFactory.create_batch(extra)
    CircleMembership.objects.filter(pk__in=CircleMembership.objects.values("pk")[:3]).update(
        role=CircleMembership.Role.LEAD
    )
    CircleMembership.objects.get_or_create(
        member=member, circle=Circle.objects.get(slug="hovedstaden")
    )
    login(client, member)
    with django_assert_num_queries(3):
        assert client.get(reverse("circles:list")).status_code == 200
    # The leads, and the first members by name: two bounded queries; whether the member
    # may subscribe to the circle's calendar, and their feed token.
    with django_assert_num_queries(6):
        assert client.get(reverse("circles:detail", args=["hovedstaden"])).status_code == 200


def test_a_large_circle_page_lists_the_first_members_and_links_to_the_rest(member_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from circles.models import Circle, CircleMembership
    from circles.selectors import CIRCLE_PAGE_MEMBERS
    from tests.members.factories import MemberFactory

    circle = Circle.objects.order_by("pk").first()
    url = reverse("circles:detail", args=[circle.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert member_client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for n in range(CIRCLE_PAGE_MEMBERS + 5):
        CircleMembership.objects.get_or_create(
            member=MemberFactory(first_name=f"Medlem{n:03d}"), circle=circle
        )
    assert queries() == few
    page = member_client.get(url).content.decode()
    assert "Medlem000" in page and "Medlem054" not in page
    assert f"{reverse('members:directory')}?circle={circle.slug}" in page
