"""页数 of a filed application (DA/T 22-2015 5.5: the 归档文件目录 states each 件's pages): every page of the
issued letters as issued (stamped scan, else the platform's PDF), of the proofs of delivery and of the stored
originals; an image counts as one page, a PDF by its pages."""

from __future__ import annotations

import io

from gongkai.applications import dossier
from gongkai.applications.models import Application


def _pages(original: dossier.Original) -> int:
    if original.is_pdf:
        from pypdf import PdfReader

        try:
            return len(PdfReader(io.BytesIO(original.content)).pages)
        except Exception:  # noqa: BLE001 - an unreadable stored PDF still counts as one page
            return 1
    return 1


def count_pages(application: Application) -> int:
    total = 0
    for item in dossier.issued_letters(application):
        total += _pages(item.as_issued)
        if item.proof is not None:
            total += _pages(item.proof)
    for purpose in {a.purpose for a in application.attachments.all()}:
        total += sum(_pages(o) for o in dossier.materials(application, purpose))
    return total
