"""Drafting catalogue items: create, update, take over published ones, mark amended.

The rest of the catalogue's writes live beside it, one concern a module: ``index_numbers`` (索引号),
``attachments`` (upload checks and text extraction), ``workflow`` (the review steps), ``search_sync``,
``visits`` (the page-view buffer) and ``vocabularies`` (领域, 错敏词).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.actors import SYSTEM_IMPORT, Actor, acting_user
from gongkai.core.models import AuditAction
from gongkai.core.richtext import sanitise_html
from gongkai.core.services import audit_record, diff, snapshot
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, require

from .index_numbers import index_no_allocate
from .models import Field, Item, ItemEvent
from .public_pages import item_pages_changed
from .scans import refuse_blocking_hits
from .search_sync import search_sync_item
from .vocab import DisclosureAttr, Status, Validity

ITEM_FIELDS = (
    "title", "publisher", "doc_number", "written_on", "formed_on", "topic", "statutory_item", "doc_kind",
    "validity", "repealed_on", "method", "keywords", "summary", "body", "disclosure", "disclosure_reason",
    "needs_interpretation", "interprets",
)  # fmt: skip
AUDIT_FIELDS = ("org", "index_no", *ITEM_FIELDS, "status", "published_at", "imported")


def _clean_fields(fields: dict[str, Any], org: Organisation) -> dict[str, Any]:
    unknown = set(fields) - set(ITEM_FIELDS) - {"fields"}
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    if "body" in fields:
        fields["body"] = sanitise_html(fields["body"] or "", image_org=org.pk)  # only its own pictures
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
    actor: Actor,
    org: Organisation,
    index_no: str = "",
    fields: list[Field] | None = None,
    **data: Any,
) -> Item:
    """Draft an item (EDIT on ``org``). A given ``index_no`` marks an imported item, which keeps it."""
    require(actor, Action.EDIT, org, f"您没有权限在「{org.name}」起草主动公开信息。")
    data = _clean_fields(data, org)
    data.setdefault("publisher", org.name)
    item = Item(org=org, created_by=acting_user(actor), **data)
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
    ItemEvent.objects.create(item=item, from_status="", to_status=Status.DRAFT, actor=acting_user(actor))
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=item, org=org, changes=snapshot(item, AUDIT_FIELDS)
    )
    return item


@transaction.atomic
def item_update(*, actor: Actor, item: Item, fields: list[Field] | None = None, **data: Any) -> Item:
    """Change a draft (EDIT). Items in review or published are changed only by returning them to 起草."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    require(actor, Action.EDIT, item.org, f"您没有权限在「{item.org.name}」修改主动公开信息。")
    if item.status != Status.DRAFT:
        raise ValidationError(f"只有“起草”状态的信息可以修改（当前：{item.get_status_display()}）。")
    data = _clean_fields(data, item.org)
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


@transaction.atomic
def item_import_published(
    *,
    actor: Actor,
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
    require(actor, Action.MANAGE, org, f"您没有权限在「{org.name}」导入已公开的信息。")
    if not index_no.strip():
        raise ValidationError({"index_no": "导入的信息必须带原索引号。"})
    if published_at > timezone.now():
        raise ValidationError({"published_at": "发布日期不能晚于现在。"})
    if data.get("disclosure", DisclosureAttr.PROACTIVE) != DisclosureAttr.PROACTIVE:
        raise ValidationError({"disclosure": "只能导入主动公开的信息。"})
    item = item_create(actor=SYSTEM_IMPORT, org=org, index_no=index_no, fields=fields, **data)
    refuse_blocking_hits(item)
    before = snapshot(item, AUDIT_FIELDS)
    item.status, item.published_at = Status.PUBLISHED, published_at
    item.save(update_fields=["status", "published_at", "updated_at"])
    ItemEvent.objects.create(item=item, from_status=Status.DRAFT, to_status=Status.PUBLISHED,
                             actor=acting_user(actor), comment="导入已公开的信息")  # fmt: skip
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        obj=item,
        org=org,
        changes=diff(before, snapshot(item, AUDIT_FIELDS)),
    )
    transaction.on_commit(partial(search_sync_item, item.pk))
    item_pages_changed(item)
    return item


@transaction.atomic
def item_mark_amended(*, actor: Actor, item: Item, comment: str = "") -> Item:
    """Set 有效性 to 已修改 on a published item (its amended version is drafted as a new item)."""
    item = Item.objects.select_for_update().select_related("org").get(pk=item.pk)
    require(actor, (Action.REVIEW, Action.MANAGE), item.org, "您没有权限修改该信息的有效性。")
    if item.status != Status.PUBLISHED:
        raise ValidationError("只有已发布的信息可以标记为“已修改”。")
    before = snapshot(item, AUDIT_FIELDS)
    item.validity = Validity.AMENDED
    item.save(update_fields=["validity", "updated_at"])
    changes = diff(before, snapshot(item, AUDIT_FIELDS)) | ({"comment": [None, comment]} if comment else {})
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, org=item.org, changes=changes)
    item_pages_changed(item)
    return item
