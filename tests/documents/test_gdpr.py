"""A member's uploads are in their export; erasure keeps the documents (they belong to
the association) and drops the link to who uploaded them."""

import pytest

from documents import services
from documents.models import Document, DocumentVersion
from members import gdpr
from members.selectors import member_data_export
from members.services import member_anonymise
from tests.documents.factories import make_document, ooxml_bytes, upload

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_documents_the_member_uploaded(meeting, lead):
    document = make_document(event=meeting, actor=lead, name="Dagsorden.pdf")
    services.document_replace(actor=None, document=document, file=upload("v2.docx", ooxml_bytes()))
    uploads = member_data_export(member=lead)["documents_uploaded"]
    assert [(u["document"], u["event"], u["file_name"]) for u in uploads] == [
        ("Dagsorden", meeting.title, "Dagsorden.pdf")
    ]


def test_erasure_keeps_the_documents_without_their_uploader(meeting, lead):
    document = make_document(event=meeting, actor=lead)
    member_anonymise(member=lead)
    document.refresh_from_db()
    assert Document.objects.filter(pk=document.pk).exists()
    assert document.created_by is None
    assert DocumentVersion.objects.get().uploaded_by is None
    assert document.current_version.file.open().read()


def test_the_documents_models_are_covered_by_the_registry():
    assert {"documents.Document", "documents.DocumentVersion"} <= gdpr.covered_models()
