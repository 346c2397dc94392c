"""The documents' pages and the event page's documents pin their query counts, which do
not grow with the number of documents or versions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents import services
from tests.conftest import login
from tests.documents.factories import make_document, ooxml_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize(("viewer", "budget"), [("lead", 12), ("colleague", 13)])
def test_the_event_page_lists_its_documents_in_one_query_however_many(
    client, meeting, lead, colleague, viewer, budget
):
    url = meeting.get_absolute_url()
    login(client, {"lead": lead, "colleague": colleague}[viewer])
    client.get(url)
    make_document(event=meeting, actor=lead)
    few = count_queries(client, url)
    for number in range(6):
        document = make_document(event=meeting, actor=lead if number % 2 else None)
        services.document_replace(
            actor=lead, document=document, file=upload("v.docx", ooxml_bytes())
        )
    many = count_queries(client, url)
    assert few == many == budget


def test_the_versions_page_has_a_fixed_query_count(client, meeting, lead, colleague):
    document = make_document(event=meeting, actor=lead)
    url = reverse("documents:versions", args=[document.pk])
    login(client, colleague)
    few = count_queries(client, url)
    for number in range(8):
        services.document_replace(
            actor=lead if number % 2 else None,
            document=document,
            file=upload("v.pdf", ooxml_bytes()),
        )
    many = count_queries(client, url)
    assert few == many == 6


def test_a_download_has_a_fixed_query_count(client, meeting, lead, colleague):
    document = make_document(event=meeting, actor=lead)
    login(client, colleague)
    download = count_queries(client, reverse("documents:download", args=[document.pk]))
    version = count_queries(
        client, reverse("documents:version", args=[document.pk, document.current_version_id])
    )
    assert (download, version) == (3, 4)
