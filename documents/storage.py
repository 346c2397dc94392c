"""Where documents' files live: the `documents` entry of settings.STORAGES (files under
var/ in development, an S3-compatible bucket in production), never a public URL."""

import uuid
from pathlib import PurePath

from django.core.files.storage import Storage, storages
from django.utils.functional import LazyObject, empty

from core.text import danish_slugify

STORAGE_ALIAS = "documents"


class _DocumentStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = storages[STORAGE_ALIAS]


document_storage = _DocumentStorage()


def documents_storage() -> Storage:
    """The storage of documents' files (the FileField's callable, so that migrations name
    no backend)."""
    return document_storage


def storage_settings_changed(*, setting: str, **kwargs) -> None:
    """A changed STORAGES (tests) takes effect at the next file access."""
    if setting == "STORAGES":
        document_storage._wrapped = empty


def safe_filename(name: str) -> str:
    """An ASCII name for storage keys: the stem slugified, the extension kept if plain."""
    path = PurePath(name.replace("\\", "/")).name
    stem, dot, extension = path.rpartition(".")
    if not dot:
        stem, extension = extension, ""
    stem = danish_slugify(stem)[:80] or "dokument"
    extension = danish_slugify(extension)[:10]
    return f"{stem}.{extension}" if extension else stem


def version_upload_to(instance, filename: str) -> str:
    """documents/<random uuid>/<safe name>: nothing in the key can be guessed."""
    return f"documents/{uuid.uuid4().hex}/{safe_filename(filename)}"
