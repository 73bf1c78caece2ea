"""The documents of an application as kept (案卷材料), in the order of the file: what the evidence bundle of a
remedy case and the archive package are made of, stated once.

- the applicant's materials (申请材料: the stored originals);
- every issued letter, as issued: the PDF stored when it was issued (with the 电子印章 when it was placed;
  ``issued_pdf``) and, when uploaded, the scan of the signed and stamped paper letter; drafts are not
  documents of the file;
- the proof of delivery (送达凭证) of each issued letter that has one;
- the 延期审批单 (signed approval sheets of extensions).

Nothing here checks permissions or writes audit rows: the callers (evidence bundle, archive package) do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .delivery_models import LetterDelivery, LetterStamp
from .models import Application, AttachmentPurpose, Letter


@dataclass(frozen=True)
class Original:
    """One stored file of the application: its bytes and what it is."""

    title: str  # Chinese, for a 目录 and a manifest: 「答复告知书（盖章扫描件）」
    content: bytes
    extension: str  # ".pdf", ".jpg", ".png", ".docx"

    @property
    def is_pdf(self) -> bool:
        return self.extension == ".pdf"

    @property
    def is_image(self) -> bool:
        return self.extension in {".jpg", ".png"}


@dataclass(frozen=True)
class IssuedLetter:
    """An issued letter with what proves it: the PDF as issued, the stamped scan, the delivery and its proof."""

    number: int  # its place among the application's issued letters, from 1
    letter: Letter
    pdf: Original
    scan: Original | None
    delivery: LetterDelivery | None
    proof: Original | None

    @property
    def as_issued(self) -> Original:
        """What the applicant received: the stamped scan if there is one, else the issued PDF."""
        return self.scan or self.pdf


def _read(field: object) -> bytes:
    with field.open("rb") as handle:  # type: ignore[attr-defined]
        data: bytes = handle.read()
    return data


def _extension(stored: str, name: str) -> str:
    ext = stored or ("." + name.rsplit(".", 1)[-1].lower() if "." in name else "")
    return ext if ext.startswith(".") or not ext else f".{ext}"


def _stored(title: str, field: Any, extension: str) -> Original | None:
    """A stored file (scan, proof) as an original, None when nothing was stored."""
    return Original(title, _read(field), _extension(extension, field.name)) if field else None


def materials(application: Application, purpose: str = AttachmentPurpose.APPLICATION) -> list[Original]:
    """The uploaded attachments of one purpose (申请材料, 延期审批单), by their stored bytes, oldest first."""
    label = AttachmentPurpose(purpose).label
    out = []
    for n, att in enumerate(application.attachments.filter(purpose=purpose).order_by("id"), 1):
        out.append(Original(f"{label}（{n}）", _read(att.file), _extension(att.extension, att.name)))
    return out


def issued_letters(
    application: Application, *, progress: Callable[[int, int], None] | None = None
) -> list[IssuedLetter]:
    """The application's issued letters in the order they were made, each with its proofs (``progress(n, of)``
    after each letter is rendered: a letter's PDF takes a moment)."""
    from .issued_pdf import letter_pdf_bytes

    out = []
    issued = list(
        application.letters.filter(issued_at__isnull=False)
        .order_by("created_at", "id")
        .select_related("delivery", "stamp")
    )
    for n, letter in enumerate(issued, 1):
        stamp: LetterStamp | None = getattr(letter, "stamp", None)
        delivery: LetterDelivery | None = getattr(letter, "delivery", None)
        sealed = "（加盖电子印章）" if stamp is not None and stamp.sealed_at else ""
        pdf = Original(f"{letter.title}{sealed}", letter_pdf_bytes(letter), ".pdf")  # as stored when issued
        scan = _stored(f"{letter.title}（盖章扫描件）", stamp.scan, stamp.scan_extension) if stamp else None
        proof = (
            _stored(f"{letter.title}送达凭证", delivery.proof, delivery.proof_extension) if delivery else None
        )
        out.append(IssuedLetter(n, letter, pdf, scan, delivery, proof))
        if progress is not None:
            progress(n, len(issued))
    return out
