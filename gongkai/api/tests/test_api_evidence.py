"""The evidence bundle over the API (issue 17): start a build for a remedy case, follow the job, download the PDF
and the zip (streamed, named by the core helper, each download an audit row) — and other organisations' staff
get 404 on every one of these."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest

from gongkai.accounts.services import api_token_create
from gongkai.applications import letters
from gongkai.applications.models import EvidenceBundle
from gongkai.applications.services import remedies, replies
from gongkai.applications.tests import conftest as applications_conftest
from gongkai.applications.vocab import LetterKind, RemedyKind
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditAction, AuditEntry, Job

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db
office, register = applications_conftest.office, applications_conftest.register  # the applications' fixtures


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=SYSTEM_TEST, user=user)}"}


@pytest.fixture
def case(register, office):
    a = register("2026-03-02")
    replies.application_reply(actor=office["clerk"], application=a, outcome="1", date=D("2026-03-20"))
    letters.letter_issue(actor=SYSTEM_TEST, letter=a.letters.get(kind=LetterKind.REPLY))
    return remedies.remedy_create(
        actor=office["clerk"], org=a.org, kind=RemedyKind.SUIT_DIRECT, filed_on=D("2026-04-10"), application=a,
        case_number="（2026）测0101行初9号", copy_received_on=D("2026-04-10"),
    )  # fmt: skip


def test_start_follow_and_download_a_bundle(client, case, office, django_capture_on_commit_callbacks):
    auth = _auth(office["clerk"])
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/api/evidence/remedies/{case.pk}/jobs", **auth)
    assert started.status_code == 202
    job_id = started.json()["id"]
    status = client.get(f"/api/evidence/jobs/{job_id}", **auth).json()
    assert (
        status["status"] == "succeeded" and status["status_label"] == "已完成" and status["progress"] == 100
    )
    bundle = status["bundle"]
    assert bundle["case_id"] == case.pk and bundle["pages"] >= 3
    assert [c["title"] for c in bundle["contents"]][:1] == ["政府信息公开申请登记回执"]
    stored = EvidenceBundle.objects.get(pk=bundle["id"])
    listed = client.get(f"/api/evidence/remedies/{case.pk}/bundles", **auth).json()
    assert [b["id"] for b in listed] == [stored.pk]

    pdf = client.get(bundle["pdf_url"], **auth)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.streaming
    assert (
        pdf["Content-Disposition"].startswith("attachment;")
        and "filename*=UTF-8''" in pdf["Content-Disposition"]
    )
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == stored.pdf_sha256
    archive = client.get(bundle["zip_url"], **auth)
    assert archive.status_code == 200 and archive["Content-Type"] == "application/zip"
    assert pdf["Cache-Control"] == archive["Cache-Control"] == "private, no-store"  # personal data
    names = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()
    assert "manifest.json" in names
    downloads = AuditEntry.objects.filter(
        object_type="applications.evidencebundle", object_id=str(stored.pk), action=AuditAction.DOWNLOAD
    )
    assert sorted(e.changes["read"] for e in downloads) == ["证据材料原件压缩包", "证据材料（PDF）"]
    assert client.get(f"/api/evidence/bundles/{stored.pk}/docx", **auth).status_code == 404


def test_other_organisations_staff_get_404_everywhere(
    client, case, office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = client.post(f"/api/evidence/remedies/{case.pk}/jobs", **_auth(office["clerk"])).json()["id"]
    bundle = EvidenceBundle.objects.get(case=case)
    for user in (
        office["outsider"],
        office["supervisor"],
    ):  # a sibling's clerk; a supervisor above: no applicant data
        auth = _auth(user)
        jobs_before = Job.objects.count()
        for response in (
            client.post(f"/api/evidence/remedies/{case.pk}/jobs", **auth),
            client.get(f"/api/evidence/jobs/{job_id}", **auth),
            client.get(f"/api/evidence/remedies/{case.pk}/bundles", **auth),
            client.get(f"/api/evidence/bundles/{bundle.pk}/pdf", **auth),
            client.get(f"/api/evidence/bundles/{bundle.pk}/zip", **auth),
        ):
            assert response.status_code == 404, response.content
            assert "无权" in response.json()["detail"]
        assert Job.objects.count() == jobs_before
    assert not AuditEntry.objects.filter(
        object_type="applications.evidencebundle", action=AuditAction.DOWNLOAD
    )
    assert client.get(f"/api/evidence/jobs/{job_id}").status_code == 401


def test_a_case_without_an_application_is_refused_with_the_reason(client, office):
    bare = remedies.remedy_create(
        actor=office["clerk"], org=office["org"], kind=RemedyKind.REVIEW, filed_on=D("2026-04-01")
    )
    response = client.post(f"/api/evidence/remedies/{bare.pk}/jobs", **_auth(office["clerk"]))
    assert response.status_code == 400 and "未关联申请" in str(response.json()["errors"])


def test_the_schema_documents_the_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert {
        "/api/evidence/remedies/{case_id}/jobs",
        "/api/evidence/jobs/{job_id}",
        "/api/evidence/remedies/{case_id}/bundles",
        "/api/evidence/bundles/{bundle_id}/{fmt}",
    } <= set(schema["paths"])
    assert {"status", "progress", "bundle"} <= set(schema["components"]["schemas"]["JobOut"]["properties"])
