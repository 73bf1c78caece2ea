"""Every write to the catalogue: drafting, 索引号 allocation, attachments, the review workflow, the search index."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import hashlib
import itertools
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.core import uploads
from gongkai.core.documents import sanitise_html
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record, diff, snapshot
from gongkai.orgs.duties import refuse_own_work
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, can

from .models import Attachment, ColumnVisit, Field, IndexCounter, Item, ItemEvent, SearchEntry, TypoEntry
from .scans import Hit, scan_fields
from .search.backends import get_backend
from .search.text import body_tokens, title_tokens
from .vocab import DisclosureAttr, Status, Validity

ITEM_FIELDS = (
    "title", "publisher", "doc_number", "written_on", "formed_on", "topic", "statutory_item", "doc_kind",
    "validity", "repealed_on", "method", "keywords", "summary", "body", "disclosure", "disclosure_reason",
    "needs_interpretation", "interprets",
)  # fmt: skip
AUDIT_FIELDS = ("org", "index_no", *ITEM_FIELDS, "status", "published_at", "imported")

# 第十七条 keeps 公开属性 with the draft: once submitted it is fixed.
DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}


def _require(actor: Any, action: Action, org: Organisation, what: str) -> None:
    """Check a permission unless the actor is None (system jobs: CLI, import, demo loader)."""
    if actor is not None and not can(actor, action, org):
        raise PermissionDenied(f"您没有权限在「{org.name}」{what}。")


def _actor_user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- 索引号 ------------------------------------------------------------------------------------


def org_code9(org: Organisation) -> str:
    """The 前段码: the 9-character 组织机构代码 (taken from positions 9–17 of an 18-character 统一社会信用代码)."""
    code = org.code.replace("-", "").upper()
    return code[8:17] if len(code) == 18 else code


@transaction.atomic
def index_no_allocate(*, org: Organisation, year: int) -> str:
    """Draw the next ``组织机构代码/YYYY-NNNNN`` for ``org`` and ``year``; never the same twice.

    The per-organisation-year counter row is created if missing (a conflicting concurrent insert is
    ignored) and then locked with SELECT … FOR UPDATE, so concurrent drafts queue on it. A serial an
    imported item already holds is skipped. Numbers are never handed back (目录系统实施指引: 索引号唯一且不变).
    """
    IndexCounter.objects.bulk_create([IndexCounter(org=org, year=year)], ignore_conflicts=True)
    counter = IndexCounter.objects.select_for_update().get(org=org, year=year)
    prefix = f"{org_code9(org)}/{year:04d}-"
    while True:
        counter.last += 1
        if counter.last > 99999:
            raise ValidationError(f"「{org.name}」{year}年的索引号序号已用尽（最多99999个）。")
        candidate = f"{prefix}{counter.last:05d}"
        if not Item.objects.filter(index_no=candidate).exists():
            break
    counter.save(update_fields=["last"])
    return candidate


# --- drafting ------------------------------------------------------------------------------------


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(ITEM_FIELDS) - {"fields"}
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    if "body" in fields:
        fields["body"] = sanitise_html(fields["body"] or "")
    for name in ("title", "doc_number", "summary", "keywords", "publisher", "disclosure_reason"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    return fields


def _check_interprets(item: Item) -> None:
    """A 政策解读 explains a policy of its own organisation or of one above or below it."""
    policy = item.interprets
    if policy is None:
        return
    if policy.doc_kind == "interpretation":
        raise ValidationError({"interprets": "被解读的应为政策文件，不能是另一篇解读。"})
    if not (item.org.path.startswith(policy.org.path) or policy.org.path.startswith(item.org.path)):
        raise ValidationError({"interprets": "只能解读本机关或上下级机关的政策文件。"})


@transaction.atomic
def item_create(
    *,
    actor: Any | None,
    org: Organisation,
    index_no: str = "",
    fields: list[Field] | None = None,
    **data: Any,
) -> Item:
    """Draft an item (EDIT on ``org``). A given ``index_no`` marks an imported item, which keeps it."""
    _require(actor, Action.EDIT, org, "起草主动公开信息")
    data = _clean_fields(data)
    data.setdefault("publisher", org.name)
    item = Item(org=org, created_by=_actor_user(actor), **data)
    if not item.publisher:
        item.publisher = org.name
    if index_no:
        item.index_no, item.imported = index_no.strip(), True
    else:
        item.index_no = "0/0000-00000"  # placeholder so full_clean checks the rest first
    item.full_clean()
    _check_interprets(item)
    if not index_no:
        item.index_no = index_no_allocate(org=org, year=timezone.localdate().year)
    item.save()
    if fields:
        item.fields.set(fields)
    ItemEvent.objects.create(item=item, from_status="", to_status=Status.DRAFT, actor=_actor_user(actor))
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=item, org=org, changes=snapshot(item, AUDIT_FIELDS)
    )
    return item


@transaction.atomic
def item_update(*, actor: Any | None, item: Item, fields: list[Field] | None = None, **data: Any) -> Item:
    """Change a draft (EDIT). Items in review or published are changed only by returning them to 起草."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    _require(actor, Action.EDIT, item.org, "修改主动公开信息")
    if item.status != Status.DRAFT:
        raise ValidationError(f"只有“起草”状态的信息可以修改（当前：{item.get_status_display()}）。")
    data = _clean_fields(data)
    before = snapshot(item, AUDIT_FIELDS)
    old_fields = sorted(item.fields.values_list("pk", flat=True))
    for name, value in data.items():
        setattr(item, name, value)
    item.full_clean()
    _check_interprets(item)
    item.save()
    changes = diff(before, snapshot(item, AUDIT_FIELDS))
    if fields is not None:
        item.fields.set(fields)
        new_fields = sorted(f.pk for f in fields)
        if new_fields != old_fields:
            changes["fields"] = [old_fields, new_fields]
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, org=item.org, changes=changes)
    return item


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


def attachment_add(*, actor: Any | None, item: Item, name: str, data: bytes) -> Attachment:
    """Attach a file to a draft: type sniffed from the bytes, size limited (GONGKAI_CATALOG_MAX_ATTACHMENT_BYTES).

    The file is checked and its text extracted *before* the transaction, so a slow file never holds the
    database's write lock; the item is then re-read under a lock and must still be a draft.
    """
    _require(actor, Action.EDIT, item.org, "上传附件")
    if item.status != Status.DRAFT:
        raise ValidationError("只有“起草”状态的信息可以上传附件。")
    limit = int(getattr(settings, "GONGKAI_CATALOG_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES))
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
    *, actor: Any | None, item: Item, name: str, data: bytes, ext: str, mime: str, text: str
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
def attachment_remove(*, actor: Any | None, attachment: Attachment) -> None:
    item = attachment.item
    _require(actor, Action.EDIT, item.org, "删除附件")
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


@transaction.atomic
def item_import_published(
    *,
    actor: Any | None,
    org: Organisation,
    index_no: str,
    published_at: dt.datetime,
    fields: list[Field] | None = None,
    **data: Any,
) -> Item:
    """Take over an item already published elsewhere (e.g. the old 门户): its 索引号 and 发布日期 are kept.

    MANAGE on ``org`` (公开办管理员). The item is created as a draft and moved to 已发布 with an
    event saying it was imported; the pre-publication scan still runs (a blocking hit refuses it).
    """
    _require(actor, Action.MANAGE, org, "导入已公开的信息")
    if not index_no.strip():
        raise ValidationError({"index_no": "导入的信息必须带原索引号。"})
    if published_at > timezone.now():
        raise ValidationError({"published_at": "发布日期不能晚于现在。"})
    if data.get("disclosure", DisclosureAttr.PROACTIVE) != DisclosureAttr.PROACTIVE:
        raise ValidationError({"disclosure": "只能导入主动公开的信息。"})
    item = item_create(actor=None, org=org, index_no=index_no, fields=fields, **data)
    _refuse_blocking_hits(item)
    before = snapshot(item, AUDIT_FIELDS)
    item.status, item.published_at = Status.PUBLISHED, published_at
    item.save(update_fields=["status", "published_at", "updated_at"])
    ItemEvent.objects.create(item=item, from_status=Status.DRAFT, to_status=Status.PUBLISHED,
                             actor=_actor_user(actor), comment="导入已公开的信息")  # fmt: skip
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        obj=item,
        org=org,
        changes=diff(before, snapshot(item, AUDIT_FIELDS)),
    )
    transaction.on_commit(partial(search_sync_item, item.pk))
    return item


# --- scans ---------------------------------------------------------------------------------------


def dictionary_rows() -> list[tuple[str, str, str, str]]:
    return [
        (e.wrong, e.correct, e.get_kind_display(), e.severity)
        for e in TypoEntry.objects.filter(is_active=True)
    ]


def item_scan(item: Item) -> list[Hit]:
    """Run the pre-publication scans over 名称, 文号, 内容概述, 主题词, 正文 and the attachments' text."""
    fields = [("名称", item.title), ("文号", item.doc_number), ("内容概述", item.summary),
              ("主题词", item.keywords), ("正文", item.body)]  # fmt: skip
    if item.pk:
        fields += [(f"附件“{a.name}”", a.text) for a in item.attachments.all() if a.text]
    return scan_fields(fields, dictionary=dictionary_rows())


def _refuse_blocking_hits(item: Item) -> None:
    blocking = [h for h in item_scan(item) if h.blocks]
    if blocking:
        raise ValidationError(
            ["发布前检查发现以下问题，须修改后再提交："] + [str(h) for h in blocking], code="scan_blocked"
        )


# --- the workflow --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    source: Status
    target: Status
    actions: tuple[Action, ...]  # any one of them suffices
    scan: bool = False
    needs_comment: bool = False


STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step("submit", "提交保密审查", Status.DRAFT, Status.SECRECY_REVIEW, (Action.EDIT,), scan=True),
        Step("secrecy_pass", "保密审查通过", Status.SECRECY_REVIEW, Status.REVIEW, (Action.SECRECY_REVIEW,)),
        Step("secrecy_return", "保密审查退回", Status.SECRECY_REVIEW, Status.DRAFT, (Action.SECRECY_REVIEW,), needs_comment=True),
        Step("publish", "审核通过并发布", Status.REVIEW, Status.PUBLISHED, (Action.REVIEW,), scan=True),
        Step("file", "审核通过（不主动公开）", Status.REVIEW, Status.FILED, (Action.REVIEW,)),
        Step("review_return", "审核退回", Status.REVIEW, Status.DRAFT, (Action.REVIEW,), needs_comment=True),
        Step("withdraw", "撤回", Status.PUBLISHED, Status.WITHDRAWN, (Action.REVIEW, Action.MANAGE), needs_comment=True),
        Step("repeal", "废止", Status.PUBLISHED, Status.REPEALED, (Action.REVIEW, Action.MANAGE)),
        Step("reopen", "重新编辑", Status.WITHDRAWN, Status.DRAFT, (Action.EDIT,)),
    )
}  # fmt: skip
ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    status: frozenset(s.target for s in STEPS.values() if s.source == status) for status in Status
}


def steps_available(actor: Any, item: Item) -> list[Step]:
    """The steps ``actor`` may take on ``item`` now (for buttons)."""
    out = []
    for s in STEPS.values():
        if s.source != item.status or not any(can(actor, a, item.org) for a in s.actions):
            continue
        if s.name == "publish" and item.disclosure != DisclosureAttr.PROACTIVE:
            continue
        if s.name == "file" and item.disclosure == DisclosureAttr.PROACTIVE:
            continue
        out.append(s)
    return out


# 双人审核: the approving decisions of 保密审查 and 审核 (returning an item to its drafter is not refused).
FOUR_EYES_STEPS: dict[str, str] = {
    "secrecy_pass": "不能对自己起草的信息进行保密审查。",
    "publish": "不能审核自己起草的信息。",
    "file": "不能审核自己起草的信息。",
}


def item_drafters(item: Item) -> set[int]:
    """Who drafted the current revision: the creator, whoever last submitted it (提交保密审查), and everyone
    who changed it (fields or attachments) since it last became a draft — editing someone else's draft and
    then approving it is approving one's own work (red-team N4)."""
    from gongkai.core.models import AuditEntry

    drafters = {item.created_by_id} if item.created_by_id else set()
    submitter = (
        item.events.filter(to_status=Status.SECRECY_REVIEW, from_status=Status.DRAFT)
        .order_by("-id")
        .values_list("actor_id", flat=True)
        .first()
    )
    if submitter:
        drafters.add(submitter)
    returned = item.events.filter(to_status=Status.DRAFT).exclude(from_status="").order_by("-id").first()
    edits = AuditEntry.objects.filter(
        object_type=Item._meta.label_lower, object_id=str(item.pk), action=AuditAction.UPDATE
    )
    if returned is not None:
        edits = edits.filter(created_at__gte=returned.created_at)
    drafters.update(pk for pk in edits.values_list("actor_id", flat=True) if pk is not None)
    return drafters


def _transition(*, actor: Any | None, item: Item, step: Step, comment: str, extra: dict[str, Any]) -> Item:
    """The one function that changes an item's status: checks, event row, audit row, search index."""
    if item.status != step.source or step.target not in ALLOWED_TRANSITIONS[Status(item.status)]:
        raise ValidationError(f"当前状态“{item.get_status_display()}”不能执行“{step.label}”。")
    if actor is not None and not any(can(actor, a, item.org) for a in step.actions):
        raise PermissionDenied(f"您没有权限对「{item.org.name}」的信息执行“{step.label}”。")
    if step.name in FOUR_EYES_STEPS:
        refuse_own_work(actor, item.org, item_drafters(item), FOUR_EYES_STEPS[step.name])
    if step.needs_comment and not comment.strip():
        raise ValidationError(f"“{step.label}”须填写意见或理由。")
    if step.scan:
        _refuse_blocking_hits(item)
    before = snapshot(item, AUDIT_FIELDS)
    for name, value in extra.items():
        setattr(item, name, value)
    item.status = step.target
    item.full_clean()
    item.save()
    ItemEvent.objects.create(item=item, from_status=step.source, to_status=step.target,
                             actor=_actor_user(actor), comment=comment.strip()[:500])  # fmt: skip
    changes = diff(before, snapshot(item, AUDIT_FIELDS))
    if comment.strip():
        changes["comment"] = [None, comment.strip()[:500]]
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=item, org=item.org, changes=changes)
    transaction.on_commit(partial(search_sync_item, item.pk))
    return item


@transaction.atomic
def item_transition(
    *,
    actor: Any | None,
    item: Item,
    step: str,
    comment: str = "",
    published_at: dt.datetime | None = None,
    repealed_on: dt.date | None = None,
) -> Item:
    """Move an item one step along 起草 → 保密审查 → 审核 → 发布 → 撤回/废止 (《条例》第十七条、第二十六条).

    ``publish`` needs 主动公开 and a clean scan; ``file`` closes 依申请公开/不予公开 items without
    publishing them. ``published_at`` may only be back-dated by system jobs (import, demo).
    """
    if step not in STEPS:
        raise ValidationError(f"未知的操作：{step}")
    item = Item.objects.select_for_update().select_related("org").get(pk=item.pk)
    s = STEPS[step]
    extra: dict[str, Any] = {}
    if s.name == "publish":
        if item.disclosure != DisclosureAttr.PROACTIVE:
            raise ValidationError("只有公开属性为“主动公开”的信息可以发布。")
        if published_at is not None and actor is not None:
            raise PermissionDenied("发布时间由系统记录，不能手工指定。")
        extra["published_at"] = published_at or item.published_at or timezone.now()
    if s.name == "file" and item.disclosure == DisclosureAttr.PROACTIVE:
        raise ValidationError("主动公开的信息应“审核通过并发布”。")
    if s.name == "repeal":
        extra.update(validity=Validity.REPEALED, repealed_on=repealed_on or timezone.localdate())
    return _transition(actor=actor, item=item, step=s, comment=comment, extra=extra)


@transaction.atomic
def item_mark_amended(*, actor: Any | None, item: Item, comment: str = "") -> Item:
    """Set 有效性 to 已修改 on a published item (its amended version is drafted as a new item)."""
    item = Item.objects.select_for_update().select_related("org").get(pk=item.pk)
    if actor is not None and not (can(actor, Action.REVIEW, item.org) or can(actor, Action.MANAGE, item.org)):
        raise PermissionDenied("您没有权限修改该信息的有效性。")
    if item.status != Status.PUBLISHED:
        raise ValidationError("只有已发布的信息可以标记为“已修改”。")
    before = snapshot(item, AUDIT_FIELDS)
    item.validity = Validity.AMENDED
    item.save(update_fields=["validity", "updated_at"])
    changes = diff(before, snapshot(item, AUDIT_FIELDS)) | ({"comment": [None, comment]} if comment else {})
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, org=item.org, changes=changes)
    return item


# --- search index (run on commit by the workflow) ----------------------------------------------------


@transaction.atomic
def search_sync_item(item_id: int) -> None:
    """Bring the search index in line with the item: indexed while public, absent otherwise."""
    item = Item.objects.filter(pk=item_id).first()
    backend = get_backend()
    if item is None or not item.is_public:
        SearchEntry.objects.filter(item_id=item_id).delete()
        backend.remove(item_id)
        return
    entry, _ = SearchEntry.objects.update_or_create(
        item=item,
        defaults={
            "org_id": item.org_id,
            "title_tokens": title_tokens(item.title),
            "tokens": body_tokens(
                item.doc_number,
                item.index_no,
                item.summary,
                item.keywords,
                item.body,
                *item.attachments.values_list("text", flat=True),
            ),  # fmt: skip
            "published_at": item.published_at,
        },
    )
    backend.index(entry)


def search_reindex(*, batch: int = 500) -> int:
    """Rebuild the whole index from the catalogue (``gongkai catalog_reindex``); returns items indexed."""
    ids = list(Item.objects.values_list("pk", flat=True))
    stale = set(SearchEntry.objects.values_list("item_id", flat=True))
    for item_id in ids:
        search_sync_item(item_id)
    for item_id in stale - set(ids):
        search_sync_item(item_id)
    return SearchEntry.objects.count()


# --- editable vocabularies -----------------------------------------------------------------------


def _require_manage_any(actor: Any | None) -> None:
    from gongkai.orgs.permissions import orgs_where

    if actor is not None and not orgs_where(actor, Action.MANAGE).exists():
        raise PermissionDenied("只有公开办管理员或系统管理员可以维护此表。")


@transaction.atomic
def field_create(*, actor: Any | None, name: str, alias: str = "", sort_order: int = 100) -> Field:
    """Add a 领域 (local lists add fields beyond the 26 试点领域)."""
    _require_manage_any(actor)
    f = Field(name=name.strip(), alias=alias.strip(), sort_order=sort_order)
    f.full_clean()
    f.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=f, changes=snapshot(f, ("name", "alias", "sort_order"))
    )
    return f


@transaction.atomic
def typo_create(
    *, actor: Any | None, wrong: str, correct: str, kind: str, severity: str, note: str = ""
) -> TypoEntry:
    """Add an entry to the 错敏词 dictionary used by the pre-publication scan."""
    _require_manage_any(actor)
    e = TypoEntry(
        wrong=wrong.strip(), correct=correct.strip(), kind=kind, severity=severity, note=note.strip()
    )
    e.full_clean()
    e.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=e,
                 changes=snapshot(e, ("wrong", "correct", "kind", "severity", "note")))  # fmt: skip
    return e


@transaction.atomic
def typo_set_active(*, actor: Any | None, entry: TypoEntry, active: bool) -> TypoEntry:
    _require_manage_any(actor)
    if entry.is_active != active:
        entry.is_active = active
        entry.save(update_fields=["is_active"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=entry, changes={"is_active": [not active, active]}
        )
    return entry


# --- column visits (a statistic, not a record change: no audit row) -----------------------------------


# A public page view must not take a write transaction (on SQLite the database's single write lock): views are
# counted in this process and written as one UPSERT per (org, column, day) every VISIT_FLUSH_EVERY views or
# VISIT_FLUSH_SECONDS, at exit, and before the figures are read here. A crashed worker loses at most that many
# views of a statistic (BENCHMARKS.md, finding 3).
VISIT_FLUSH_EVERY = 200
VISIT_FLUSH_SECONDS = 30.0
_visits: Counter[tuple[int, str, dt.date]] = Counter()
_visits_lock = threading.Lock()
_visits_pending = 0
_visits_flushed_at = time.monotonic()


def column_visit_record(*, org: Organisation, column: str) -> None:
    """Count one public page view of ``column`` of ``org`` today (buffered, see above)."""
    global _visits_flushed_at, _visits_pending
    with _visits_lock:
        _visits[(org.pk, column, timezone.localdate())] += 1
        _visits_pending += 1
        due = (
            _visits_pending >= VISIT_FLUSH_EVERY
            or time.monotonic() - _visits_flushed_at >= VISIT_FLUSH_SECONDS
        )
        if due:
            _visits_flushed_at = time.monotonic()
    if due:
        column_visits_flush()


def column_visits_flush() -> int:
    """Write the buffered page views (one row per org, column and day; created on first view, then F() + n)."""
    from django.db.models import F

    global _visits_pending
    with _visits_lock:
        pending = dict(_visits)
        _visits.clear()
        _visits_pending = 0
    if not pending:
        return 0
    try:
        with transaction.atomic():
            ColumnVisit.objects.bulk_create(
                [ColumnVisit(org_id=o, column=c, day=d) for (o, c, d) in pending], ignore_conflicts=True
            )
            for (o, c, d), n in pending.items():
                ColumnVisit.objects.filter(org_id=o, column=c, day=d).update(count=F("count") + n)
    except Exception:
        with _visits_lock:  # keep them for the next flush rather than lose them
            _visits.update(pending)
            _visits_pending += sum(pending.values())
        raise
    return sum(pending.values())


def column_visits_discard() -> None:
    """Drop this process's buffered views unwritten (tests start from an empty buffer)."""
    global _visits_pending
    with _visits_lock:
        _visits.clear()
        _visits_pending = 0


def _flush_at_exit() -> None:
    with contextlib.suppress(Exception):  # at exit there is nobody left to tell
        column_visits_flush()


atexit.register(_flush_at_exit)
