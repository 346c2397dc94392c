"""Searchable lists answer htmx with the results alone, and everything else (a history
restore too) with the whole page; caches are told the answer varies with HX-Request."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LISTS = ["members:directory", "focusareas:contribution_list"]
HTMX = {"HTTP_HX_REQUEST": "true"}
HISTORY_RESTORE = {**HTMX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}


def varies_with_hx_request(response) -> bool:
    return "hx-request" in [v.strip().lower() for v in response.get("Vary", "").split(",")]


@pytest.mark.parametrize("name", LISTS)
def test_an_htmx_request_gets_the_results_alone(member_client, name):
    response = member_client.get(reverse(name), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert varies_with_hx_request(response)


@pytest.mark.parametrize("name", LISTS)
def test_an_htmx_history_restore_gets_the_whole_page(member_client, name):
    response = member_client.get(reverse(name), **HISTORY_RESTORE)
    assert response.status_code == 200
    assert "<html" in response.content.decode()


@pytest.mark.parametrize("name", LISTS)
def test_the_whole_page_varies_with_hx_request(member_client, name):
    response = member_client.get(reverse(name))
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert varies_with_hx_request(response)
