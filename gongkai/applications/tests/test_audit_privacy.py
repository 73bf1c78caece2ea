"""Findings M3/M4 for applications: audit rows never hold applicants' personal values; reading them is logged."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications.letters import letter_update
from gongkai.applications.models import Application, Attachment
from gongkai.applications.services import intake, steps
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.core.services import REDACTED, audit_record, audit_verify, diff, snapshot
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff

from .conftest import applicant, request_data

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
PERSONAL_VALUES = ["11010519491231002X", "13800138000", "zhangsan@example.org", "某市某区某路1号"]
PDF = b"%PDF-1.4 test\n%%EOF\n"
APPLICANT_FIELDS = ("applicant_name", "id_number_enc", "id_number_tail", "phone_enc", "phone_tail", "email",
                    "address", "applicant_key")  # fmt: skip


def all_audit_text() -> str:
    rows = AuditEntry.objects.values_list("changes", "object_repr")
    return json.dumps(list(rows), ensure_ascii=False)


def test_creating_and_updating_an_application_leaves_no_personal_value_in_the_audit_log(office, register):
    # given applications with an ID number, a phone, an email and an address: one registered by staff,
    # one submitted online with an attachment
    a = register()
    intake.application_submit_public(
        org=office["org"],
        applicant=applicant(),
        request=request_data(),
        uploads=[SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf")],
    )

    # when they are updated through the services, and even when a service diffs the applicant's fields
    steps.correction_request(actor=office["clerk"], application=a, items="请补充身份证明", until=D("2026-03-10"),
                         date=D("2026-02-12"))  # fmt: skip
    steps.application_assign(actor=office["clerk"], application=a, assignee=staff(Role.CLERK, office["org"]))
    letter = a.letters.get()
    letter_update(actor=office["clerk"], letter=letter, recipient="张三（某市某区某路1号）",
                  body=letter.body + "\n联系电话：13800138000")  # fmt: skip
    before = snapshot(a, APPLICANT_FIELDS)
    a.phone_tail, a.email, a.address = "9999", "new@example.org", "另一个地址"
    audit_record(actor=office["clerk"], action=AuditAction.UPDATE, obj=a, org=a.org,
                 changes=diff(before, snapshot(a, APPLICANT_FIELDS)))  # fmt: skip
    audit_record(actor=office["clerk"], action=AuditAction.CREATE, obj=a, org=a.org,
                 changes=snapshot(Application.objects.get(pk=a.pk), APPLICANT_FIELDS))  # fmt: skip

    # then no audit row holds any of the personal values (only the names of the fields changed)
    text = all_audit_text()
    for value in [*PERSONAL_VALUES, "new@example.org", "另一个地址", "张三"]:
        assert value not in text
    last = AuditEntry.objects.order_by("-id").first()
    assert set(last.changes) == set(APPLICANT_FIELDS)
    assert audit_verify()[1] is None


# --- M4: every read of personal data leaves an audit row ------------------------------------------


def read_rows(action: str = "") -> list[AuditEntry]:
    reads = {AuditAction.READ, AuditAction.EXPORT, AuditAction.DOWNLOAD}
    return [e for e in AuditEntry.objects.order_by("id") if e.action in ({action} if action else reads)]


def test_m4_reveal_is_audited(client, office, register):
    # given an application
    a = register()
    detail = reverse("applications:detail", args=[a.pk])

    # when the clerk opens it masked, then reveals the full numbers; a supervisor (no applicant scope) tries too
    client.force_login(office["clerk"])
    assert client.get(detail).status_code == 200
    assert not read_rows()
    assert "11010519491231002X" in client.get(detail + "?reveal=1").content.decode()
    client.force_login(office["supervisor"])
    client.get(detail + "?reveal=1")

    # then exactly the clerk's reveal is recorded: who, which application, what was read
    (row,) = read_rows()
    assert (row.action, row.get_action_display()) == (AuditAction.READ, "查看")
    assert (row.actor_id, row.object_type, row.object_id) == (
        office["clerk"].pk,
        "applications.application",
        str(a.pk),
    )
    assert row.org_id == office["org"].pk and "证件号码" in row.changes["read"]
    assert "11010519491231002X" not in json.dumps(row.changes, ensure_ascii=False)


def test_m4_attachment_download_is_audited(client, office):
    # given an online application with an attachment
    a, _ = intake.application_submit_public(
        org=office["org"],
        applicant=applicant(),
        request=request_data(),
        uploads=[SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf")],
    )
    attachment = Attachment.objects.get(application=a)

    # when the clerk downloads it (and an outsider tries)
    client.force_login(office["outsider"])
    assert client.get(reverse("applications:attachment", args=[attachment.pk])).status_code == 404
    client.force_login(office["clerk"])
    response = client.get(reverse("applications:attachment", args=[attachment.pk]))
    assert response.status_code == 200

    # then one download row names the clerk and the attachment
    (row,) = read_rows()
    assert (row.action, row.get_action_display()) == (AuditAction.DOWNLOAD, "下载")
    assert (row.actor_id, row.object_type, row.object_id) == (
        office["clerk"].pk,
        "applications.attachment",
        str(attachment.pk),
    )
    assert row.org_id == office["org"].pk
    assert row.object_repr == REDACTED  # the applicant's file name stays out of the log


@pytest.mark.parametrize(
    ("kind", "fmt"), [("applications", "csv"), ("applications", "xlsx"), ("remedies", "csv")]
)
def test_m4_ledger_export_is_audited(client, office, register, kind, fmt):
    # given an application in the ledger
    register()

    # when the clerk exports the organisation's ledger
    client.force_login(office["clerk"])
    url = reverse("applications:ledger_export", args=[office["org"].code, kind, fmt])
    assert client.get(url + "?year=2026").status_code == 200

    # then one export row names the clerk, the organisation and what was exported
    (row,) = read_rows()
    assert (row.action, row.get_action_display()) == (AuditAction.EXPORT, "导出")
    assert (row.actor_id, row.object_type, row.object_id) == (
        office["clerk"].pk,
        "orgs.organisation",
        str(office["org"].pk),
    )
    assert row.org_id == office["org"].pk
    assert row.changes == {"read": f"台账 {kind}.{fmt}", "year": 2026}


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_m4_letter_download_is_audited(client, office, register, fmt):
    # given a letter (the correction notice drafted with the request)
    a = register()
    steps.correction_request(actor=office["clerk"], application=a, items="请补充身份证明", until=D("2026-03-10"),
                         date=D("2026-02-12"))  # fmt: skip
    letter = a.letters.get()

    # when the clerk downloads it
    client.force_login(office["clerk"])
    assert client.get(reverse("applications:letter_download", args=[letter.pk, fmt])).status_code == 200

    # then one download row names the clerk and the letter
    (row,) = read_rows()
    assert (row.action, row.get_action_display()) == (AuditAction.DOWNLOAD, "下载")
    assert (row.actor_id, row.object_type, row.object_id) == (
        office["clerk"].pk,
        "applications.letter",
        str(letter.pk),
    )
    assert row.org_id == office["org"].pk and fmt.upper() in row.changes["read"]
