"""Query counts of the event pages and feeds are pinned and do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from tests.conftest import login
from tests.events.conftest import member_of, schedule

# Query counts are of the render, not of a page served from the cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def grow(lead, circle, *, events: int, members: int) -> list:
    people = [member_of(circle) for _ in range(members)]
    made = []
    for number in range(events):
        event = schedule(organiser=lead, circle=circle, title=f"Møde {number}", capacity=2)
        for person in people:
            services.rsvp_answer(event=event, member=person, answer="yes")
        made.append(event)
    return made


@pytest.fixture
def few_then_many(client, lead, hovedstaden):
    """Measures a URL with few rows, then with many, for the same viewer."""

    def measure(url_of) -> tuple[int, int]:
        events = grow(lead, hovedstaden, events=1, members=1)
        login(client, lead)
        services.calendar_token_regenerate(member=lead)
        few = count_queries(client, url_of(events[0], lead))
        grow(lead, hovedstaden, events=6, members=6)
        many = count_queries(client, url_of(events[0], lead))
        return few, many

    return measure


def test_the_event_list_has_a_fixed_query_count(few_then_many):
    few, many = few_then_many(lambda event, lead: reverse("events:list"))
    assert few == many
    assert many <= 16


def test_the_month_view_has_a_fixed_query_count(few_then_many):
    few, many = few_then_many(
        lambda event, lead: reverse("events:list") + "?maaned=" + event.starts_at.strftime("%Y-%m")
    )
    assert few == many


def test_the_event_page_has_a_fixed_query_count(few_then_many):
    few, many = few_then_many(lambda event, lead: event.get_absolute_url())
    assert few == many
    assert many <= 22


def test_the_personal_feed_has_a_fixed_query_count(few_then_many):
    few, many = few_then_many(
        lambda event, lead: reverse(
            "events:personal_feed", args=[lead.event_preferences.calendar_token]
        )
    )
    assert few == many
    assert many <= 6


def test_the_circle_feed_has_a_fixed_query_count(few_then_many):
    few, many = few_then_many(
        lambda event, lead: reverse("events:circle_feed", args=[event.circle.slug])
    )
    assert few == many
