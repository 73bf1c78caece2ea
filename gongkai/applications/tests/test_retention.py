"""Retention of applicants' personal data (issue 21, item 4): the purge removes what is due, keeps the annual
report of that year and the audit chain intact, is audited without personal values, and has a dry run."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from gongkai.applications.models import Application, Attachment, AttachmentPurpose, Letter
from gongkai.applications.retention import PURGED_NAME, cutoff, purge_personal_data
from gongkai.applications.tests.factories import ApplicationFactory, RemedyCaseFactory
from gongkai.applications.vocab import ApplicantType, LetterKind
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_verify
from gongkai.orgs.tests.factories import OrganisationFactory
from gongkai.reports.compute import compute_report

TODAY = dt.date(2026, 6, 1)
PDF = b"%PDF-1.4\n%%EOF\n"


def _closed(org, name, received, **extra):
    return ApplicationFactory(
        org=org, applicant_name=name, email="zhang@example.cn", address="某街1号", postcode="100000",
        id_number_enc="ciphertext", id_number_tail="1234", phone_enc="cipher", phone_tail="5678",
        applicant_key="k" * 64, received_on=received, submitted_on=received, replied=True, **extra,
    )  # fmt: skip


@pytest.fixture
def county(db, django_capture_on_commit_callbacks):
    org = OrganisationFactory(personal_data_retention_years=2)
    old = _closed(org, "张三丰", dt.date(2023, 3, 1))
    old_company = _closed(org, "某某有限公司", dt.date(2023, 5, 1), applicant_type=ApplicantType.COMMERCIAL)
    recent = _closed(org, "李四", dt.date(2025, 3, 1))
    still_open = ApplicationFactory(org=org, applicant_name="王五", received_on=dt.date(2023, 4, 1))
    in_court = _closed(org, "赵六", dt.date(2023, 6, 1))
    RemedyCaseFactory(org=org, application=in_court, filed_on=dt.date(2023, 8, 1))
    material = Attachment.objects.create(
        application=old, file=ContentFile(PDF, name="身份证.pdf"), name="身份证.pdf", purpose=AttachmentPurpose.APPLICATION,
        content_type="application/pdf", extension=".pdf", size=len(PDF), sha256="a" * 64,
    )  # fmt: skip
    Letter.objects.create(
        application=old, kind=LetterKind.REPLY, title="关于张三丰政府信息公开申请的答复", recipient="张三丰",
        body="张三丰：\n你的申请收悉。", signatory="某局", dated=dt.date(2023, 3, 10),
    )  # fmt: skip
    return {"org": org, "old": old, "company": old_company, "recent": recent, "open": still_open,
            "in_court": in_court, "material": material}  # fmt: skip


def test_purge_removes_due_personal_data_and_keeps_report_and_chain(
    county, django_capture_on_commit_callbacks
):
    org, old = county["org"], county["old"]
    report_before = compute_report(org, 2023).doc
    stored = county["material"].file.name
    assert default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        result = purge_personal_data(actor=SYSTEM_TEST, today=TODAY)

    assert result.by_org == {org.code: sorted([old.pk, county["company"].pk])} and result.attachments == 1
    old.refresh_from_db()
    assert old.applicant_name == PURGED_NAME and old.personal_data_purged_on == TODAY
    assert (old.email, old.address, old.postcode, old.id_number_enc, old.phone_tail, old.applicant_key) == (
        "", "", "", "", "", ""
    )  # fmt: skip
    assert not old.attachments.exists() and not default_storage.exists(stored)
    letter = old.letters.get()
    assert "张三丰" not in letter.recipient + letter.title + letter.body and PURGED_NAME in letter.body
    # kept: the recent one, the open one, the one in court
    for key, name in (("recent", "李四"), ("open", "王五"), ("in_court", "赵六")):
        assert Application.objects.get(pk=county[key].pk).applicant_name == name
    # the annual report of that year is unchanged; the chain verifies; audit rows hold no personal values
    assert compute_report(org, 2023).doc == report_before
    assert audit_verify(anchors=())[1] is None
    rows = AuditEntry.objects.filter(object_type="applications.application", object_id=str(old.pk))
    assert rows.filter(action="delete").exists()
    everything = json.dumps([e.canonical() for e in AuditEntry.objects.all()], ensure_ascii=False)
    for value in ("张三丰", "zhang@example.cn", "某街1号", "ciphertext"):
        assert value not in everything
    # a second run finds nothing left to do
    assert purge_personal_data(actor=SYSTEM_TEST, today=TODAY).applications == 0


def test_purge_removes_the_evidence_bundles_of_a_closed_case(county, django_capture_on_commit_callbacks):
    """A bundle holds the applicant's name and materials: it goes with them once the case is closed (issue 17)."""
    from gongkai.applications.evidence.build import evidence_bundle_build
    from gongkai.applications.models import EvidenceBundle
    from gongkai.applications.vocab import RemedyResult

    old = county["old"]
    RemedyCaseFactory(org=county["org"], application=old, filed_on=dt.date(2023, 4, 1),
                      result=RemedyResult.UPHELD, closed_on=dt.date(2023, 9, 1))  # fmt: skip
    bundle = evidence_bundle_build(actor=SYSTEM_TEST, case=old.remedy_cases.get())
    stored = [bundle.pdf.name, bundle.zip.name]
    assert all(default_storage.exists(name) for name in stored)
    with django_capture_on_commit_callbacks(execute=True):
        purge_personal_data(actor=SYSTEM_TEST, today=TODAY)
    assert not EvidenceBundle.objects.exists()
    assert not any(default_storage.exists(name) for name in stored)
    row = AuditEntry.objects.get(
        object_type="applications.application", object_id=str(old.pk), action="delete"
    )
    assert row.changes["evidence_bundles_removed"] == 1


def test_dry_run_changes_nothing_and_writes_no_audit_row(county):
    before = AuditEntry.objects.count()
    out = call_command_output("--dry-run", "--today", TODAY.isoformat())
    assert "将删除 2 件申请" in out and "1 个申请材料附件" in out
    assert Application.objects.get(pk=county["old"].pk).applicant_name == "张三丰"
    assert AuditEntry.objects.count() == before


def test_no_setting_means_no_purge(county, settings):
    settings.GONGKAI_PERSONAL_DATA_RETENTION_YEARS = None
    county["org"].personal_data_retention_years = None
    county["org"].save()
    assert purge_personal_data(actor=SYSTEM_TEST, today=TODAY).applications == 0
    settings.GONGKAI_PERSONAL_DATA_RETENTION_YEARS = (
        3  # the platform default applies: 2023-03 closings are due
    )
    assert purge_personal_data(actor=SYSTEM_TEST, today=TODAY, dry_run=True).applications == 2


def test_cutoff_counts_whole_years():
    assert cutoff(dt.date(2026, 6, 1), 2) == dt.date(2024, 6, 1)
    assert cutoff(dt.date(2028, 2, 29), 1) == dt.date(2027, 2, 28)


def call_command_output(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_bad_day_is_a_chinese_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("purge_personal_data", "--today", "2026-13-01")


def test_an_office_admin_sets_the_retention_period_on_the_organisation_page(client, org_tree):
    from django.forms.models import model_to_dict

    from gongkai.orgs.models import Role
    from gongkai.orgs.tests.factories import staff

    dept = org_tree["child"]
    client.force_login(staff(Role.OFFICE_ADMIN, org_tree["own"]))
    page = client.get(f"/admin/orgs/{dept.pk}/edit/").content.decode()
    assert "申请人个人信息保存期限（年）" in page
    data = {k: v for k, v in model_to_dict(dept).items() if v is not None}
    response = client.post(f"/admin/orgs/{dept.pk}/edit/", data | {"personal_data_retention_years": "0"})
    assert response.status_code == 200 and "确保该值大于或等于1" in response.content.decode()  # refused
    dept.refresh_from_db()
    assert dept.personal_data_retention_years is None
    response = client.post(f"/admin/orgs/{dept.pk}/edit/", data | {"personal_data_retention_years": "5"})
    assert response.status_code == 302
    dept.refresh_from_db()
    assert dept.personal_data_retention_years == 5
    row = (
        AuditEntry.objects.filter(object_type="orgs.organisation", object_id=str(dept.pk))
        .order_by("id")
        .last()
    )
    assert row is not None and row.changes["personal_data_retention_years"] == [None, 5]


# --- personal data held outside the application row (issue 21 item 4) ---------------------------


@pytest.fixture
def outside(county):
    """The due application's letters with delivery proofs and a stamped scan, its notifications; a second due
    application filed in the archive (its stamped scan is an official record)."""
    from gongkai.applications.models import LetterDelivery, LetterStamp, Status
    from gongkai.applications.vocab import ServiceMethod
    from gongkai.archives.services import archive_file
    from gongkai.notifications import recipients
    from gongkai.notifications.models import Message
    from gongkai.notifications.vocab import MessageStatus, NoticeChannel

    old, company = county["old"], county["company"]
    letter = old.letters.get()
    letter.body += "\n送达地址：某街1号，电子邮箱 zhang@example.cn。"
    letter.save()
    delivery = LetterDelivery.objects.create(
        letter=letter, method=ServiceMethod.POST, tracking_number="1100123456789", sent_on=dt.date(2023, 3, 10),
        received_on=dt.date(2023, 3, 12), proof=ContentFile(PDF + b"proof", name="回执.pdf"), proof_name="张三丰回执.pdf",
        proof_extension=".pdf", proof_sha256="b" * 64, note="张三丰本人签收",
    )  # fmt: skip
    stamp = LetterStamp.objects.create(
        letter=letter, scan=ContentFile(PDF + b"scan", name="盖章.pdf"), scan_name="盖章.pdf", scan_extension=".pdf",
        scan_sha256="c" * 64,
    )  # fmt: skip
    common = dict(org=old.org, reference=old.tracking_code, topic="答复", channel=NoticeChannel.EMAIL,
                  subject=f"答复（{old.tracking_code}）", body="某局已作出答复。")  # fmt: skip
    sent = Message.objects.create(
        application=old, recipient_sealed=recipients.seal("zhang@example.cn"), recipient_masked="z***@example.cn",
        status=MessageStatus.SENT, sent_at=dt.datetime(2023, 3, 10, tzinfo=dt.UTC), **common,
    )  # fmt: skip
    waiting = Message.objects.create(
        application=old, recipient_sealed=recipients.seal("zhang@example.cn"), recipient_masked="z***@example.cn",
        status=MessageStatus.PENDING, next_attempt_at=dt.datetime(2023, 3, 10, tzinfo=dt.UTC), **common,
    )  # fmt: skip
    Application.objects.filter(pk=company.pk).update(status=Status.CLOSED)
    company.refresh_from_db()
    archive_file(actor=SYSTEM_TEST, application=company, retention_years=10)
    company_letter = Letter.objects.create(
        application=company, kind=LetterKind.REPLY, title="答复", recipient="某某有限公司", body="某某有限公司：",
        signatory="某局", dated=dt.date(2023, 5, 10), issued_at=dt.datetime(2023, 5, 10, tzinfo=dt.UTC),
    )  # fmt: skip
    kept = LetterStamp.objects.create(
        letter=company_letter, scan=ContentFile(PDF + b"kept", name="盖章.pdf"), scan_name="盖章.pdf",
        scan_extension=".pdf", scan_sha256="d" * 64,
    )  # fmt: skip
    return {"delivery": delivery, "stamp": stamp, "sent": sent, "waiting": waiting, "kept": kept}


def test_purge_clears_messages_proofs_scans_and_letters_but_keeps_archived_records(
    county, outside, django_capture_on_commit_callbacks
):
    from gongkai.notifications.vocab import MessageStatus

    org = county["org"]
    report_before = compute_report(org, 2023).doc
    proof, scan, kept = (
        outside["delivery"].proof.name,
        outside["stamp"].scan.name,
        outside["kept"].scan.name,
    )
    assert all(default_storage.exists(n) for n in (proof, scan, kept))
    dry = purge_personal_data(actor=SYSTEM_TEST, today=TODAY, dry_run=True)
    assert dry.counts == {
        "attachments_removed": 1, "delivery_records_cleared": 1, "stamped_scans_removed": 1,
        "stamped_scans_kept_as_records": 1, "messages_cleared": 2, "evidence_bundles_removed": 0,
        "issued_pdfs_removed": 0, "issued_pdfs_kept_as_records": 0,
    }  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        result = purge_personal_data(actor=SYSTEM_TEST, today=TODAY)

    assert result.counts == dry.counts
    # notifications: no recipient, no text; what was sent when stays; the waiting one is not sent any more
    for key in ("sent", "waiting"):
        outside[key].refresh_from_db()
        m = outside[key]
        assert (m.recipient_sealed, m.recipient_masked) == ("", "") and "某局" not in m.body
        assert m.subject.startswith("答复") and m.topic == "答复"
    assert outside["sent"].status == MessageStatus.SENT and outside["sent"].sent_at
    assert outside["waiting"].status == MessageStatus.FAILED and outside["waiting"].next_attempt_at is None
    # delivery: proof file, its names, the tracking number and the note are gone; method and dates stay
    delivery = outside["delivery"]
    delivery.refresh_from_db()
    assert (delivery.proof.name, delivery.proof_name, delivery.tracking_number, delivery.note) == (
        "",
        "",
        "",
        "",
    )
    assert (delivery.sent_on, delivery.received_on) == (dt.date(2023, 3, 10), dt.date(2023, 3, 12))
    assert not default_storage.exists(proof)
    # the stamped scan of an application not filed in the archive goes; the archived one is kept
    outside["stamp"].refresh_from_db()
    assert not outside["stamp"].scan and not default_storage.exists(scan)
    outside["kept"].refresh_from_db()
    assert outside["kept"].scan.name == kept and default_storage.exists(kept)
    # every personal value in the letter, not only the name
    letter = county["old"].letters.get()
    for value in ("张三丰", "某街1号", "zhang@example.cn"):
        assert value not in letter.recipient + letter.title + letter.body
    # the statistics and the chain are intact; the audit row counts what went, never a value
    assert compute_report(org, 2023).doc == report_before
    assert audit_verify(anchors=())[1] is None
    row = AuditEntry.objects.filter(object_type="applications.application", object_id=str(county["old"].pk),
                                    action="delete").get()  # fmt: skip
    assert row.changes["delivery_records_cleared"] == 1 and row.changes["messages_cleared"] == 2
    everything = json.dumps([e.canonical() for e in AuditEntry.objects.all()], ensure_ascii=False)
    for value in ("张三丰", "zhang@example.cn", "1100123456789"):
        assert value not in everything
    # nothing left for a second run
    assert purge_personal_data(actor=SYSTEM_TEST, today=TODAY).applications == 0


def test_the_archive_hold_ends_with_the_retention_period(county, outside):
    from gongkai.applications.retention_scrub import records_held

    company = county["company"]  # filed 2023, 10 years: held to the end of 2033
    assert records_held(company, dt.date(2033, 12, 31))
    assert not records_held(company, dt.date(2034, 1, 1))
    assert not records_held(county["old"], TODAY)  # not filed


def test_a_purged_message_cannot_be_sent_again(county, outside, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    from gongkai.notifications.services import message_retry

    with django_capture_on_commit_callbacks(execute=True):
        purge_personal_data(actor=SYSTEM_TEST, today=TODAY)
    with pytest.raises(ValidationError, match="保存期限删除"):
        message_retry(actor=SYSTEM_TEST, message=outside["waiting"])


def test_the_stored_pdf_of_an_issued_letter_goes_and_comes_back_redacted(
    county, django_capture_on_commit_callbacks
):
    """The PDF stored at 出具 carries the applicant's name: the purge removes it (no archived file here); the next
    use renders the redacted letter once and stores that."""
    import io

    from pypdf import PdfReader

    from gongkai.applications.issued_pdf import letter_pdf_bytes, store_issued_pdf

    letter = county["old"].letters.get()
    Letter.objects.filter(pk=letter.pk).update(issued_at=dt.datetime(2023, 3, 10, 9, tzinfo=dt.UTC))
    letter.refresh_from_db()
    _, sha = store_issued_pdf(letter)
    name = letter.issued_pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        result = purge_personal_data(actor=SYSTEM_TEST, today=TODAY)
    assert result.counts["issued_pdfs_removed"] == 1 and not default_storage.exists(name)
    letter.refresh_from_db()
    assert (letter.issued_pdf.name, letter.issued_pdf_sha256) == ("", "")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(letter_pdf_bytes(letter))).pages)
    assert "张三丰" not in text and PURGED_NAME in text.replace(" ", "").replace("\n", "")
    letter.refresh_from_db()
    assert letter.issued_pdf_sha256 not in ("", sha)
