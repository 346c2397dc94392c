"""Keyset pagination walks a list both ways without counting it; bad tokens show the
first page; the capped paginator counts no further than its cap."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from core.keyset import CappedPaginator, keyset_page
from events.models import Event
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    # Two share a start: the id breaks the tie.
    starts = [start + timedelta(hours=hours) for hours in (0, 1, 1, 2, 3, 4, 5)]
    return [EventFactory(starts_at=at, ends_at=at + timedelta(hours=1)) for at in starts]


def _page(params: str, *, descending=False, size=3):
    queryset = Event.objects.filter(pk__in=[e.pk for e in Event.objects.all()])
    return keyset_page(
        queryset,
        key="starts_at",
        kind=type(timezone.now()),
        size=size,
        params=QueryDict(params),
        descending=descending,
    )


def _ids(page):
    return [event.pk for event in page.object_list]


def test_forward_and_back_again_visits_every_row_once(events):
    in_order = [e.pk for e in sorted(events, key=lambda e: (e.starts_at, e.pk))]
    first = _page("")
    assert first.previous_token is None and first.next_token
    second = _page(f"efter={first.next_token}")
    third = _page(f"efter={second.next_token}")
    assert _ids(first) + _ids(second) + _ids(third) == in_order
    assert third.next_token is None and third.previous_token
    assert _ids(_page(f"foer={third.previous_token}")) == _ids(second)
    assert _ids(_page(f"foer={second.previous_token}")) == _ids(first)


def test_newest_first(events):
    newest = [e.pk for e in sorted(events, key=lambda e: (e.starts_at, e.pk), reverse=True)]
    first = _page("", descending=True)
    second = _page(f"efter={first.next_token}", descending=True)
    assert _ids(first) + _ids(second) == newest[:6]


@pytest.mark.parametrize(
    "params",
    [
        "efter=x",
        "efter=1_",
        "foer=99999999999999999999_1",
        "efter=1_99999999999999999999",
        "efter=" + "9" * 70,
    ],
)
def test_a_bad_token_shows_the_first_page(events, params):
    assert _ids(_page(params)) == _ids(_page(""))


def test_the_capped_paginator_says_over_the_cap(events):
    paginator = CappedPaginator(Event.objects.order_by("pk"), 2, cap=5)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (5, True, 3)
    exact = CappedPaginator(Event.objects.order_by("pk"), 2, cap=50)
    assert (exact.count, exact.capped) == (len(events), False)
