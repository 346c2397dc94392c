"""Real, tiny files of each kind, and documents made through the services."""

import io
import struct
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services

PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 72 72]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def ooxml_bytes(folder: str = "word", part: str = "document.xml") -> bytes:
    """An Office Open XML package as Word (word/), Excel (xl/) or PowerPoint (ppt/) make."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", "<Relationships/>"),
            (f"{folder}/{part}", "<document>Dagsorden</document>"),
        ):
            # A fixed time stamp: the same package byte for byte whenever it is made.
            entry = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(entry, text)
    return buffer.getvalue()


def ole2_bytes(stream: str = "WordDocument") -> bytes:
    """An OLE2 compound file's header and a directory sector naming its main stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HH", 0x3E, 3)
    header = header.ljust(512, b"\x00")
    root = "Root Entry\0".encode("utf-16-le").ljust(128, b"\x00")
    entry = (stream + "\0").encode("utf-16-le").ljust(128, b"\x00")
    return header + b"\xff" * 512 + root + entry + b"\x00" * 256


def upload(name: str = "dagsorden.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def make_document(
    *, event, actor=None, title: str = "Dagsorden", name="dagsorden.pdf", content: bytes = PDF_BYTES
):
    """A document of the event through the service (the system uploads it by default)."""
    return services.document_create(
        actor=actor, event=event, title=title, file=upload(name, content)
    )
