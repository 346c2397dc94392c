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
    login(client, member)
    with django_assert_num_queries(3):
        assert client.get(reverse("circles:list")).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(reverse("circles:detail", args=["hovedstaden"])).status_code == 200
