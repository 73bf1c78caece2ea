"""An issued letter's PDF, rendered once and kept: what was issued is what every later download, the applicant's
download, the archive package and the evidence bundle hand out — never a re-render, which would follow any later
change of the template, the fonts or the organisation's name.

- 出具 (``letters.letter_issue``) renders the PDF and stores it through the storage API under a name made of
  its SHA-256, which ``Letter.issued_pdf_sha256`` records (and the audit row of the issue).
- Placing the 电子印章 (``services.stamps.letter_seal_apply``) is the one later act that changes the letter as
  issued: the sealed PDF is rendered once and replaces the stored one; the audit row keeps both hashes. It is
  refused once the letter may have reached someone (``handed_out``: delivered, downloaded by the applicant, or
  filed): the bytes handed out are then evidence (复议、诉讼) and stay as they are. The copy replaced is deleted
  (it holds the applicant's name) only while nobody can have received it.
- Letters issued before PDFs were stored (no ``issued_pdf``) are rendered and stored on first use — the first
  download, archive or bundle — with an audit row (``SYSTEM_MIGRATION``, 「补存出具件」); from then on they are
  frozen like the others. There is no bulk migration: rendering every old letter in a migration would hold the
  deploy for minutes, and the lazy path gives the same result the first time the letter is needed.
- Reading checks the stored bytes against the recorded hash; a mismatch is an error (``IssuedPdfCorrupt``),
  never silently re-rendered.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.core.actors import SYSTEM_MIGRATION, Actor
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.core.services import audit_record

from .letters import render_pdf
from .models import Application, Letter, LetterDelivery

# The ``read`` of the audit row written when the applicant downloads a letter (delivery_views.public_letter).
APPLICANT_DOWNLOAD = "申请人下载文书"


class IssuedPdfCorrupt(RuntimeError):
    """The stored PDF of an issued letter no longer matches its recorded SHA-256."""


def handed_out_letters(application: Application, letter_ids: list[int]) -> dict[int, str]:
    """Of ``letter_ids`` (letters of ``application``), those that may have reached someone, each with how
    (「已送达」, 「已被申请人下载」, 「已归档」): a delivery recorded (even one not yet confirmed), an audit row of the
    applicant's download, or the application filed (its package holds the letters). Three queries."""
    ids = [str(pk) for pk in letter_ids]
    downloaded = set(
        AuditEntry.objects.filter(object_type=Letter._meta.label_lower, object_id__in=ids,
                                  action=AuditAction.DOWNLOAD, changes__read__startswith=APPLICANT_DOWNLOAD)
        .values_list("object_id", flat=True)
    )  # fmt: skip
    delivered = set(
        LetterDelivery.objects.filter(letter_id__in=letter_ids).values_list("letter_id", flat=True)
    )
    filed = Application.objects.filter(pk=application.pk, archive_record__isnull=False).exists()
    out = {}
    for pk in letter_ids:
        if pk in delivered:
            out[pk] = "已送达"
        elif str(pk) in downloaded:
            out[pk] = "已被申请人下载"
        elif filed:
            out[pk] = "已归档"
    return out


def handed_out(letter: Letter) -> str | None:
    """How ``letter`` may have reached someone (``handed_out_letters``), or None."""
    return handed_out_letters(letter.application, [letter.pk]).get(letter.pk)


def store_issued_pdf(letter: Letter) -> tuple[bytes, str]:
    """Render the issued ``letter`` and store the bytes (replacing any stored copy); (bytes, SHA-256). The
    caller holds the letter's row lock and writes the audit row."""
    assert letter.is_issued
    data = render_pdf(letter)
    sha = hashlib.sha256(data).hexdigest()
    replaced = letter.issued_pdf.name
    storage = letter.issued_pdf.storage
    letter.issued_pdf.save(f"{sha[:32]}.pdf", ContentFile(data), save=False)
    letter.issued_pdf_sha256 = sha
    Letter.objects.filter(pk=letter.pk).update(issued_pdf=letter.issued_pdf.name, issued_pdf_sha256=sha)
    if replaced and replaced != letter.issued_pdf.name:
        # the copy before sealing holds the applicant's name too: gone once the sealed one is committed, unless it
        # may have been handed out meanwhile (then it is evidence of what was received)
        transaction.on_commit(lambda: None if handed_out(letter) else storage.delete(replaced))
    return data, sha


def _read_stored(letter: Letter) -> bytes:
    with letter.issued_pdf.open("rb") as handle:
        data: bytes = handle.read()
    if hashlib.sha256(data).hexdigest() != letter.issued_pdf_sha256:
        raise IssuedPdfCorrupt(f"文书（{letter.pk}）的出具件与记录的摘要不符。")
    return data


def letter_pdf_bytes(letter: Letter, *, actor: Actor = SYSTEM_MIGRATION) -> bytes:
    """The letter's PDF: a draft is rendered each time (with its 「草稿」 mark); an issued letter's is the stored
    copy, stored now if it was issued before copies were kept."""
    if not letter.is_issued:
        return render_pdf(letter)
    if letter.issued_pdf and letter.issued_pdf_sha256:
        return _read_stored(letter)
    with transaction.atomic():
        locked = Letter.objects.select_for_update().select_related("application__org").get(pk=letter.pk)
        if locked.issued_pdf and locked.issued_pdf_sha256:  # stored meanwhile by another request
            data = _read_stored(locked)
        else:
            data, sha = store_issued_pdf(locked)
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, org=locked.application.org,
                         changes={"read": "补存出具件", "issued_pdf_sha256": [None, sha]})  # fmt: skip
    letter.issued_pdf, letter.issued_pdf_sha256 = locked.issued_pdf, locked.issued_pdf_sha256
    return data
