"""Stored files in an S3-compatible object store (issue 21, item 1), against a real S3 server (moto in server
mode) started by the test on 127.0.0.1 and a free port: upload, download streamed through the application,
range reads, deletion, and a backup that reads its files from the store."""

from __future__ import annotations

import hashlib
import zipfile

import boto3
import pytest
from botocore.exceptions import ClientError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.test import override_settings

from gongkai.applications.models import Attachment
from gongkai.applications.tests.factories import ApplicationFactory
from gongkai.core.backup.writer import write_backup
from gongkai.core.uploads.downloads import file_response

BUCKET = "gongkai-test"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS).create_bucket(
        Bucket=BUCKET
    )
    yield endpoint
    server.stop()


@pytest.fixture
def s3(s3_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never ask an instance-metadata service
    storages = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "us-east-1",
                "access_key": "testing", "secret_key": "testing", "querystring_auth": False,
                "default_acl": None, "file_overwrite": False, "location": "media",
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }  # fmt: skip
    with override_settings(STORAGES=storages):
        yield boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)


@pytest.fixture
def attachment(s3, db):
    return Attachment.objects.create(
        application=ApplicationFactory(), file=ContentFile(PDF, name="材料.pdf"), name="材料.pdf",
        content_type="application/pdf", extension=".pdf", size=len(PDF), sha256=hashlib.sha256(PDF).hexdigest(),
    )  # fmt: skip


def test_an_attachment_is_stored_in_the_bucket_and_downloaded_through_the_application(s3, attachment):
    key = f"media/{attachment.file.name}"
    assert s3.head_object(Bucket=BUCKET, Key=key)["ContentLength"] == len(PDF)
    # the same call the download views make: the bytes stream through the application, never a link
    response = file_response(attachment.file.open("rb"), attachment.name)
    assert isinstance(response, FileResponse) and response.streaming
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Location" not in response


def test_range_reads(s3, attachment):
    with default_storage.open(attachment.file.name, "rb") as fh:
        fh.seek(1000)
        assert fh.read(300) == PDF[1000:1300]
    ranged = s3.get_object(Bucket=BUCKET, Key=f"media/{attachment.file.name}", Range="bytes=1000-1299")
    assert ranged["Body"].read() == PDF[1000:1300]
    assert ranged["ContentRange"] == f"bytes 1000-1299/{len(PDF)}"


def test_deletion_removes_the_object(s3, attachment):
    name = attachment.file.name
    assert default_storage.exists(name)
    default_storage.delete(name)
    assert not default_storage.exists(name)
    with pytest.raises(ClientError):
        s3.head_object(Bucket=BUCKET, Key=f"media/{name}")


def test_a_name_taken_is_never_overwritten(s3, attachment):
    again = default_storage.save(attachment.file.name, ContentFile(b"other"))
    assert again != attachment.file.name
    with default_storage.open(attachment.file.name, "rb") as fh:
        assert fh.read() == PDF


def test_backup_reads_the_files_from_the_bucket(s3, attachment, tmp_path):
    manifest = write_backup(tmp_path / "b.zip")
    (entry,) = manifest["files"]
    assert entry["sha256"] == hashlib.sha256(PDF).hexdigest()
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert archive.read(f"files/{attachment.file.name}") == PDF
