"""Who gets a document's file, and how: as an attachment under its own name, with the
stored content type; everyone else a 404, visitors the login page."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from documents.models import Document, DocumentVersion
from documents.storage import document_storage
from tests.conftest import login
from tests.documents.factories import PDF_BYTES, make_document, ooxml_bytes, upload
from tests.members.factories import BoardMemberFactory

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def agenda(meeting, lead):
    return make_document(
        event=meeting, actor=lead, title="Dagsorden", name="Dagsorden for mødet på Ærø.pdf"
    )


def test_a_member_of_the_circle_downloads_the_file_as_an_attachment(client, agenda, colleague):
    login(client, colleague)
    response = client.get(reverse("documents:download", args=[agenda.pk]))
    assert response.status_code == 200
    assert body(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''" + quote("Dagsorden for mødet på Ærø.pdf") in disposition
    assert 'filename="Dagsorden for m_det p_ _r_.pdf"' in disposition


def test_a_member_of_another_circle_gets_404_for_every_address(client, agenda, outsider):
    version = agenda.current_version
    login(client, outsider)
    for url in (
        reverse("documents:download", args=[agenda.pk]),
        reverse("documents:version", args=[agenda.pk, version.pk]),
        reverse("documents:versions", args=[agenda.pk]),
        reverse("documents:delete", args=[agenda.pk]),
        reverse("documents:upload", args=[agenda.event_id]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_visitor_is_sent_to_the_login_page(client, agenda):
    url = reverse("documents:download", args=[agenda.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_board_sees_and_manages_documents_of_any_circle(client, agenda):
    board = BoardMemberFactory()
    login(client, board, mfa=True)
    assert client.get(reverse("documents:download", args=[agenda.pk])).status_code == 200
    assert client.get(reverse("documents:upload", args=[agenda.event_id])).status_code == 200


def test_an_unknown_version_or_one_of_another_document_is_404(client, agenda, meeting, lead):
    other = make_document(event=meeting, title="Bilag")
    login(client, lead)
    url = reverse("documents:version", args=[agenda.pk, other.current_version.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("documents:version", args=[agenda.pk, 10**9])).status_code == 404


def test_the_lead_uploads_a_document_through_the_form(client, meeting, lead):
    login(client, lead)
    response = client.post(
        reverse("documents:upload", args=[meeting.pk]),
        {"title": "Regnskab 2026", "file": upload("regnskab.docx", ooxml_bytes())},
    )
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url() + "#dokumenter"
    document = Document.objects.get(event=meeting)
    version = document.current_version
    assert (document.title, document.created_by) == ("Regnskab 2026", lead)
    assert (version.content_type, version.uploaded_by, version.size) == (
        DOCX,
        lead,
        len(ooxml_bytes()),
    )
    assert version.file.name.startswith("documents/")
    assert version.file.name.endswith("/regnskab.docx")
    assert len(version.file.name.split("/")[1]) == 32  # a random uuid, not guessable


def test_a_renamed_program_is_refused_with_a_danish_message(client, meeting, lead):
    login(client, lead)
    response = client.post(
        reverse("documents:upload", args=[meeting.pk]),
        {"title": "Dagsorden", "file": upload("dagsorden.pdf", b"MZ\x90\x00" + b"\x00" * 300)},
    )
    assert response.status_code == 200
    assert "ikke et PDF-, Word-, Excel- eller PowerPoint-dokument" in response.content.decode()
    assert not Document.objects.exists()


def test_a_too_large_file_is_refused_with_the_limit(client, meeting, lead, settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 100
    login(client, lead)
    response = client.post(
        reverse("documents:upload", args=[meeting.pk]),
        {"title": "Dagsorden", "file": upload("dagsorden.pdf", PDF_BYTES)},
    )
    assert response.status_code == 200
    assert "Filen er for stor" in response.content.decode()
    assert "højst fylde 100\xa0bytes" in response.content.decode()
    assert not Document.objects.exists()


def test_a_member_who_does_not_manage_the_event_cannot_upload_replace_or_delete(
    client, agenda, colleague
):
    login(client, colleague)
    file = upload("ny.pdf")
    assert (
        client.post(
            reverse("documents:upload", args=[agenda.event_id]), {"title": "X", "file": file}
        ).status_code
        == 404
    )
    file = upload("ny.pdf")
    assert (
        client.post(reverse("documents:versions", args=[agenda.pk]), {"file": file}).status_code
        == 404
    )
    assert client.post(reverse("documents:delete", args=[agenda.pk])).status_code == 404
    assert agenda.versions.count() == 1
    # They do see the versions, without the form.
    response = client.get(reverse("documents:versions", args=[agenda.pk]))
    assert response.status_code == 200
    assert b'type="file"' not in response.content


def test_replacing_keeps_the_earlier_versions_with_who_and_when(client, agenda, lead, meeting):
    first = agenda.current_version
    board = BoardMemberFactory(first_name="Birgitte", last_name="Holm")
    login(client, board, mfa=True)
    response = client.post(
        reverse("documents:versions", args=[agenda.pk]),
        {"file": upload("Dagsorden v2.docx", ooxml_bytes())},
    )
    assert response.status_code == 302
    agenda.refresh_from_db()
    second = agenda.current_version
    assert second != first
    assert [v.pk for v in agenda.versions.all()] == [second.pk, first.pk]
    assert (second.uploaded_by, first.uploaded_by) == (board, lead)

    download = client.get(reverse("documents:download", args=[agenda.pk]))
    assert download["Content-Type"] == DOCX
    assert body(download) == ooxml_bytes()
    old = client.get(reverse("documents:version", args=[agenda.pk, first.pk]))
    assert (old["Content-Type"], body(old)) == ("application/pdf", PDF_BYTES)

    page = client.get(reverse("documents:versions", args=[agenda.pk])).content.decode()
    assert "Søren Kragh" in page and "Birgitte Holm" in page
    assert "Dagsorden v2.docx" in page and "Dagsorden for mødet på Ærø.pdf" in page


def test_a_refused_replacement_keeps_the_current_version(client, agenda, lead):
    login(client, lead)
    response = client.post(
        reverse("documents:versions", args=[agenda.pk]), {"file": upload("x.pdf", b"hej")}
    )
    assert response.status_code == 200
    assert agenda.versions.count() == 1


def test_deleting_a_document_removes_its_versions_and_files(
    client, agenda, lead, django_capture_on_commit_callbacks
):
    name = agenda.current_version.file.name
    assert document_storage.exists(name)
    login(client, lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:delete", args=[agenda.pk]))
    assert response.status_code == 302
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert not document_storage.exists(name)


def test_the_download_name_carries_the_extension_of_what_the_file_is(client, meeting, lead):
    document = make_document(event=meeting, name="referat.pdf", content=ooxml_bytes())
    login(client, lead)
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response["Content-Type"] == DOCX
    assert 'filename="referat.docx"' in response["Content-Disposition"]


def test_the_event_page_lists_the_documents_and_offers_the_upload_to_its_lead(
    client, agenda, lead, colleague
):
    login(client, lead)
    page = client.get(agenda.event.get_absolute_url()).content.decode()
    assert 'id="dokumenter"' in page
    assert reverse("documents:download", args=[agenda.pk]) in page
    assert reverse("documents:upload", args=[agenda.event_id]) in page
    assert "Søren Kragh" in page and "PDF" in page
    client.logout()
    login(client, colleague)
    page = client.get(agenda.event.get_absolute_url()).content.decode()
    assert reverse("documents:download", args=[agenda.pk]) in page
    assert reverse("documents:upload", args=[agenda.event_id]) not in page


def test_a_deleted_event_takes_its_documents_and_their_files(
    agenda, meeting, lead, django_capture_on_commit_callbacks
):
    from events import services as event_services

    name = agenda.current_version.file.name
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_delete(actor=lead, event=meeting)
    assert not Document.objects.exists()
    assert not document_storage.exists(name)


def test_the_upload_form_says_the_limit_the_settings_give(client, meeting, lead, settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    login(client, lead)
    page = client.get(reverse("documents:upload", args=[meeting.pk])).content.decode()
    assert "højst 5,0\xa0MB" in page


@pytest.mark.parametrize(
    "title",
    ["To\nlinjer", "Nul\x00byte", "x" * 201, "   "],
    ids=["newline", "nul", "long", "blank"],
)
def test_a_hostile_title_gets_a_message_not_an_error(client, meeting, lead, title):
    login(client, lead)
    response = client.post(
        reverse("documents:upload", args=[meeting.pk]), {"title": title, "file": upload()}
    )
    assert response.status_code == 200
    assert 'class="form-error-message"' in response.content.decode()
    assert not Document.objects.exists()


def test_a_post_without_a_file_gets_a_message(client, meeting, lead, agenda):
    login(client, lead)
    response = client.post(reverse("documents:upload", args=[meeting.pk]), {"title": "X"})
    assert response.status_code == 200
    assert 'class="form-error-message"' in response.content.decode()
    response = client.post(reverse("documents:versions", args=[agenda.pk]), {})
    assert response.status_code == 200
    assert agenda.versions.count() == 1
