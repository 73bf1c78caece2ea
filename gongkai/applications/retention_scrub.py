"""What the retention run removes from one application, on its row and outside it (retention.py decides when).

:func:`plan` lists what is due; :func:`apply` removes it (a dry run only counts the plan). Outside the row:

- the applicant's own materials (attachments of purpose 申请材料): rows and stored files;
- the letters' text: every personal value of the applicant (name, contact person, address, e-mail, ID and phone
  number) replaced by 「（已删除）」 in 主送, title and body — the letter, its number and dates stay;
- delivery records (送达): the proof file (回执、截图: they show the addressee's name, address, signature), its
  original name and hash, the 邮件号码 (it looks the addressee's address up at the carrier) and the free-text
  note; the method and the dates stay (the clocks and the statistics count from them);
- stamped scans of issued letters: removed, **unless the application's file is held as an official record**
  (``records_held``: filed in the archive and within its 保管期限 — 《中华人民共和国档案法》, PIPL 第四十七条第二款:
  where a retention period set by law has not ended, keep and stop other processing). The scan is the agency's
  own signed and stamped act, so the archive copy is kept with the file; without an archive record the
  platform's scan is a working copy and goes;
- the stored PDFs of issued letters (``issued_pdf``, rendered at 出具 with the applicant's name): by the same rule as
  the stamped scans — kept with an archived file, else removed; the next use renders the redacted letter once and
  stores it again (``issued_pdf.letter_pdf_bytes``);
- applicant notifications (notifications app): recipient and text (``forget_application_messages``).

Stored files are deleted only after the transaction commits, and only when no other row still names them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gongkai.notifications.services import forget_application_messages

from . import crypto
from .models import (
    Application,
    Attachment,
    AttachmentPurpose,
    EvidenceBundle,
    Letter,
    LetterDelivery,
    LetterStamp,
)

PURGED_NAME = "（已删除）"
PURGED_FIELDS = (
    "applicant_name", "contact_person", "id_number_enc", "id_number_tail", "phone_enc", "phone_tail",
    "applicant_key", "email", "address", "postcode",
)  # fmt: skip
PROOF_FIELDS = ("proof", "proof_name", "proof_extension", "proof_sha256", "tracking_number", "note")
SCAN_FIELDS = ("scan", "scan_name", "scan_extension", "scan_sha256", "scan_uploaded_at")

# "Is this application's file held as an official record on ``today``?" Registered by the apps that hold
# records (archives: filed and within its 保管期限); applications imports none of them.
RecordsHold = Callable[[Application, dt.date], bool]
_holds: dict[str, RecordsHold] = {}


def register_records_hold(name: str, hold: RecordsHold) -> None:
    _holds[name] = hold


def records_held(application: Application, today: dt.date) -> bool:
    return any(hold(application, today) for hold in _holds.values())


@dataclass
class Plan:
    """What one application still holds of its applicant's personal data."""

    application: Application
    materials: list[Attachment] = field(default_factory=list)
    proofs: list[LetterDelivery] = field(default_factory=list)
    scans: list[LetterStamp] = field(default_factory=list)
    scans_kept: list[LetterStamp] = field(default_factory=list)
    issued_pdfs: list[Letter] = field(default_factory=list)
    issued_pdfs_kept: list[Letter] = field(default_factory=list)
    messages: int = 0
    bundles: list[EvidenceBundle] = field(
        default_factory=list
    )  # 证据材料 of its remedy cases (can be rebuilt)

    def counts(self) -> dict[str, int]:
        return {
            "attachments_removed": len(self.materials),
            "delivery_records_cleared": len(self.proofs),
            "stamped_scans_removed": len(self.scans),
            "stamped_scans_kept_as_records": len(self.scans_kept),
            "issued_pdfs_removed": len(self.issued_pdfs),
            "issued_pdfs_kept_as_records": len(self.issued_pdfs_kept),
            "messages_cleared": self.messages,
            "evidence_bundles_removed": len(self.bundles),
        }


def plan(app: Application, today: dt.date) -> Plan:
    out = Plan(app, materials=list(app.attachments.filter(purpose=AttachmentPurpose.APPLICATION)))
    deliveries = LetterDelivery.objects.filter(letter__application=app).order_by("id")
    out.proofs = [d for d in deliveries if any(getattr(d, f) for f in PROOF_FIELDS)]
    stamps = [s for s in LetterStamp.objects.filter(letter__application=app).order_by("id") if s.scan]
    pdfs = list(app.letters.exclude(issued_pdf="").order_by("id"))
    held = bool(stamps or pdfs) and records_held(app, today)
    out.scans, out.scans_kept = ([], stamps) if held else (stamps, [])
    out.issued_pdfs, out.issued_pdfs_kept = ([], pdfs) if held else (pdfs, [])
    out.messages = forget_application_messages(application_id=app.pk, dry_run=True)
    out.bundles = list(EvidenceBundle.objects.filter(case__application=app))
    return out


def _delete_stored_later(file: Any, model: Any, field_name: str) -> None:
    """Delete the stored file once the rows are gone for good, unless another row still names it."""
    storage, name = file.storage, file.name

    def delete() -> None:
        if not model.objects.filter(**{field_name: name}).exists():
            storage.delete(name)

    transaction.on_commit(delete)


def personal_values(app: Application) -> list[str]:
    """The applicant's values that letters may repeat (longest first, so a name inside an address goes too)."""
    values = {app.applicant_name, app.contact_person, app.address, app.email}
    values |= {crypto.decrypt(app.id_number_enc), crypto.decrypt(app.phone_enc)}
    values -= {"", PURGED_NAME, "（无法解密）"}
    return sorted((v for v in values if len(v.strip()) >= 2), key=len, reverse=True)


def _redact(text: str, values: list[str]) -> str:
    for value in values:
        text = text.replace(value, PURGED_NAME)
    return text


def apply(p: Plan, *, today: dt.date) -> None:
    """Remove what ``p`` lists (inside the caller's transaction; files go after the commit)."""
    app = p.application
    values = personal_values(app)
    for attr in PURGED_FIELDS:
        setattr(app, attr, "")
    app.applicant_name = PURGED_NAME
    app.personal_data_purged_on = today
    app.save(update_fields=[*PURGED_FIELDS, "personal_data_purged_on", "updated_at"])
    for attachment in p.materials:
        file = attachment.file
        attachment.delete()
        _delete_stored_later(file, Attachment, "file")
    if values:
        for letter in app.letters.all():
            letter.recipient = _redact(letter.recipient, values)
            letter.title = _redact(letter.title, values)
            letter.body = _redact(letter.body, values)
            letter.save(update_fields=["recipient", "title", "body"])
    for delivery in p.proofs:
        file = delivery.proof
        for name in PROOF_FIELDS:
            setattr(delivery, name, "")
        delivery.save(update_fields=[*PROOF_FIELDS, "updated_at"])
        if file:
            _delete_stored_later(file, LetterDelivery, "proof")
    for stamp in p.scans:
        file = stamp.scan
        for name in SCAN_FIELDS:
            setattr(stamp, name, None if name == "scan_uploaded_at" else "")
        stamp.save(update_fields=list(SCAN_FIELDS))
        _delete_stored_later(file, LetterStamp, "scan")
    for letter in p.issued_pdfs:
        file = letter.issued_pdf
        Letter.objects.filter(pk=letter.pk).update(issued_pdf="", issued_pdf_sha256="")
        _delete_stored_later(file, Letter, "issued_pdf")
    for bundle in p.bundles:
        files = {"pdf": bundle.pdf, "zip": bundle.zip}
        bundle.delete()
        for name, file in files.items():
            if file:
                _delete_stored_later(file, EvidenceBundle, name)
    forget_application_messages(application_id=app.pk)
