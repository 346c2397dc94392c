"""Documents are recognised by their content, never by their name."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile

from documents.validators import DOC, DOCX, PDF, PPT, PPTX, XLS, XLSX, document_file_check
from tests.documents.factories import PDF_BYTES, ole2_bytes, ooxml_bytes, upload


def test_a_real_pdf_is_a_pdf():
    assert document_file_check(upload("referat.pdf", PDF_BYTES)) == PDF


@pytest.mark.parametrize(
    ("folder", "part", "kind"),
    [
        ("word", "document.xml", DOCX),
        ("xl", "workbook.xml", XLSX),
        ("ppt", "presentation.xml", PPTX),
    ],
)
def test_office_open_xml_files_are_told_apart_by_what_the_zip_holds(folder, part, kind):
    assert document_file_check(upload("fil.bin", ooxml_bytes(folder, part))) == kind


@pytest.mark.parametrize(
    ("stream", "kind"),
    [("WordDocument", DOC), ("Workbook", XLS), ("Book", XLS), ("PowerPoint Document", PPT)],
)
def test_old_office_files_are_told_apart_by_their_main_stream(stream, kind):
    assert document_file_check(upload("gammel.dat", ole2_bytes(stream))) == kind


def test_a_docx_named_pdf_is_still_a_docx():
    assert document_file_check(upload("dagsorden.pdf", ooxml_bytes())) == DOCX


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,  # a Windows .exe
        b"Bare tekst, ikke en PDF.\n",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        ole2_bytes("Noget andet"),
    ],
    ids=["exe", "text", "png", "other-ole2"],
)
def test_anything_else_with_a_pdf_name_is_refused_in_danish(content):
    with pytest.raises(ValidationError) as refused:
        document_file_check(upload("dagsorden.pdf", content))
    assert refused.value.code == "file_type"
    assert "ikke et PDF-, Word-, Excel- eller PowerPoint-dokument" in refused.value.messages[0]


def test_a_plain_zip_is_not_an_office_document():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")  # no [Content_Types].xml
    with pytest.raises(ValidationError):
        document_file_check(upload("x.docx", buffer.getvalue()))


def test_a_broken_zip_is_refused_not_an_error():
    with pytest.raises(ValidationError):
        document_file_check(upload("x.docx", b"PK\x03\x04" + b"\x00" * 50))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        document_file_check(upload("tom.pdf", b""))
    assert refused.value.code == "empty"


def test_a_file_over_the_limit_is_refused_with_the_limit(settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = len(PDF_BYTES) - 1
    with pytest.raises(ValidationError) as refused:
        document_file_check(upload("stor.pdf", PDF_BYTES))
    assert refused.value.code == "file_size"


def test_the_default_limit_is_20_mb_and_the_message_says_so():
    import io

    # The size is what the upload declares: no 20 MB are allocated for this.
    big = InMemoryUploadedFile(
        io.BytesIO(PDF_BYTES), "file", "stor.pdf", "application/pdf", 20 * 1024 * 1024 + 1, None
    )
    with pytest.raises(ValidationError) as refused:
        document_file_check(big)
    assert "20,0" in refused.value.messages[0] or "20.0" in refused.value.messages[0]
    exactly = InMemoryUploadedFile(
        io.BytesIO(PDF_BYTES), "file", "ok.pdf", "application/pdf", 20 * 1024 * 1024, None
    )
    assert document_file_check(exactly) == PDF
