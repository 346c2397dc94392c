"""Contribution and comment pages: permissions, bad input, and query counts that do not
grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from focusareas.models import Comment, Contribution
from tests.conftest import login
from tests.focusareas.factories import CommentFactory, ContributionFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_only_the_author_edits_and_deletes_a_contribution(client, member):
    contribution = ContributionFactory(author=member)
    other = MemberFactory()
    login(client, other)
    for name in ("contribution_edit", "contribution_delete"):
        assert client.get(reverse(f"focusareas:{name}", args=[contribution.pk])).status_code == 403
    assert (
        client.post(reverse("focusareas:contribution_delete", args=[contribution.pk])).status_code
        == 403
    )
    client.logout()
    login(client, member)
    response = client.post(
        reverse("focusareas:contribution_edit", args=[contribution.pk]),
        {
            "title": "Ny titel",
            "body": "Ny tekst",
            "visibility": "members",
            "tags": "",
            "publish": "",
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.title == "Ny titel"
    client.post(reverse("focusareas:contribution_delete", args=[contribution.pk]))
    assert not Contribution.objects.filter(pk=contribution.pk).exists()


def test_a_circle_contribution_needs_one_of_the_authors_circles(member_client, member):
    response = member_client.post(
        reverse("focusareas:contribution_create"),
        {"title": "Kreds", "body": "Tekst", "visibility": "circle", "tags": "", "publish": ""},
    )
    assert response.status_code == 200 and "form-error" in response.content.decode()
    home_circle = member.circle_memberships.first().circle
    response = member_client.post(
        reverse("focusareas:contribution_create"),
        {
            "title": "Kreds",
            "body": "Tekst",
            "visibility": "circle",
            "circle": home_circle.pk,
            "tags": "",
            "publish": "",
        },
    )
    assert response.status_code == 302
    assert Contribution.objects.get(title="Kreds").circle == home_circle


def test_members_comment_authors_edit_and_delete_their_own_and_the_board_hides_any(
    client, member, board_member
):
    contribution = ContributionFactory()
    login(client, member)
    client.post(
        reverse("focusareas:comment_create", args=[contribution.pk]), {"body": "Godt *set*"}
    )
    comment = Comment.objects.get(contribution=contribution)
    assert comment.author == member
    assert "<em>set</em>" in client.get(contribution.get_absolute_url()).content.decode()
    client.post(reverse("focusareas:comment_edit", args=[comment.pk]), {"body": "Rettet"})
    comment.refresh_from_db()
    assert comment.body == "Rettet"
    client.logout()
    login(client, MemberFactory())
    assert (
        client.post(
            reverse("focusareas:comment_edit", args=[comment.pk]), {"body": "x"}
        ).status_code
        == 403
    )
    assert client.post(reverse("focusareas:comment_delete", args=[comment.pk])).status_code == 403
    assert (
        client.post(
            reverse("focusareas:comment_hide", args=[comment.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    client.logout()
    login(client, board_member, mfa=True)
    client.post(reverse("focusareas:comment_hide", args=[comment.pk]), {"reason": "Usagligt"})
    comment.refresh_from_db()
    assert comment.hidden_at and comment.hidden_reason == "Usagligt"
    client.logout()
    login(client, MemberFactory())
    assert "Rettet" not in client.get(contribution.get_absolute_url()).content.decode()
    client.logout()
    login(client, member)
    client.post(reverse("focusareas:comment_delete", args=[comment.pk]))
    assert not Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.parametrize(
    "query",
    [
        "?focus_area=findes-ikke",
        "?tag=%00%ff",
        "?circle=x&author=abc&period=-1",
        "?author=99999999999999999999999",
        "?side=abc",
        "?side=-5",
        "?q=" + "x" * 5000,
        "?q=%22%27%29%28%26%7C%21:*",
        "?tag=ikke-et-tag",
    ],
)
def test_bad_filter_values_give_a_page_not_a_500(member_client, query):
    assert member_client.get(reverse("focusareas:contribution_list") + query).status_code == 200


def test_bad_ids_and_overlong_fields_give_404_or_form_errors(member_client):
    assert member_client.get("/bidrag/999999999/").status_code == 404
    assert member_client.get("/bidrag/abc/").status_code == 404
    assert member_client.get("/bidrag/99999999999999999999999/").status_code == 404
    assert member_client.get("/bidrag/ny/?spoergsmaal=abc").status_code == 200
    response = member_client.post(
        reverse("focusareas:contribution_create"),
        {
            "title": "x" * 1000,
            "body": "y" * 30000,
            "tags": "z" * 600,
            "visibility": "everyone",
            "guiding_question": "999999",
            "circle": "abc",
        },
    )
    assert response.status_code == 200
    assert not Contribution.objects.exists()
    assert (
        member_client.post(
            reverse("focusareas:comment_create", args=[999999]), {"body": "x"}
        ).status_code
        == 404
    )
    assert member_client.post("/kommentarer/abc/slet/").status_code == 404


def make_contributions(count: int, civilsamfund) -> None:
    """`count` published contributions by a few authors, tagged to the focus area, with
    comments; bulk-created so that 500 take no time."""
    authors = [MemberFactory() for _ in range(3)]
    questions = list(civilsamfund.questions.current())
    now = timezone.now()
    contributions = Contribution.objects.bulk_create(
        Contribution(
            author=authors[i % 3],
            title=f"Erfaring {i}",
            body="Frivillige og foreninger.",
            status=Contribution.Status.PUBLISHED,
            published_at=now,
            guiding_question=questions[i % 3],
        )
        for i in range(count)
    )
    tag = Tag.objects.get(name="Civilsamfund")
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Contribution)
    TaggedItem.objects.bulk_create(
        TaggedItem(tag=tag, content_type=content_type, object_id=c.pk) for c in contributions
    )
    Comment.objects.bulk_create(
        Comment(contribution=c, author=authors[0], body="Tak") for c in contributions
    )


def queries_for(client, url) -> int:
    # The live search and the tag suggestions are htmx fragments.
    headers = {"HX-Request": "true"} if "Erfaring" in url or "tag-forslag" in url else {}
    client.get(url, headers=headers)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(captured)


PAGES = [
    ("contribution list", lambda area, c: reverse("focusareas:contribution_list")),
    (
        "contribution search",
        lambda area, c: (
            reverse("focusareas:contribution_list") + "?q=Frivillige&focus_area=civilsamfund"
        ),
    ),
    (
        "live search fragment",
        lambda area, c: reverse("focusareas:contribution_list") + "?q=Erfaring",
    ),
    ("focus area", lambda area, c: area.get_absolute_url()),
    ("focus area list", lambda area, c: reverse("focusareas:list")),
    ("tag page", lambda area, c: reverse("focusareas:tag_detail", args=["civilsamfund"])),
    ("contribution", lambda area, c: c.get_absolute_url()),
    ("member home", lambda area, c: reverse("home")),
    ("tag suggestions", lambda area, c: reverse("focusareas:tag_suggestions") + "?tags=friv"),
]

# Measured query counts; pinned so that a change shows up here.
EXPECTED_QUERIES = {
    "contribution list": 7,
    "contribution search": 8,
    "live search fragment": 4,
    "focus area": 11,  # the newest under the area: tagged and answering, apart; their tags
    "focus area list": 6,
    "tag page": 7,
    "contribution": 5,
    "member home": 7,  # next meetings; what they follow: tagged and answering, apart
    "tag suggestions": 6,
}


@pytest.mark.parametrize(("label", "url_of"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.usefixtures("no_page_cache")  # the render's queries, not the cache's
def test_list_and_detail_pages_use_the_same_queries_for_10_and_500_contributions(
    client, member, civilsamfund, label, url_of
):
    from focusareas import services

    services.focusarea_follow(member=member, focus_area=civilsamfund, follow=True)
    login(client, member)
    make_contributions(10, civilsamfund)
    first = Contribution.objects.order_by("pk").first()
    CommentFactory.create_batch(3, contribution=first)
    url = url_of(civilsamfund, first)
    small = queries_for(client, url)
    make_contributions(490, civilsamfund)
    large = queries_for(client, url)
    assert small == large, f"{label}: {small} queries with 10, {large} with 500"
    assert large == EXPECTED_QUERIES[label], f"{label}: {large} queries"


def test_the_author_and_their_municipality_read_without_a_stray_space(member_client):
    from members.models import Municipality

    author = MemberFactory(
        first_name="Anders", last_name="Bech", municipality=Municipality.objects.get(name="Vejle")
    )
    contribution = ContributionFactory(author=author)
    page = member_client.get(contribution.get_absolute_url()).content.decode()
    assert "Anders Bech</a>, Vejle" in page


def test_editing_a_published_contribution_keeps_it_published(client, member):
    contribution = ContributionFactory(author=member, title="Offentlig erfaring")
    login(client, member)
    url = reverse("focusareas:contribution_edit", args=[contribution.pk])
    page = client.get(url).content.decode()
    assert 'name="draft"' not in page, "no silent way back to a draft"
    data = {
        "title": "Offentlig erfaring, rettet",
        "body": contribution.body,
        "tags": "velfærd",
        "visibility": contribution.visibility,
        "draft": "",  # a stale form's button changes nothing
    }
    assert client.post(url, data).status_code == 302
    contribution.refresh_from_db()
    assert contribution.title == "Offentlig erfaring, rettet" and contribution.is_published


def test_taking_a_contribution_back_to_a_draft_is_its_own_confirmed_step(client, member):
    contribution = ContributionFactory(author=member)
    CommentFactory(contribution=contribution)
    url = reverse("focusareas:contribution_withdraw", args=[contribution.pk])
    other = MemberFactory()
    login(client, other)
    assert client.post(url).status_code == 403
    login(client, member)
    confirm = client.get(url)
    assert confirm.status_code == 200 and "kladde" in confirm.content.decode()
    contribution.refresh_from_db()
    assert contribution.is_published, "the page only asks"
    assert client.post(url).status_code == 302
    contribution.refresh_from_db()
    assert not contribution.is_published and contribution.comments.count() == 1
    login(client, other)
    assert client.get(contribution.get_absolute_url()).status_code == 404


def test_the_latest_period_is_the_current_one_until_the_board_opens_another(client):
    from datetime import date

    from focusareas.models import FocusArea, StrategyPeriod

    area = FocusArea.objects.select_related("period").order_by("number").first()
    assert area.period.ends_on < date(2026, 12, 1), "the seeded period has ended"
    page = client.get(area.get_absolute_url()).content.decode()
    assert "Arkiv" not in page and "sluttede" not in page
    listing = client.get(reverse("focusareas:list")).content.decode()
    assert "sluttede" not in listing

    StrategyPeriod.objects.create(
        title="Fokusområder 2026-2028",
        slug="2026-2028",
        starts_on=date(2026, 1, 1),
        ends_on=date(2028, 12, 31),
    )
    page = client.get(area.get_absolute_url()).content.decode()
    assert "Arkiv: perioden sluttede" in page
