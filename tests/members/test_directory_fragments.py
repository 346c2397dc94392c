"""The directory, member pages and the header with the fragment cache ON: a change made
through the services shows at once, and two members on the same URL see nothing of
each other's."""

import pytest
from django.test import Client
from django.urls import reverse

from circles.models import Circle, CircleMembership
from members import services
from members.models import Municipality
from tests.conftest import login
from tests.members.factories import BoardMemberFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fragments_on(settings):
    settings.PAGE_CACHE = True


def page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def profile(member, **changes) -> dict:
    fields = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "job_title": member.job_title,
        "municipality": member.municipality,
        "phone": member.phone,
        "bio": member.bio,
    }
    return {**fields, **changes}


def test_a_renamed_member_with_a_new_title_shows_at_once_in_directory_page_and_header(client):
    shown = MemberFactory(first_name="Rasmus", last_name="Gammelnavn", job_title="Direktør")
    login(client, shown)
    assert "Gammelnavn" in page(client, "members:directory")
    assert "Gammelnavn" in page(client, "members:detail", shown.pk)
    services.member_update_profile(
        member=shown,
        **profile(shown, last_name="Nytnavn", job_title="Kommunaldirektør Ny"),
    )
    for html in (page(client, "members:directory"), page(client, "members:detail", shown.pk)):
        assert "Gammelnavn" not in html
        assert "Nytnavn" in html
        assert "Kommunaldirektør Ny" in html
    assert '<p class="user">Rasmus Nytnavn</p>' in page(client, "home")


def test_an_approved_change_of_municipality_shows_at_once_in_the_directory():
    mover = MemberFactory(first_name="Flytte", last_name="Flyttesen")
    board = BoardMemberFactory()
    viewer = login(Client(), MemberFactory())
    target = Municipality.objects.exclude(pk=mover.municipality_id).exclude(
        region=mover.municipality.region
    )[0]
    before = page(viewer, "members:directory")
    assert target.region.circle.name not in before.split("Flyttesen")[1].split("</tr>")[0]
    change = services.municipality_change_request(member=mover, to_municipality=target)
    services.municipality_change_approve(request=change, decided_by=board)
    row = page(viewer, "members:directory").split("Flyttesen")[1].split("</tr>")[0]
    assert target.name in row
    assert Circle.objects.get(region=target.region).name in row


def test_a_member_who_leaves_or_is_erased_is_gone_from_the_directory_at_once():
    leaver = MemberFactory(first_name="Leo", last_name="Forladersen")
    erased = MemberFactory(first_name="Ella", last_name="Slettesen")
    viewer = login(Client(), MemberFactory())
    html = page(viewer, "members:directory")
    assert "Forladersen" in html and "Slettesen" in html
    services.member_mark_former(member=leaver)
    services.member_erase(member=erased, contributions="anonymise")
    html = page(viewer, "members:directory")
    assert "Forladersen" not in html and "Slettesen" not in html
    assert viewer.get(reverse("members:detail", args=[leaver.pk])).status_code == 404


def test_two_members_of_different_circles_and_roles_see_nothing_of_each_other():
    board = BoardMemberFactory(first_name="Bodil", last_name="Bestyrelsesen")
    plain = MemberFactory(first_name="Palle", last_name="Menigsen")
    # Different circles: move the plain member to a region that is not the board member's.
    other = Municipality.objects.exclude(region=board.municipality.region)[0]
    plain.municipality = other
    plain.save()
    CircleMembership.objects.filter(member=plain).update(circle=other.region.circle)
    board_client = login(Client(), board, mfa=True)
    plain_client = login(Client(), plain)
    for name, args in (("members:directory", ()), ("members:detail", (board.pk,)), ("home", ())):
        seen_by_board = page(board_client, name, *args)
        seen_by_plain = page(plain_client, name, *args)
        assert '<p class="user">Bodil Bestyrelsesen</p>' in seen_by_board
        assert '<p class="user">Palle Menigsen</p>' in seen_by_plain
        assert '<p class="user">Bodil' not in seen_by_plain
        assert '<p class="user">Palle' not in seen_by_board
        invitations = reverse("members:invitations")
        assert seen_by_board.count(f'href="{invitations}"') == 2  # header and drawer
        assert invitations not in seen_by_plain
        # Each page carries its own viewer's CSRF token, never the other's.
        token = 'name="csrfmiddlewaretoken" value="'
        assert seen_by_board.split(token)[1][:64] != seen_by_plain.split(token)[1][:64]
    # "Edit your profile" on a member page is the member's own.
    assert reverse("members:profile") + '">' in page(board_client, "members:detail", board.pk)
    assert 'button-secondary" href="' + reverse("members:profile") not in page(
        plain_client, "members:detail", board.pk
    )
