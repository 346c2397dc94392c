"""Files that an upload stored but whose transaction rolled back are swept away; the
files of every kept version stay."""

from datetime import timedelta

import pytest
from django.db import transaction

from documents import services, tasks
from documents.storage import document_storage
from tests.documents.factories import make_document, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_storage(settings):
    # A storage of this test's own: the sweep sees no other test's files.
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def _stored() -> set[str]:
    folders, _files = document_storage.listdir("documents")
    return {
        f"documents/{folder}/{name}"
        for folder in folders
        for name in document_storage.listdir(f"documents/{folder}")[1]
    }


class RolledBack(Exception):
    pass


def test_a_rolled_back_upload_leaves_a_file_the_sweep_deletes(meeting, lead):
    kept = make_document(event=meeting, actor=lead)
    with pytest.raises(RolledBack), transaction.atomic():
        services.document_create(actor=lead, event=meeting, title="Bilag", file=upload())
        raise RolledBack
    orphan = _stored() - {kept.current_version.file.name}
    assert len(orphan) == 1, "the service stored the file before the rollback"
    assert services.document_files_sweep() == 0, "too young: it may still be committed"
    assert services.document_files_sweep(older_than=timedelta(0)) == 1
    assert _stored() == {kept.current_version.file.name}
    assert kept.current_version.file.read().startswith(b"%PDF")


def test_every_version_of_a_document_keeps_its_file(meeting, lead):
    document = make_document(event=meeting, actor=lead)
    services.document_replace(actor=lead, document=document, file=upload("ny.pdf"))
    before = _stored()
    assert len(before) == 2
    assert tasks.document_files_sweep() == {"deleted": 0}
    assert services.document_files_sweep(older_than=timedelta(0)) == 0
    assert _stored() == before


def test_beat_runs_the_sweep_nightly_with_a_registered_task(settings):
    from komdir.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["documents-files-sweep"]
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {30}
