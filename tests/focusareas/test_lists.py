"""The member's lists at any size: what they follow, a focus area's newest, the author
filter and the pagination, which must not grow with the data."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from circles.models import Circle
from core.templatetags.pagination import elided_page_numbers
from focusareas import selectors, services
from focusareas.models import Contribution
from tests.focusareas.factories import ContributionFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _published(days_ago: int, **fields) -> Contribution:
    return ContributionFactory(published_at=timezone.now() - timedelta(days=days_ago), **fields)


def test_what_a_member_follows_is_newest_first_once_each_and_only_what_they_may_see(
    member, civilsamfund
):
    services.focusarea_follow(member=member, focus_area=civilsamfund, follow=True)
    question = civilsamfund.questions.current().first()
    tagged = _published(3, tags=["Frivillighed"])
    answering = _published(2, guiding_question=question)
    both = _published(1, tags=["Civilsamfund"], guiding_question=question)
    _published(0, tags=["Et andet emne"])  # not followed
    _published(0, tags=["Civilsamfund"], author=member)  # their own
    other_circle = Circle.objects.exclude(memberships__member=member).first()
    _published(
        0,
        tags=["Civilsamfund"],
        visibility=Contribution.Visibility.CIRCLE,
        circle=other_circle,
    )

    shown = selectors.newest_followed_by(member=member)

    assert [c.pk for c in shown] == [both.pk, answering.pk, tagged.pk]
    assert [c.pk for c in selectors.newest_followed_by(member=member, limit=2)] == [
        both.pk,
        answering.pk,
    ]


def test_a_followed_tag_alone_brings_its_contributions_home(member):
    tagged = _published(1, tags=["Borgerinddragelse"])
    assert selectors.newest_followed_by(member=member) == []
    services.tag_follow(member=member, tag=Tag.objects.get(name="Borgerinddragelse"), follow=True)
    assert selectors.newest_followed_by(member=member) == [tagged]


def test_the_focus_area_page_shows_each_questions_newest_answers_and_the_areas_newest(
    member, civilsamfund
):
    first, second = list(civilsamfund.questions.current().order_by("ordering", "pk"))[:2]
    answers_to_first = [_published(days, guiding_question=first) for days in range(7)]
    answer_to_second = _published(10, guiding_question=second)
    tagged_only = _published(0, tags=["Foreninger"])
    civilsamfund = selectors.focusarea_detail(slug="civilsamfund")

    grouped, newest = selectors.focusarea_contributions(
        focus_area=civilsamfund, user=member, latest=4, per_question=5
    )

    by_question = {item.question.pk: [c.pk for c in item.contributions] for item in grouped}
    assert by_question[first.pk] == [c.pk for c in answers_to_first[:5]]
    assert by_question[second.pk] == [answer_to_second.pk]
    assert [c.pk for c in newest] == [tagged_only.pk] + [c.pk for c in answers_to_first[:3]]


def test_the_author_filter_is_set_from_the_members_page_and_shows_only_their_contributions(
    member_client, member
):
    author = MemberFactory(first_name="Birgit", last_name="Nørgaard")
    theirs = ContributionFactory(author=author, title="Birgits erfaring")
    ContributionFactory(title="En andens erfaring")

    profile = member_client.get(reverse("members:detail", args=[author.pk])).content.decode()
    link = f"{reverse('focusareas:contribution_list')}?author={author.pk}"
    assert f'href="{link}"' in profile

    page = member_client.get(link).content.decode()
    assert theirs.title in page
    assert "En andens erfaring" not in page
    assert "Birgit Nørgaard" in page
    assert f'<input type="hidden" name="author" value="{author.pk}">' in page


def test_the_contribution_list_offers_no_list_of_every_member(member_client):
    MemberFactory.create_batch(3)
    page = member_client.get(reverse("focusareas:contribution_list")).content.decode()
    assert 'name="author"' not in page


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, [1, 2, 3, None, 2500]),
        (4, [1, 2, 3, 4, 5, 6, None, 2500]),
        (1250, [1, None, 1248, 1249, 1250, 1251, 1252, None, 2500]),
        (2500, [1, None, 2498, 2499, 2500]),
    ],
)
def test_pagination_shows_the_ends_and_two_pages_each_side_with_gaps(number, expected):
    page = Paginator(range(50_000), 20).page(number)
    assert elided_page_numbers(page) == expected


def test_pagination_of_thousands_of_pages_renders_a_handful_of_links():
    page = Paginator(range(50_000), 20).page(1250)
    html = render_to_string("includes/pagination.html", {"page": page, "query": "q=x"})
    assert html.count('class="button button-secondary"') == 6
    assert 'aria-current="page"' in html
    assert html.count("pagination-overflow") == 2
    assert "side=2500" in html and "side=1249" in html and "side=1000" not in html


def test_what_a_member_follows_lists_each_contribution_once_however_many_follow_it(
    member, civilsamfund
):
    for follower in [member, *MemberFactory.create_batch(3)]:
        services.focusarea_follow(member=follower, focus_area=civilsamfund, follow=True)
    question = civilsamfund.questions.current().first()
    both = _published(1, tags=["Civilsamfund"], guiding_question=question)
    assert list(selectors.contributions_followed_by(member=member)) == [both]
