"""Visitors' pages are cached whole and never served after a change to what they show
(core/page_cache.py); members' pages are made of fragments cached by key
(core/fragments.py) and show every change at once, and nothing of another member."""

import contextlib
import os

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext

from circles.models import Circle, CircleMembership
from core.page_cache import invalidating_models
from focusareas import services
from focusareas.models import Contribution
from tests.conftest import login
from tests.focusareas.factories import ContributionFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

LIST = "/bidrag/"

AREA = "/fokusomraader/"

# The models visitors' cached pages show: the association's text.
PUBLIC_MODELS = {
    "focusareas.page",
    "focusareas.strategyperiod",
    "focusareas.focusarea",
    "focusareas.focusarea_tags",
    "focusareas.guidingquestion",
    "taggit.tag",
}


def _get(client, url, **headers) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_no_member_gets_another_members_copy(client, member):
    other = MemberFactory(first_name="Dorthe", last_name="Kjær")
    login(client, member)
    own = client.get("/").content.decode()
    second_browser = Client()
    login(second_browser, other)
    theirs = second_browser.get("/").content.decode()
    assert "Dorthe" in theirs and "Dorthe" not in own
    assert member.first_name in own and member.first_name not in theirs


def test_a_new_comment_shows_at_once(member_client, member):
    contribution = ContributionFactory()
    url = contribution.get_absolute_url()
    member_client.get(url)
    services.comment_create(contribution=contribution, author=member, body="Godt tænkt!")
    assert "Godt tænkt!" in member_client.get(url).content.decode()


def test_a_hidden_contribution_leaves_the_cached_list_at_once(member_client, board_member):
    contribution = ContributionFactory(title="Skal skjules")
    assert "Skal skjules" in member_client.get(LIST).content.decode()
    services.contribution_hide(contribution=contribution, hidden_by=board_member, reason="Test")
    assert "Skal skjules" not in member_client.get(LIST).content.decode()


def test_leaving_the_board_or_a_circle_takes_what_they_no_longer_may_see(client, board_member):
    circle = Circle.objects.order_by("pk").first()
    CircleMembership.objects.get_or_create(member=board_member, circle=circle)
    ContributionFactory(title="Kun bestyrelsen", visibility=Contribution.Visibility.BOARD)
    ContributionFactory(
        title="Kun kredsen", visibility=Contribution.Visibility.CIRCLE, circle=circle
    )
    login(client, board_member, mfa=True)
    page = client.get(LIST).content.decode()
    assert "Kun bestyrelsen" in page and "Kun kredsen" in page

    board_member.groups.remove(Group.objects.get(name=settings.BOARD_GROUP_NAME))
    CircleMembership.objects.filter(member=board_member, circle=circle).delete()
    page = client.get(LIST).content.decode()
    assert "Kun bestyrelsen" not in page and "Kun kredsen" not in page


def test_an_erased_authors_contributions_show_them_as_former_at_once(member_client):
    author = MemberFactory(first_name="Erik", last_name="Slettet")
    contribution = ContributionFactory(author=author)
    assert "Erik Slettet" in member_client.get(contribution.get_absolute_url()).content.decode()
    services.contributions_of_erased_member(member=author, delete=False)
    assert "Erik Slettet" not in member_client.get(contribution.get_absolute_url()).content.decode()


def test_every_model_the_visitors_pages_show_empties_their_cache_when_it_changes():
    assert invalidating_models() == PUBLIC_MODELS
    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        if model._meta.auto_created:
            assert m2m_changed.has_listeners(model), label
        else:
            assert post_save.has_listeners(model), label
            assert post_delete.has_listeners(model), label


def test_a_bulk_update_of_events_empties_the_cache_too(member_client):
    from events.models import Event
    from tests.events.factories import EventFactory

    event = EventFactory(kind=Event.Kind.GENERAL_ASSEMBLY, circle=None, title="Før")
    for _ in range(2):
        member_client.get(event.get_absolute_url())
    Event.objects.filter(pk=event.pk).update(title="Efter")
    assert "Efter" in member_client.get(event.get_absolute_url()).content.decode()


def test_clear_page_cache_makes_every_cached_page_stale(client):
    from django.core.management import call_command

    rendered, _ = _get(client, AREA)
    cached, _ = _get(client, AREA)
    call_command("clear_page_cache", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert _get(client, AREA)[0] == rendered > cached


def test_a_lost_generation_never_revives_a_stored_page(client):
    from django.core.cache import cache

    from core.page_cache import PUBLIC, _generation_key, public_content_changed
    from focusareas.models import FocusArea
    from tests.focusareas.factories import FocusAreaFactory

    FocusAreaFactory(title="Gammel titel")
    for _ in range(2):
        client.get(AREA)
    cache.delete(_generation_key(PUBLIC))  # culled, or the cache was flushed in part
    FocusArea.objects.update(title="Ny titel")
    public_content_changed()
    assert "Ny titel" in client.get(AREA).content.decode()


# --- Redis down, and back -------------------------------------------------------------

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="SKIPPED LOUDLY: an outage and a recovery need a real Redis (set REDIS_URL)",
)


@contextlib.contextmanager
def redis_down(monkeypatch):
    """The default cache's Redis refuses every connection until the block ends."""
    import redis
    from django.core.cache import caches

    from komdir.cache import SharedClientRedisCache

    def refused(*args, **kwargs):
        raise redis.ConnectionError("Connection refused")

    monkeypatch.setattr(SharedClientRedisCache, "retry_after_seconds", 0)
    with monkeypatch.context() as outage:
        outage.setattr(caches["default"]._cache, "get_client", refused)
        yield


def test_with_redis_down_every_page_is_rendered_afresh(member_client, settings):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": dead}}
    contribution = ContributionFactory(title="Før")
    assert "Før" in _get(member_client, LIST)[1]
    contribution.title = "Efter"
    contribution.save()
    assert "Efter" in _get(member_client, LIST)[1]
    assert _get(Client(), "/om/")[0] == _get(Client(), "/om/")[0]


@needs_redis
def test_no_page_cached_before_an_outage_is_served_after_it(client, monkeypatch):
    from tests.focusareas.factories import FocusAreaFactory

    area = FocusAreaFactory(title="Før nedbruddet")
    for _ in range(2):
        client.get(area.get_absolute_url())
    with redis_down(monkeypatch):
        area.title = "Skrevet under nedbruddet"
        area.save()
        assert "Skrevet under nedbruddet" in client.get(area.get_absolute_url()).content.decode()
    assert "Skrevet under nedbruddet" in client.get(area.get_absolute_url()).content.decode()


@needs_redis
def test_after_an_outage_the_other_processes_serve_no_page_from_before_it(
    client, member, monkeypatch
):
    """Process A writes during the outage; once Redis answers, A's next request makes
    every page stored before the outage stale for process B too, which saw nothing."""
    from django.core.cache import caches

    from core import page_cache
    from komdir.cache import SharedClientRedisCache
    from tests.focusareas.factories import FocusAreaFactory

    area = FocusAreaFactory(title="Gammelt fokusområde")
    login(client, member)
    for _ in range(2):
        Client().get(area.get_absolute_url())
    with redis_down(monkeypatch):
        area.title = "Nyt fokusområde"
        area.save()
    client.get("/")  # process A's next request, any page

    config = settings.CACHES["default"]
    process_b = SharedClientRedisCache(config["LOCATION"], config)
    monkeypatch.setattr(page_cache, "cache", process_b)
    monkeypatch.setattr(page_cache, "_lost", set(), raising=False)
    assert "Nyt fokusområde" in Client().get(area.get_absolute_url()).content.decode()
    assert caches["default"] is not process_b
