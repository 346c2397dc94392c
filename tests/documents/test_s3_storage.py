"""Production keeps documents in any S3-compatible store, chosen by environment variables:
here moto's S3 server stands in for it, on a free local port."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer

from tests.conftest import login
from tests.documents.factories import PDF_BYTES, make_document

pytestmark = pytest.mark.django_db

BUCKET = "komdir-dokumenter"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_server():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def documents_storage_from_environment(endpoint: str) -> dict:
    """STORAGES["documents"] as komdir/settings.py builds it from the variables that
    README.md documents (read in a fresh interpreter, as a deployment would)."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DOCUMENTS_"))},
        "DEBUG": "1",
        "DOCUMENTS_S3_BUCKET": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_S3_REGION_NAME": "eu-north-1",
    }
    code = "import json, komdir.settings as s; print(json.dumps(s.STORAGES['documents']))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_version_goes_to_the_bucket_and_comes_back_through_the_view(
    s3_server, settings, client, meeting, lead
):
    storage = documents_storage_from_environment(s3_server)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["endpoint_url"] == s3_server
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="eu-north-1",
    )
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    settings.STORAGES = {**settings.STORAGES, "documents": storage}

    document = make_document(event=meeting, actor=lead, name="Årsberetning.pdf")

    key = document.current_version.file.name
    assert key.startswith("documents/") and key.endswith("/aarsberetning.pdf")
    stored = s3.get_object(Bucket=BUCKET, Key=key)
    assert stored["Body"].read() == PDF_BYTES
    login(client, lead)
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''%C3%85rsberetning.pdf" in response["Content-Disposition"]
