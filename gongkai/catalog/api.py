"""JSON API of the catalogue: create, update, transition, scan and search items (mounted at /api/catalog)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from gongkai.core.params import Id, Limit, Offset, Page
from gongkai.core.schemas import InputSchema, PatchSchema
from gongkai.orgs.permissions import Action, can
from gongkai.orgs.selectors import org_by_code, org_subtree

from . import scans, selectors, services, workflow
from .models import Field, Item
from .permissions import can_see_policy
from .vocab import DisclosureAttr, DisclosureMethod, DocKind, StatutoryItem, Topic

router = Router(tags=["主动公开"])


class ItemOut(Schema):
    id: int
    index_no: str
    org_code: str
    title: str
    publisher: str
    doc_number: str
    written_on: dt.date | None
    formed_on: dt.date | None
    published_at: dt.datetime | None
    topic: str
    statutory_item: str
    doc_kind: str
    fields: list[str]
    validity: str
    repealed_on: dt.date | None
    method: str
    keywords: str
    summary: str
    body: str
    disclosure: str
    disclosure_reason: str
    needs_interpretation: bool
    interprets_id: int | None
    status: str
    status_label: str
    imported: bool


class ItemIn(InputSchema):
    org_code: str
    title: str
    index_no: str = ""  # only for imported items, which keep their number
    publisher: str = ""
    doc_number: str = ""
    written_on: dt.date | None = None
    formed_on: dt.date | None = None
    topic: Topic = Topic.GENERAL
    statutory_item: StatutoryItem | None = None
    doc_kind: DocKind = DocKind.OTHER
    fields: list[str] = []
    method: DisclosureMethod = DisclosureMethod.WEBSITE
    keywords: str = ""
    summary: str = ""
    body: str = ""
    disclosure: DisclosureAttr = DisclosureAttr.PROACTIVE
    disclosure_reason: str = ""
    needs_interpretation: bool = False
    interprets_id: Id | None = None


class ItemImportIn(ItemIn):
    index_no: str
    published_at: dt.datetime


class ItemPatch(PatchSchema):
    nullable = frozenset({"written_on", "formed_on", "statutory_item", "interprets_id"})

    title: str | None = None
    publisher: str | None = None
    doc_number: str | None = None
    written_on: dt.date | None = None
    formed_on: dt.date | None = None
    topic: Topic | None = None
    statutory_item: StatutoryItem | None = None
    doc_kind: DocKind | None = None
    fields: list[str] | None = None
    method: DisclosureMethod | None = None
    keywords: str | None = None
    summary: str | None = None
    body: str | None = None
    disclosure: DisclosureAttr | None = None
    disclosure_reason: str | None = None
    needs_interpretation: bool | None = None
    interprets_id: Id | None = None


class TransitionIn(InputSchema):
    step: str
    comment: str = ""


class HitOut(Schema):
    kind: str
    severity: str
    field: str
    line: int
    column: int
    offset: int
    text: str
    message: str


class ItemFilter(InputSchema):
    org: str | None = None
    status: str = ""
    q: str = ""
    limit: Limit = 50
    offset: Offset = 0


class SearchResultOut(Schema):
    id: int
    index_no: str
    title: str
    title_html: str
    snippet_html: str
    org_code: str
    published_at: dt.datetime | None
    url: str


class SearchOut(Schema):
    query: str
    tokens: list[str]
    total: int
    page: int
    results: list[SearchResultOut]


def _out(item: Item) -> dict[str, Any]:
    data = {f: getattr(item, f) for f in ItemOut.model_fields if hasattr(item, f) and f not in ("fields",)}
    data.update(
        org_code=item.org.code,
        fields=[f.name for f in item.fields.all()],
        statutory_item=item.statutory_item or "",
        status_label=item.get_status_display(),
    )
    return data


def _fields(names: list[str]) -> list[Field]:
    found = {f.name: f for f in Field.objects.filter(name__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        raise ValidationError({"fields": f"未知的领域：{'、'.join(missing)}"})
    return [found[n] for n in names]


def _interprets(request: HttpRequest, item_id: int | None) -> Item | None:
    if item_id is None:
        return None
    policy = Item.objects.select_related("org").filter(pk=item_id).first()
    if policy is None or not can_see_policy(request.user, policy):
        raise ValidationError({"interprets": f"被解读的政策文件（编号 {item_id}）不存在或您无权查看。"})
    return policy


def _visible(request: HttpRequest, pk: int) -> Item:
    item = Item.objects.select_related("org").filter(pk=pk).first()
    if item is None or not can(request.user, Action.VIEW, item.org):
        raise PermissionDenied(f"信息（编号 {pk}）不存在或您无权查看。")
    return item


@router.get("/items", response=list[ItemOut], summary="可查看的主动公开信息")
def item_list(request: HttpRequest, filters: Query[ItemFilter]) -> list[dict[str, Any]]:
    org_id = None
    if filters.org:
        org = org_by_code(filters.org)
        if org is None or not can(request.user, Action.VIEW, org):
            raise PermissionDenied(f"机构「{filters.org}」不存在或您无权查看。")
        org_id = org.pk
    qs = selectors.staff_items(request.user, org_id=org_id, status=filters.status, q=filters.q)
    qs = qs.prefetch_related("fields")
    return [_out(i) for i in qs[filters.offset : filters.offset + filters.limit]]


@router.get("/items/{pk}", response=ItemOut, summary="信息详情")
def item_detail(request: HttpRequest, pk: Id) -> dict[str, Any]:
    return _out(_visible(request, pk))


@router.post("/items", response={201: ItemOut}, summary="起草信息（导入的信息可带原索引号）")
def item_create(request: HttpRequest, payload: ItemIn) -> Status[dict[str, Any]]:
    item = services.item_create(actor=request.user, **_new_item_args(request, payload))
    return Status(201, _out(item))


@router.post(
    "/import",
    response={201: ItemOut},
    summary="导入已公开的信息（保留原索引号和发布日期，公开办管理员）",
)
def item_import(request: HttpRequest, payload: ItemImportIn) -> Status[dict[str, Any]]:
    item = services.item_import_published(actor=request.user, **_new_item_args(request, payload))
    return Status(201, _out(item))


def _new_item_args(request: HttpRequest, payload: ItemIn) -> dict[str, Any]:
    """The service keywords of a new item (drafted or imported): org, fields and the payload's other values."""
    data = payload.model_dump()
    org = org_by_code(data.pop("org_code"))
    if org is None:
        raise ValidationError({"org_code": f"机构代码「{payload.org_code}」不存在。"})
    data["interprets"] = _interprets(request, data.pop("interprets_id"))
    data["statutory_item"] = data["statutory_item"] or ""
    data["fields"] = _fields(data["fields"])
    data["org"] = org
    return data


@router.patch("/items/{pk}", response=ItemOut, summary="修改草稿")
def item_update(request: HttpRequest, pk: Id, payload: ItemPatch) -> dict[str, Any]:
    item = _visible(request, pk)
    data = payload.model_dump(exclude_unset=True)
    fields = _fields(data.pop("fields")) if data.get("fields") is not None else None
    data.pop("fields", None)
    if "interprets_id" in data:
        data["interprets"] = _interprets(request, data.pop("interprets_id"))
    if "statutory_item" in data:
        data["statutory_item"] = data["statutory_item"] or ""
    return _out(services.item_update(actor=request.user, item=item, fields=fields, **data))


@router.post(
    "/items/{pk}/transition",
    response=ItemOut,
    summary="办理：" + " / ".join(workflow.WORKFLOW.names),
    description="；".join(f"{s.name}：{s.label}" for s in workflow.STEPS),
)
def item_transition(request: HttpRequest, pk: Id, payload: TransitionIn) -> dict[str, Any]:
    item = _visible(request, pk)
    return _out(
        workflow.item_transition(actor=request.user, item=item, step=payload.step, comment=payload.comment)
    )


@router.get("/items/{pk}/scan", response=list[HitOut], summary="发布前检查结果（位置与处理方式）")
def item_scan(request: HttpRequest, pk: Id) -> list[dict[str, Any]]:
    hits = scans.item_scan(_visible(request, pk))
    return [{"kind": h.kind, "severity": h.severity, "field": h.field, "line": h.line, "column": h.column,
             "offset": h.offset, "text": h.text, "message": h.message} for h in hits]  # fmt: skip


@router.get("/search", response=SearchOut, auth=None, summary="全文检索已发布的信息（公开接口）")
def search(request: HttpRequest, q: str, org: str = "", page: Page = 1) -> dict[str, Any]:
    org_ids = None
    if org:
        o = org_by_code(org)
        org_ids = list(org_subtree(o).values_list("pk", flat=True)) if o else []
    res = selectors.search_items(q, org_ids=org_ids, page=page)
    return {
        "query": res.query, "tokens": res.tokens, "total": res.total, "page": res.page,
        "results": [
            {"id": r.item.pk, "index_no": r.item.index_no, "title": r.item.title, "title_html": str(r.title_html),
             "snippet_html": str(r.snippet_html), "org_code": r.item.org.code, "published_at": r.item.published_at,
             "url": f"/gk/{r.item.org.code}/xxgk/{r.item.pk}/"}
            for r in res.results
        ],
    }  # fmt: skip
