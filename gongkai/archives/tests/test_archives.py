"""归档: numbers per organisation and year, never reused; retention; the package and its manifest; permissions."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from gongkai.applications.letters import letter_draft
from gongkai.applications.models import Status
from gongkai.applications.tests.factories import ApplicationFactory
from gongkai.archives.models import ArchiveRecord
from gongkai.archives.services import archive_file, archive_package
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(org_tree):
    org = org_tree["child"]
    return {
        "org": org,
        "clerk": staff(Role.CLERK, org),
        "supervisor": staff(Role.SUPERVISOR, org_tree["parent"]),
        "outsider": staff(Role.CLERK, org_tree["sibling"]),
        "sibling": org_tree["sibling"],
    }


def closed(org, closed_on=dt.date(2026, 3, 12)):
    return ApplicationFactory(org=org, status=Status.CLOSED, outcome="1", closed_on=closed_on)


def test_numbers_run_per_organisation_and_year(office):
    org, clerk = office["org"], office["clerk"]
    first = archive_file(actor=clerk, application=closed(org))
    second = archive_file(actor=clerk, application=closed(org))
    next_year = archive_file(actor=clerk, application=closed(org, dt.date(2027, 1, 5)))
    elsewhere = archive_file(actor=SYSTEM_TEST, application=closed(office["sibling"]))
    assert first.number == f"2026-{org.code}-0001" and second.number == f"2026-{org.code}-0002"
    assert next_year.number == f"2027-{org.code}-0001"
    assert elsewhere.number == f"2026-{office['sibling'].code}-0001"
    assert (first.retention_years, first.retention_label, first.keep_until) == (10, "10年", 2036)
    audit = AuditEntry.objects.get(object_type="archives.archiverecord", object_id=str(first.pk))
    assert audit.changes["number"] == [None, first.number]


def test_an_application_is_filed_once_and_numbers_stay_unique(office):
    org, clerk = office["org"], office["clerk"]
    a = archive_file(actor=clerk, application=closed(org))
    with pytest.raises(ValidationError, match="已归档"):
        archive_file(actor=clerk, application=a.application)
    b = archive_file(actor=clerk, application=closed(org))
    assert b.number != a.number and ArchiveRecord.objects.values("number").distinct().count() == 2


def test_only_closed_applications_are_filed_and_retention_is_checked(office):
    org, clerk = office["org"], office["clerk"]
    with pytest.raises(ValidationError, match="只有已办结的申请才能归档"):
        archive_file(actor=clerk, application=ApplicationFactory(org=org, replied=True))
    with pytest.raises(ValidationError, match="10年、30年或永久"):
        archive_file(actor=clerk, application=closed(org), retention_years=7)
    permanent = archive_file(actor=clerk, application=closed(org), retention_years=0)
    assert (permanent.retention_label, permanent.keep_until) == ("永久", None)
    with override_settings(GONGKAI_ARCHIVE_RETENTION_YEARS=30):
        assert archive_file(actor=clerk, application=closed(org)).retention_years == 30


def test_filing_needs_edit_on_the_organisation(office):
    for user in (office["outsider"], office["supervisor"]):
        with pytest.raises(PermissionDenied):
            archive_file(actor=user, application=closed(office["org"]))
    assert not ArchiveRecord.objects.exists()


def test_the_package_lists_every_file_with_its_checksum(office):
    org, clerk = office["org"], office["clerk"]
    application = closed(org)
    letter_draft(actor=SYSTEM_TEST, application=application, kind="reply")
    record = archive_file(actor=clerk, application=application)
    data = archive_package(actor=clerk, record=record)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist()) - {"manifest.json"}
        assert {f["path"] for f in manifest["files"]} == names
        for f in manifest["files"]:
            body = zf.read(f["path"])
            assert hashlib.sha256(body).hexdigest() == f["sha256"] and len(body) == f["size"]
        record_json = json.loads(zf.read("record.json"))
    assert manifest["archive_number"] == record.number and manifest["retention"] == "10年"
    assert record_json["application"]["tracking_code"] == application.tracking_code
    assert any(p.startswith("letters/01-reply") for p in names)
    assert AuditEntry.objects.filter(object_type="archives.archiverecord", action="export").count() == 1
    with pytest.raises(PermissionDenied):
        archive_package(actor=office["supervisor"], record=record)  # a supervisor does not see applicants


def test_the_package_holds_each_issued_letter_as_issued_with_its_stamped_scan_and_proof_of_delivery(office):
    """Issue 17: the package keeps the issued PDF (with the 电子印章 when placed), the stamped scan and the proof
    of delivery, by their bytes, in the manifest; a draft has its text only."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from gongkai.applications.letters import letter_issue
    from gongkai.applications.services import delivery, stamps

    org, clerk = office["org"], office["clerk"]
    application = closed(org)
    issued = letter_draft(actor=SYSTEM_TEST, application=application, kind="correction")
    letter_issue(actor=SYSTEM_TEST, letter=issued)
    letter_draft(actor=SYSTEM_TEST, application=application, kind="reply")  # stays a draft
    proof, scan_png = _png(), _png(9)
    stamps.letter_stamped_upload(actor=clerk, letter=issued, upload=SimpleUploadedFile("盖章.png", scan_png))
    today = timezone.localdate()
    delivery.letter_delivery_record(actor=clerk, letter=issued, method="in_person", sent_on=today,
                                    proof=SimpleUploadedFile("回执.png", proof))  # fmt: skip
    record = archive_file(actor=clerk, application=application)
    with zipfile.ZipFile(io.BytesIO(archive_package(actor=clerk, record=record))) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        by_path = {f["path"]: f for f in manifest["files"]}
        pdf = zf.read("letters/01-correction.pdf")
    assert (
        pdf.startswith(b"%PDF")
        and by_path["letters/01-correction.pdf"]["title"] == "政府信息公开申请补正告知书"
    )
    assert by_path["letters/01-correction-stamped.png"]["sha256"] == hashlib.sha256(scan_png).hexdigest()
    assert by_path["delivery/01-correction-proof.png"]["sha256"] == hashlib.sha256(proof).hexdigest()
    assert "letters/02-reply.txt" in by_path and "letters/02-reply.pdf" not in by_path  # a draft: text only


def _png(seed: int = 0) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120 + seed, 120), (seed * 20 % 255, 0, 0)).save(buffer, "PNG")
    return buffer.getvalue()


def test_archive_page_files_and_downloads(client, office):
    org, clerk = office["org"], office["clerk"]
    application = closed(org)
    client.force_login(clerk)
    page = client.get(reverse("archives:list")).content.decode()
    assert "待归档" in page and application.tracking_code in page
    response = client.post(
        reverse("archives:file", args=[application.pk]), {"retention_years": "30"}, follow=True
    )
    record = ArchiveRecord.objects.get()
    assert f"已归档，档号 {record.number}，保管期限30年。" in response.content.decode()
    download = client.get(reverse("archives:package", args=[record.pk]))
    assert download["Content-Type"] == "application/zip" and record.number in download["Content-Disposition"]
    client.force_login(office["supervisor"])
    page = client.get(reverse("archives:list")).content.decode()
    assert record.number in page and "下载（zip）" not in page
    assert client.get(reverse("archives:package", args=[record.pk])).status_code == 404
    client.force_login(office["outsider"])
    assert record.number not in client.get(reverse("archives:list")).content.decode()
