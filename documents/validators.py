"""What a document may be: PDF, Word, Excel or PowerPoint, old or new, up to
settings.DOCUMENTS_MAX_UPLOAD_BYTES, recognised by the file's content, never by its name.
The upload forms, the admin and the services all ask `document_file_check`."""

import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HEAD_BYTES = 8192
CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    label: str
    extension: str
    content_type: str


PDF = FileKind("PDF", "pdf", "application/pdf")
DOC = FileKind("Word", "doc", "application/msword")
DOCX = FileKind(
    "Word", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
XLS = FileKind("Excel", "xls", "application/vnd.ms-excel")
XLSX = FileKind(
    "Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
PPT = FileKind("PowerPoint", "ppt", "application/vnd.ms-powerpoint")
PPTX = FileKind(
    "PowerPoint",
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)
KINDS = (PDF, DOC, DOCX, XLS, XLSX, PPT, PPTX)
KIND_BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS}

# An Office Open XML package is a ZIP with [Content_Types].xml and its application's folder.
OOXML_FOLDERS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
# An old Office file is an OLE2 compound file; its main stream's name (UTF-16LE, as the
# directory entry holds it, followed by the name's terminating NUL) says which.
OLE2_STREAMS = tuple(
    ((name + "\0").encode("utf-16-le"), kind)
    for name, kind in (
        ("WordDocument", DOC),
        ("Workbook", XLS),
        ("Book", XLS),
        ("PowerPoint Document", PPT),
    )
)
FILETYPE_OLE2 = {"doc": DOC, "xls": XLS, "ppt": PPT}


def max_upload_bytes() -> int:
    return getattr(settings, "DOCUMENTS_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def _refused() -> ValidationError:
    return ValidationError(
        _(
            "The file is not a PDF, Word, Excel or PowerPoint document. Upload one of those "
            "(.pdf, .doc, .docx, .xls, .xlsx, .ppt or .pptx)."
        ),
        code="file_type",
    )


def _ooxml_kind(file: File) -> FileKind | None:
    try:
        with zipfile.ZipFile(file) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for folder, kind in OOXML_FOLDERS:
        if any(name.startswith(folder) for name in names):
            return kind
    return None


def _ole2_kind(file: File, head: bytes) -> FileKind | None:
    guessed = filetype.guess_extension(head)
    if guessed in FILETYPE_OLE2:
        return FILETYPE_OLE2[guessed]
    # filetype knows the common layouts only: look for the main stream's directory entry.
    overlap = max(len(marker) for marker, _kind in OLE2_STREAMS)
    file.seek(0)
    tail = b""
    while chunk := file.read(CHUNK_BYTES):
        window = tail + chunk
        for marker, kind in OLE2_STREAMS:
            if marker in window:
                return kind
        tail = window[-overlap:]
    return None


def _kind_of(file: File, head: bytes) -> FileKind | None:
    if filetype.guess_mime(head) == PDF.content_type:
        return PDF
    if head.startswith(ZIP_MAGIC):
        return _ooxml_kind(file)
    if head.startswith(OLE2_MAGIC):
        return _ole2_kind(file, head)
    return None


def document_file_check(file: File) -> FileKind:
    """The kind of an uploaded file, by its content; ValidationError (in Danish) if it is
    empty, too large, or not a PDF, Word, Excel or PowerPoint document."""
    limit = max_upload_bytes()
    size = file.size
    if size is None or size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). A document may be at most %(limit)s."),
            code="file_size",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    try:
        file.seek(0)
        head = file.read(HEAD_BYTES)
        kind = _kind_of(file, head)
    finally:
        file.seek(0)
    if kind is None:
        raise _refused()
    return kind


def validate_document_file(file: File) -> None:
    """A form field's validator: the file is a document the portal takes."""
    document_file_check(file)
