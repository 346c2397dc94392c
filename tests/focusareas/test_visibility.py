"""Who sees which contribution: Contribution.objects.visible_to, everywhere it matters."""

import pytest
from django.core import mail
from django.urls import reverse

from circles.models import Circle
from core.outbox import outbox_send_due
from focusareas import services
from focusareas.models import Contribution, NotificationSetting
from members.models import Municipality
from tests.conftest import login
from tests.focusareas.factories import ContributionFactory
from tests.members.factories import BoardMemberFactory, MemberFactory

pytestmark = pytest.mark.django_db


def member_in(region_slug: str, **kwargs):
    municipality = Municipality.objects.filter(region__slug=region_slug).first()
    return MemberFactory(municipality=municipality, **kwargs)


@pytest.fixture
def hovedstaden_author(db):
    return member_in("hovedstaden")


@pytest.fixture
def circle_contribution(hovedstaden_author):
    return services.contribution_create(
        author=hovedstaden_author,
        title="Kun for Hovedstaden",
        body="Frivillige i kredsen.",
        tags=["Civilsamfund"],
        visibility=Contribution.Visibility.CIRCLE,
        circle=Circle.objects.get(slug="hovedstaden"),
        publish=True,
    )


@pytest.fixture
def board_contribution(hovedstaden_author):
    return services.contribution_create(
        author=hovedstaden_author,
        title="Kun for bestyrelsen",
        body="Fortroligt.",
        tags=["Civilsamfund"],
        visibility=Contribution.Visibility.BOARD,
        publish=True,
    )


def pages_listing(civilsamfund):
    return [
        reverse("focusareas:contribution_list"),
        reverse("focusareas:contribution_list") + "?q=Kun",
        reverse("focusareas:contribution_list") + "?focus_area=civilsamfund",
        reverse("focusareas:tag_detail", args=["civilsamfund"]),
        civilsamfund.get_absolute_url(),
        reverse("home"),
    ]


def test_a_circle_contribution_is_404_for_members_of_other_circles_and_absent_everywhere(
    client, circle_contribution, civilsamfund
):
    outsider = member_in("nordjylland")
    services.focusarea_follow(member=outsider, focus_area=civilsamfund, follow=True)
    login(client, outsider)
    assert client.get(circle_contribution.get_absolute_url()).status_code == 404
    for url in pages_listing(civilsamfund):
        assert "Kun for Hovedstaden" not in client.get(url).content.decode(), url
    assert (
        client.get(
            reverse("focusareas:contribution_edit", args=[circle_contribution.pk])
        ).status_code
        == 404
    )


def test_a_circle_contribution_is_seen_by_the_members_of_its_circle(
    client, circle_contribution, civilsamfund
):
    colleague = member_in("hovedstaden")
    services.focusarea_follow(member=colleague, focus_area=civilsamfund, follow=True)
    login(client, colleague)
    assert client.get(circle_contribution.get_absolute_url()).status_code == 200
    for url in pages_listing(civilsamfund):
        assert "Kun for Hovedstaden" in client.get(url).content.decode(), url


def test_mails_about_a_circle_contribution_reach_only_its_circle_and_carry_no_body(
    hovedstaden_author, civilsamfund
):
    colleague = member_in("hovedstaden")
    outsider = member_in("nordjylland")
    for follower in (colleague, outsider):
        services.focusarea_follow(member=follower, focus_area=civilsamfund, follow=True)
        NotificationSetting.objects.create(
            member=follower, frequency=NotificationSetting.Frequency.EACH
        )
    mail.outbox.clear()
    contribution = services.contribution_create(
        author=hovedstaden_author,
        title="Kredsens erfaring",
        body="Hemmelig brødtekst om frivillige.",
        tags=["Frivillighed"],
        visibility=Contribution.Visibility.CIRCLE,
        circle=Circle.objects.get(slug="hovedstaden"),
        publish=True,
    )
    outbox_send_due()
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    message = mail.outbox[0]
    assert "Kredsens erfaring" in message.body
    assert contribution.get_absolute_url() in message.body
    assert "Hemmelig brødtekst" not in message.body
    assert "Hemmelig brødtekst" not in message.alternatives[0][0]


def test_a_board_contribution_is_seen_by_the_board_alone(client, board_contribution):
    board = BoardMemberFactory()
    login(client, board, mfa=True)
    assert client.get(board_contribution.get_absolute_url()).status_code == 200
    assert (
        "Kun for bestyrelsen"
        in client.get(reverse("focusareas:contribution_list")).content.decode()
    )
    client.logout()
    login(client, member_in("hovedstaden"))
    assert client.get(board_contribution.get_absolute_url()).status_code == 404
    assert (
        "Kun for bestyrelsen"
        not in client.get(reverse("focusareas:contribution_list")).content.decode()
    )


def test_drafts_are_seen_by_their_author_only(client, hovedstaden_author):
    draft = ContributionFactory(author=hovedstaden_author, status="draft", published_at=None)
    login(client, MemberFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.logout()
    login(client, hovedstaden_author)
    assert client.get(draft.get_absolute_url()).status_code == 200
    mine = client.get(reverse("focusareas:contribution_list") + "?mine=1").content.decode()
    assert draft.title in mine


def test_a_hidden_contribution_leaves_the_lists_and_its_author_is_told_once(
    client, hovedstaden_author, django_capture_on_commit_callbacks
):
    contribution = ContributionFactory(author=hovedstaden_author, title="Upassende indlæg")
    board = BoardMemberFactory()
    login(client, board, mfa=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("focusareas:contribution_hide", args=[contribution.pk]),
            {"reason": "Indlægget nævner en borger ved navn."},
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[hovedstaden_author.email]]
    assert "nævner en borger ved navn" in mail.outbox[0].body
    outbox_send_due()
    assert len(mail.outbox) == 1, "a second sweep mails nobody"
    client.logout()
    login(client, MemberFactory())
    assert client.get(contribution.get_absolute_url()).status_code == 404
    assert (
        "Upassende indlæg"
        not in client.get(reverse("focusareas:contribution_list")).content.decode()
    )
    client.logout()
    login(client, hovedstaden_author)
    assert "nævner en borger" in client.get(contribution.get_absolute_url()).content.decode()


def test_former_members_see_nothing(client, circle_contribution):
    from members.services import member_mark_former

    member = MemberFactory()
    ContributionFactory(title="Åben erfaring")
    member_mark_former(member=member)
    assert not Contribution.objects.visible_to(member).exists()
