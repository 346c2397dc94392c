import pytest

from circles.models import Circle
from members.models import Municipality, Region

pytestmark = pytest.mark.django_db


def test_there_are_five_regions_and_ninety_eight_municipalities():
    assert Region.objects.count() == 5
    assert Municipality.objects.count() == 98


@pytest.mark.parametrize(
    ("region", "count"),
    [
        ("Region Hovedstaden", 29),
        ("Region Sjælland", 17),
        ("Region Syddanmark", 22),
        ("Region Midtjylland", 19),
        ("Region Nordjylland", 11),
    ],
)
def test_each_region_has_its_municipalities(region, count):
    assert Municipality.objects.filter(region__name=region).count() == count


def test_each_region_has_one_seeded_circle():
    assert Circle.objects.filter(region__isnull=False).count() == 5
    assert set(Circle.objects.values_list("region__name", flat=True)) == set(
        Region.objects.values_list("name", flat=True)
    )


@pytest.mark.parametrize(
    ("municipality", "region"),
    [
        ("Bornholm", "Region Hovedstaden"),
        ("Læsø", "Region Nordjylland"),
        ("Ærø", "Region Syddanmark"),
        ("Samsø", "Region Midtjylland"),
        ("Lolland", "Region Sjælland"),
    ],
)
def test_island_municipalities_sit_in_the_right_region(municipality, region):
    assert Municipality.objects.get(name=municipality).region.name == region
