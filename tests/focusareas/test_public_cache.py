"""The public pages are cached whole for visitors who are not logged in, per language,
and never outlive an edit; members always get their own page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from focusareas import services
from focusareas.models import FocusArea, Page
from tests.conftest import login

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ["/", "/om/", "/fokusomraader/", "/fokusomraader/civilsamfund/"]


def _queries(client, url, **headers) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_visitor_gets_the_page_from_the_cache_without_queries_or_tokens(client, url):
    first_queries, first = _queries(client, url)
    again_queries, again = _queries(client, url)
    assert first_queries > 0
    assert again_queries == 0
    assert again == first
    assert "csrfmiddlewaretoken" not in again  # nothing in it belongs to one visitor
    response = client.get(url)
    assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]


def test_each_language_has_its_own_copy(client):
    _, danish = _queries(client, "/fokusomraader/", accept_language="da")
    _, english = _queries(client, "/fokusomraader/", accept_language="en")
    assert 'lang="da"' in danish and 'lang="en"' in english
    assert _queries(client, "/fokusomraader/", accept_language="en")[1] == english


def test_an_edit_by_the_board_shows_at_once_and_after_the_commit(
    client, board_member, civilsamfund, django_capture_on_commit_callbacks
):
    url = civilsamfund.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        services.focusarea_update(
            focus_area=civilsamfund,
            author=board_member,
            title="Civilsamfundet, nytænkt",
            summary=civilsamfund.summary,
            body="Ny tekst om frivillighed.",
            questions=[
                services.QuestionInput(id=q.pk, text=q.text)
                for q in civilsamfund.questions.current()
            ],
            tags=["Civilsamfund"],
        )
    page = client.get(url).content.decode()
    assert "Civilsamfundet, nytænkt" in page and "Ny tekst om frivillighed." in page
    assert "Civilsamfundet, nytænkt" in client.get("/fokusomraader/").content.decode()


def test_an_edit_in_the_admin_shows_at_once(client):
    client.get("/om/")
    page = Page.objects.get(slug="om")
    page.body = "Foreningens formål, revideret."
    page.save()
    assert "Foreningens formål, revideret." in client.get("/om/").content.decode()
    area = FocusArea.objects.get(slug="civilsamfund")
    area.tags.clear()
    client.get(area.get_absolute_url())
    area.tags.add(Tag.objects.get(name="Frivillighed"))
    assert ">Frivillighed<" in client.get(area.get_absolute_url()).content.decode()


def test_members_never_get_the_visitors_copy_nor_leave_theirs(client, member):
    visitor_page = client.get("/").content.decode()
    login(client, member)
    member_queries, member_page = _queries(client, "/")
    assert member_queries > 0
    assert member_page != visitor_page
    assert 'action="/accounts/logout/"' in member_page
    client.logout()
    assert 'action="/accounts/logout/"' not in client.get("/").content.decode()


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client):
    client.get("/")
    client.cookies["messages"] = "anything"
    queries, _ = _queries(client, "/")
    assert queries > 0


def test_the_language_can_be_chosen_without_a_token(client):
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert 'lang="en"' in client.get("/").content.decode()
