"""The contribution list pages by key and counts no further than its cap, and its rows
are fragments cached by what they show: a change shows at once wherever the row is,
and no member sees another's rows."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from circles.models import Circle, CircleMembership
from focusareas import services
from focusareas.models import Contribution
from focusareas.views import contributions as contribution_views
from tests.conftest import login
from tests.focusareas.factories import ContributionFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

LIST = "/bidrag/"


@pytest.fixture
def caching_on(settings):
    settings.PAGE_CACHE = True


def _titles(page: str) -> list[str]:
    return re.findall(r'class="h4 contribution-title"><a href="[^"]+">([^<]+)</a>', page)


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="\?([^"]+)" class="[^"]*" rel="{rel}"', page)
    return found and found.group(1).replace("&amp;", "&")


def test_the_list_walks_by_key_both_ways_and_a_bad_token_shows_the_first_page(
    member_client, monkeypatch
):
    monkeypatch.setattr(contribution_views, "CONTRIBUTIONS_PAGE_SIZE", 3)
    start = timezone.now()
    for n in range(7):
        ContributionFactory(title=f"Erfaring {n}", published_at=start - timedelta(hours=n))
    first = member_client.get(LIST).content.decode()
    assert _titles(first) == ["Erfaring 0", "Erfaring 1", "Erfaring 2"]
    assert _link(first, "prev") is None
    second = member_client.get(f"{LIST}?{_link(first, 'next')}").content.decode()
    assert _titles(second) == ["Erfaring 3", "Erfaring 4", "Erfaring 5"]
    last = member_client.get(f"{LIST}?{_link(second, 'next')}").content.decode()
    assert _titles(last) == ["Erfaring 6"] and _link(last, "next") is None
    back = member_client.get(f"{LIST}?{_link(last, 'prev')}").content.decode()
    assert _titles(back) == _titles(second)
    for bad in ("efter=abc", "foer=1_x", "efter=" + "9" * 80, "efter=99999999999999999999_1"):
        response = member_client.get(f"{LIST}?{bad}")
        assert response.status_code == 200 and _titles(response.content.decode()) == _titles(first)


def test_the_count_stops_at_its_cap(member_client, monkeypatch):
    monkeypatch.setattr(contribution_views, "COUNT_CAP", 4)
    ContributionFactory.create_batch(4)
    assert "4 bidrag fundet" in member_client.get(LIST).content.decode()
    ContributionFactory()
    assert "Over 4 bidrag fundet" in member_client.get(LIST).content.decode()


@pytest.mark.usefixtures("caching_on")
def test_with_fragments_cached_every_change_to_a_row_shows_at_once(client, member, board_member):
    author = MemberFactory(first_name="Ulla", last_name="Uændret")
    contribution = ContributionFactory(author=author, title="Første titel", tags=["Velfærd"])
    login(client, member)
    pages = [LIST, f"/tags/{contribution.tags.get().slug}/"]
    for url in pages:
        for _ in range(2):  # the second visit is made of the stored fragments
            page = client.get(url).content.decode()
        assert "Første titel" in page and "Ulla Uændret" in page, url

    services.comment_create(contribution=contribution, author=member, body="Godt!")
    contribution.refresh_from_db()
    services.contribution_update(
        contribution=contribution,
        title="Ny titel",
        body=contribution.body,
        tags=["Velfærd"],
        visibility=contribution.visibility,
        circle=None,
        guiding_question=None,
        publish=True,
    )
    author.first_name = "Ulrikke"
    author.save()
    for url in pages:
        page = client.get(url).content.decode()
        assert "Ny titel" in page and "Første titel" not in page, url
        assert "Ulrikke Uændret" in page and "1 kommentar" in page, url

    services.contribution_hide(contribution=contribution, hidden_by=board_member, reason="Test")
    for url in pages:
        assert "Ny titel" not in client.get(url).content.decode(), url


@pytest.mark.usefixtures("caching_on")
def test_two_members_of_other_circles_and_roles_see_nothing_of_each_others(client, board_member):
    # Names no factory draws, so the header's name can only come from the viewer.
    board_member.first_name = "Bestyrelsesbirthe"
    board_member.save(update_fields=["first_name"])
    first, second = Circle.objects.order_by("pk")[:2]
    # Each in one circle only, whatever region the factory's municipality is in.
    CircleMembership.objects.filter(member=board_member).delete()
    CircleMembership.objects.create(member=board_member, circle=first)
    plain = MemberFactory(first_name="Menigmandmikkel")
    CircleMembership.objects.filter(member=plain).delete()
    CircleMembership.objects.create(member=plain, circle=second)
    ContributionFactory(title="Kun bestyrelsen", visibility=Contribution.Visibility.BOARD)
    ContributionFactory(
        title="Kun første kreds", visibility=Contribution.Visibility.CIRCLE, circle=first
    )
    ContributionFactory(
        title="Kun anden kreds", visibility=Contribution.Visibility.CIRCLE, circle=second
    )
    ContributionFactory(title="Alle medlemmer")
    login(client, board_member, mfa=True)
    other = Client()
    login(other, plain)
    for _ in range(2):
        board_page = client.get(LIST).content.decode()
        plain_page = other.get(LIST).content.decode()
    assert {"Kun bestyrelsen", "Kun første kreds", "Alle medlemmer"} <= set(_titles(board_page))
    assert "Kun anden kreds" not in board_page
    assert set(_titles(plain_page)) >= {"Kun anden kreds", "Alle medlemmer"}
    assert "Kun bestyrelsen" not in plain_page and "Kun første kreds" not in plain_page
    assert "Bestyrelsesbirthe" in board_page and "Bestyrelsesbirthe" not in plain_page
    assert "Menigmandmikkel" in plain_page and "Menigmandmikkel" not in board_page
