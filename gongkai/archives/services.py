"""Filing a closed application (归档) and exporting its package; both audited.

Retention: 《机关文件材料归档范围和文书档案保管期限规定》（国家档案局令第8号）sets the periods of 文书档案 as
永久、定期30年、定期10年; which one applies to 依申请公开 files is each archive's own 保管期限表, so the default
is a setting (``GONGKAI_ARCHIVE_RETENTION_YEARS``, 10) and one of those three may be chosen per record.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.applications import crypto, dossier
from gongkai.applications.models import Application, Status
from gongkai.applications.permissions import can_see_applicants_of
from gongkai.core.actors import Actor, acting_user, is_system
from gongkai.core.exports import write_manifest_zip
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record, jsonable
from gongkai.orgs.permissions import Action, require_for_applications

from .models import ArchiveCounter, ArchiveRecord, ArchiveTransfer
from .pagecount import count_pages

RETENTION_CHOICES = ((10, "10年"), (30, "30年"), (0, "永久"))
RETENTION_REFUSED = "保管期限应为10年、30年或永久。"
DEFAULT_RETENTION_YEARS = 10
RECORD_FIELDS = (
    "tracking_code", "status", "channel", "channel_note", "submitted_on", "signed_for_on", "confirmed_on",
    "received_on", "applicant_type", "applicant_name", "contact_person", "id_type", "email", "address",
    "postcode", "info_title", "info_doc_number", "info_description", "delivery_form", "delivery_method", "outcome",
    "closed_on", "reply_summary", "basis", "withheld_grounds", "access_route", "other_procedure", "referral_name",
    "referral_contact", "reply_due", "deadline_steps",
)  # fmt: skip


def default_retention() -> int:
    return int(getattr(settings, "GONGKAI_ARCHIVE_RETENTION_YEARS", DEFAULT_RETENTION_YEARS))


def parse_retention(raw: object) -> int | None:
    """The 保管期限 chosen on a form or in a job's parameters ("10", 30, "0": years, 0 for 永久); empty or None:
    not chosen, the default applies (None). Any other value raises ValidationError: never the default instead."""
    if raw is None or raw == "":
        return None
    choice = {str(v): v for v, _ in RETENTION_CHOICES}.get(str(raw))
    if choice is None:
        raise ValidationError({"retention_years": RETENTION_REFUSED})
    return choice


def _next_serial(org: Any, year: int) -> int:
    return ArchiveCounter.locked(org=org, year=year).draw()


@transaction.atomic
def archive_file(
    *,
    actor: Actor,
    application: Application,
    retention_years: int | None = None,
    filed_on: dt.date | None = None,
) -> ArchiveRecord:
    """File a closed (已办结) application under 年度-机构代码-序号; the year is the year it was answered."""
    application = Application.objects.select_for_update().select_related("org").get(pk=application.pk)
    org = application.org
    require_for_applications(actor, Action.EDIT, org, f"您无权为「{org.name}」归档。")
    if application.status != Status.CLOSED or application.closed_on is None:
        raise ValidationError("只有已办结的申请才能归档，请先办结。")
    if ArchiveRecord.objects.filter(application=application).exists():
        raise ValidationError(f"申请{application.tracking_code}已归档，不能重复归档。")
    retention = default_retention() if retention_years is None else retention_years
    if retention not in dict(RETENTION_CHOICES):
        raise ValidationError({"retention_years": RETENTION_REFUSED})
    year = application.closed_on.year
    if ArchiveTransfer.objects.filter(org=org, year=year).exists():
        raise ValidationError(f"「{org.name}」{year}年度的档案已移交档案馆，不能再归档。")
    serial = _next_serial(org, year)
    record = ArchiveRecord(
        application=application, org=org, year=year, serial=serial, number=f"{year}-{org.code}-{serial:04d}",
        retention_years=retention, filed_on=filed_on or timezone.localdate(), filed_by=acting_user(actor),
        pages=count_pages(application),
    )  # fmt: skip
    record.full_clean(exclude=["application", "org"])
    record.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=record, org=org, changes={
        "number": [None, record.number], "retention_years": [None, retention],
        "application": [None, application.tracking_code],
    })  # fmt: skip
    return record


def _record_json(record: ArchiveRecord) -> dict[str, Any]:
    a = record.application
    return {
        "archive": {"number": record.number, "year": record.year, "org": record.org.name, "org_code": record.org.code,
                    "retention": record.retention_label, "filed_on": record.filed_on.isoformat()},
        "application": {f: jsonable(getattr(a, f)) for f in RECORD_FIELDS}
        | {"id_number": crypto.mask(a.id_number_tail), "phone": crypto.mask(a.phone_tail)},
        "events": [
            {"kind": e.kind, "label": e.get_kind_display(), "date": e.date.isoformat(), "data": jsonable(e.data),
             "note": e.note}
            for e in a.events.order_by("date", "id")
        ],
        "letters": [
            {"kind": lt.kind, "title": lt.title, "number": lt.number, "dated": lt.dated.isoformat(),
             "issued_at": jsonable(lt.issued_at)}
            for lt in a.letters.all()
        ],
    }  # fmt: skip


def _letter_text(letter: Any) -> str:
    state = "已出具" if letter.is_issued else "草稿（未出具）"
    return "\n".join([letter.title, letter.number, "", letter.recipient, *letter.paragraphs, "",
                      letter.signatory, letter.dated.isoformat(), f"（{state}）", ""])  # fmt: skip


def package_files(record: ArchiveRecord) -> list[tuple[str, str, bytes]]:
    """The files of the package, in order, each as (path, title, bytes): the record, the letters' texts, each issued
    letter as issued (its PDF — with the 电子印章 when placed — and the stamped scan), the proofs of delivery, the
    application's attachments (``applications.dossier`` says what the file holds)."""
    a = record.application
    files = [
        ("record.json", "档案记录", json.dumps(_record_json(record), ensure_ascii=False, indent=2).encode())
    ]
    for i, letter in enumerate(a.letters.all(), 1):
        state = "" if letter.is_issued else "（草稿）"
        files.append(
            (
                f"letters/{i:02d}-{letter.kind}.txt",
                f"{letter.title}{state}（文本）",
                _letter_text(letter).encode(),
            )
        )
    numbers = {letter.pk: i for i, letter in enumerate(a.letters.all(), 1)}
    for item in dossier.issued_letters(a):
        stem = f"{numbers[item.letter.pk]:02d}-{item.letter.kind}"
        files.append((f"letters/{stem}.pdf", item.pdf.title, item.pdf.content))
        if item.scan is not None:
            files.append((f"letters/{stem}-stamped{item.scan.extension}", item.scan.title, item.scan.content))
        if item.proof is not None:
            files.append(
                (f"delivery/{stem}-proof{item.proof.extension}", item.proof.title, item.proof.content)
            )
    for i, att in enumerate(a.attachments.order_by("id"), 1):
        with att.file.open("rb") as fh:
            files.append((f"attachments/{i:02d}{att.extension}", att.get_purpose_display(), fh.read()))
    return files


def archive_package(*, actor: Actor, record: ArchiveRecord) -> bytes:
    """The zip of one archive record: its files and ``manifest.json`` (each file's path, size and SHA-256)."""
    if not is_system(actor) and not can_see_applicants_of(actor, record.org):
        raise PermissionDenied(f"您无权导出「{record.org.name}」的档案（含申请人信息）。")
    files = package_files(record)
    manifest = {
        "archive_number": record.number, "year": record.year, "retention": record.retention_label,
        "generated_at": timezone.now().isoformat(),
    }  # fmt: skip
    package = write_manifest_zip(manifest, files)
    audit_record(actor=actor, action=AuditAction.EXPORT, obj=record, org=record.org,
                 changes={"files": [None, len(files)]})  # fmt: skip
    return package
