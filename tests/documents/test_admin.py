"""The admin uploads through documents.services: the same content check, a new version
on each upload, the earlier ones kept and read-only."""

import pytest
from django.urls import reverse

from documents import services
from documents.models import Document
from tests.admin_forms import admin_form_data
from tests.conftest import login
from tests.documents.factories import PDF_BYTES, make_document, ooxml_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    login(client, staff, mfa=True)
    return client


def test_adding_a_document_in_the_admin_goes_through_the_service(
    staff_client, staff, meeting, monkeypatch
):
    calls = []
    create = services.document_create
    monkeypatch.setattr(services, "document_create", lambda **kw: calls.append(kw) or create(**kw))
    page = staff_client.get(reverse("admin:documents_document_add"))
    data = admin_form_data(page, form_id="document_form", event=str(meeting.pk), title="Bilag")
    data["file"] = upload("bilag.pdf")
    response = staff_client.post(reverse("admin:documents_document_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [call["actor"] for call in calls] == [staff]
    document = Document.objects.get()
    assert (document.title, document.created_by, document.current_version.uploaded_by) == (
        "Bilag",
        staff,
        staff,
    )


def test_the_admin_refuses_a_file_that_is_not_a_document(staff_client, meeting):
    page = staff_client.get(reverse("admin:documents_document_add"))
    data = admin_form_data(page, form_id="document_form", event=str(meeting.pk), title="Bilag")
    data["file"] = upload("bilag.pdf", b"#!/bin/sh\necho hej\n")
    response = staff_client.post(reverse("admin:documents_document_add"), data)
    assert response.status_code == 200
    assert "ikke et PDF-, Word-, Excel- eller PowerPoint-dokument" in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_on_the_change_page_becomes_a_new_version(staff_client, staff, meeting):
    document = make_document(event=meeting)
    url = reverse("admin:documents_document_change", args=[document.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert reverse("documents:version", args=[document.pk, document.current_version.pk]) in (
        page.content.decode()
    )
    data = admin_form_data(page, form_id="document_form", title="Bilag, rettet")
    data["file"] = upload("bilag.docx", ooxml_bytes())
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    document.refresh_from_db()
    assert document.title == "Bilag, rettet"
    assert document.versions.count() == 2
    assert document.current_version.uploaded_by == staff
    assert document.current_version.file.open().read() == ooxml_bytes()


def test_the_admin_lists_and_searches_documents(staff_client, meeting):
    make_document(event=meeting, title="Årsregnskab", content=PDF_BYTES)
    response = staff_client.get(reverse("admin:documents_document_changelist") + "?q=regnskab")
    assert response.status_code == 200
    assert "Årsregnskab" in response.content.decode()


def test_deleting_in_the_admin_goes_through_the_service(staff_client, meeting, monkeypatch):
    document = make_document(event=meeting)
    calls = []
    delete = services.document_delete
    monkeypatch.setattr(services, "document_delete", lambda **kw: calls.append(kw) or delete(**kw))
    url = reverse("admin:documents_document_delete", args=[document.pk])
    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert len(calls) == 1
    assert not Document.objects.exists()
