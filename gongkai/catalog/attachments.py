"""Attachments of catalogue items: type sniffed from the bytes, size and shape limits, text extraction."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.core import uploads
from gongkai.core.actors import Actor
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.orgs.permissions import Action, require

from .models import Attachment, Item
from .vocab import Status

DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_TYPES = ("pdf", "docx", "xlsx", "png", "jpg", "gif", "webp")  # keys of uploads.KINDS


def max_attachment_bytes() -> int:
    """The size limit of one attachment (GONGKAI_CATALOG_MAX_ATTACHMENT_BYTES, default 20 MB)."""
    return int(getattr(settings, "GONGKAI_CATALOG_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES))


MAX_EXTRACTED_CHARS = uploads.MAX_EXTRACTED_CHARS


def _collect(texts: Iterable[str]) -> str:
    """Join texts (consumed lazily) until MAX_EXTRACTED_CHARS, under the shared time budget."""
    budget = uploads.TimeBudget()
    parts: list[str] = []
    size = 0
    for text in texts:
        budget.check()
        parts.append(text)
        size += len(text) + 1
        if size >= MAX_EXTRACTED_CHARS:
            break
    return "\n".join(parts)[:MAX_EXTRACTED_CHARS]


def extract_text(ext: str, data: bytes) -> str:
    """The text of a PDF, DOCX or XLSX (for the scans and the search index); images give none (no OCR).

    Call it on bytes that passed ``sniff_attachment`` (the zip was inspected before any parser inflates it).
    Reading stops at MAX_EXTRACTED_CHARS; a PDF over MAX_PDF_PAGES pages, or a file whose text takes longer
    than the shared time budget, is refused (``core.uploads``).
    """
    import io

    try:
        if ext == "docx":
            import docx

            document = docx.Document(io.BytesIO(data))
            cells = (c.text for t in document.tables for row in t.rows for c in row.cells)
            return _collect(itertools.chain((p.text for p in document.paragraphs), cells))
        if ext == "xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                return _collect(
                    "\t".join("" if v is None else str(v) for v in row)
                    for ws in wb.worksheets
                    for row in ws.iter_rows(max_col=uploads.MAX_SHEET_COLUMNS, values_only=True)
                )
            finally:
                wb.close()
        if ext == "pdf":
            import pdfplumber

            with pdfplumber.open(io.BytesIO(data)) as pdf:
                uploads.check_pdf_pages(len(pdf.pages))
                return _collect(page.extract_text() or "" for page in pdf.pages)
    except uploads.UploadRefused as exc:
        raise ValidationError(f"附件：{exc}") from exc
    except Exception as exc:  # a damaged file: refuse it rather than publish what nobody checked
        raise ValidationError("附件内容无法读取，请检查文件是否损坏。") from exc
    return ""


def sniff_attachment(data: bytes, name: str = "") -> tuple[str, str]:
    """(extension, MIME type) from the content, checked end to end by the shared upload guards.

    Refused: anything outside PDF/DOCX/XLSX/images, a name whose extension disagrees with the content
    (``身份证.hta`` holding a PDF), a damaged file and a decompression bomb (``core.uploads.identify``).
    """
    try:
        kind = uploads.identify(data, name, allowed=ATTACHMENT_TYPES, limit=None)  # size: attachment_add
    except uploads.UploadRefused as exc:
        if exc.reason == "type":
            raise ValidationError(
                "附件只能是 PDF、DOCX、XLSX 或图片（PNG/JPEG/GIF/WebP）文件，以文件内容判断。"
            ) from exc
        raise ValidationError(f"附件「{name}」：{exc}" if name else f"附件：{exc}") from exc
    return kind.key, kind.mime


# A spreadsheet attached to an item may be wider than an import (a budget table), but every row is bounded:
# openpyxl builds a whole row before any column limit applies (a 2,000,000-cell row took 1.5 GB).
ATTACHMENT_MAX_COLUMNS = 1000


def attachment_add(*, actor: Actor, item: Item, name: str, data: bytes) -> Attachment:
    """Attach a file to a draft: type sniffed from the bytes, size limited (GONGKAI_CATALOG_MAX_ATTACHMENT_BYTES).

    The file is checked and its text extracted *before* the transaction, so a slow file never holds the
    database's write lock; the item is then re-read under a lock and must still be a draft.
    """
    require(actor, Action.EDIT, item.org, f"您没有权限在「{item.org.name}」上传附件。")
    if item.status != Status.DRAFT:
        raise ValidationError("只有“起草”状态的信息可以上传附件。")
    limit = max_attachment_bytes()
    if not data:
        raise ValidationError("附件是空文件。")
    if len(data) > limit:
        raise ValidationError(f"附件过大：{len(data) / 1048576:.1f} MB，上限 {limit / 1048576:.0f} MB。")
    ext, mime = sniff_attachment(data, name)
    if ext == "xlsx":
        try:
            uploads.check_xlsx(data, max_columns=ATTACHMENT_MAX_COLUMNS)
        except uploads.UploadRefused as exc:
            raise ValidationError(f"附件：{exc}") from exc
    text = extract_text(ext, data)
    return _attachment_store(actor=actor, item=item, name=name, data=data, ext=ext, mime=mime, text=text)


@transaction.atomic
def _attachment_store(
    *, actor: Actor, item: Item, name: str, data: bytes, ext: str, mime: str, text: str
) -> Attachment:
    item = Item.objects.select_for_update().select_related("org").get(pk=item.pk)
    if item.status != Status.DRAFT:
        raise ValidationError("只有“起草”状态的信息可以上传附件。")
    clean_name = (name or "附件").replace("/", "_").replace("\\", "_").strip()[:200]
    att = Attachment(
        item=item,
        name=clean_name,
        ext=ext,
        mime=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
    )
    att.file.save(clean_name, ContentFile(data), save=False)
    att.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, org=item.org,
                 changes={"attachment_added": [None, {"name": att.name, "size": att.size, "sha256": att.sha256}]})  # fmt: skip
    return att


@transaction.atomic
def attachment_remove(*, actor: Actor, attachment: Attachment) -> None:
    item = attachment.item
    require(actor, Action.EDIT, item.org, f"您没有权限在「{item.org.name}」删除附件。")
    if item.status != Status.DRAFT:
        raise ValidationError("只有“起草”状态的信息可以删除附件。")
    info = {"name": attachment.name, "sha256": attachment.sha256}
    attachment.file.delete(save=False)
    attachment.delete()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=item,
        org=item.org,
        changes={"attachment_removed": [info, None]},
    )
