"""Public catalogue pages: 制度, 法定主动公开内容, filtered lists, item pages, attachments, RSS."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed

from gongkai.catalog import selectors as catalog
from gongkai.catalog.pdf import item_pdf, item_pdf_name
from gongkai.catalog.permissions import can_see_policy
from gongkai.catalog.visits import column_visit_record
from gongkai.catalog.vocab import DocKind, StatutoryItem
from gongkai.core import pagecache
from gongkai.core.pagecache import public_page
from gongkai.core.paging import CappedPaginator
from gongkai.core.uploads import content_disposition, file_response
from gongkai.orgs.models import Organisation
from gongkai.orgs.public_pages import page_scope, page_scope_of
from gongkai.orgs.selectors import org_subtree

from .chrome import ancestors
from .chrome import public_org as _org
from .columns import BY_SLUG, COLUMNS
from .filters import ListFilter, scope_ids, subtree_rows, walks_dates

PER_PAGE = 20
LIST_PARAMS = (
    "org",
    "item",
    "year",
    "validity",
    "page",
)  # what the list reads; its cached copies vary by them


def _kept_only_if_canonical(request: HttpRequest, page: Page, *, valid: bool = True) -> Page:
    """A page number the list does not have (shown as its first or last page) or invalid filters: served, not kept."""
    asked = request.GET.get("page")
    if not valid or asked not in (None, "", str(page.number)):
        pagecache.not_cacheable()
    return page


def _context(org: Organisation, slug: str, **extra: Any) -> dict[str, Any]:
    return {"org": org, "columns": COLUMNS, "column": BY_SLUG[slug], "ancestors": ancestors(org), **extra}


@public_page(scope=page_scope_of, params=("page",))
def zhidu(request: HttpRequest, code: str) -> HttpResponse:
    """政府信息公开制度: the organisation's published disclosure rules."""
    org = _org(code)
    column_visit_record(org=org, column="zhidu")
    paginator = Paginator(catalog.public_items(org_ids=[org.pk], doc_kind=DocKind.DISCLOSURE_RULE), PER_PAGE)
    page = _kept_only_if_canonical(request, paginator.get_page(request.GET.get("page")))
    return render(request, "portal/column_zhidu.html", _context(org, "zhidu", page=page))


@public_page(scope=page_scope_of)
def fdzdgknr(request: HttpRequest, code: str) -> HttpResponse:
    """法定主动公开内容, one section per 《条例》第二十条 item (and 第二十一条 items by level)."""
    org = _org(code)
    column_visit_record(org=org, column="fdzdgknr")
    sections = catalog.statutory_sections(org)
    return render(request, "portal/column_fdzdgknr.html", _context(org, "fdzdgknr", sections=sections))


@public_page(scope=page_scope_of, params=LIST_PARAMS)
def item_list(request: HttpRequest, code: str) -> HttpResponse:
    """All published items of an organisation and its subordinates, filtered by organisation, item, year, validity."""
    org = _org(code)
    column_visit_record(org=org, column="fdzdgknr")
    subtree = subtree_rows(org)
    # under the generation of this organisation's cached pages (as read for this page): a publication below shows
    # in the years at once
    version = pagecache.generations_now([page_scope(org.code)])
    everywhere = scope_ids("", org, subtree)  # the tree as the list selects it (an id subquery)
    years = catalog.public_years([o.pk for o in subtree], version=version, selecting=everywhere)
    form = ListFilter(request.GET or None, org=org, subtree=subtree, years=years)
    data = form.cleaned_data if form.is_valid() else {}
    scope = scope_ids(data.get("org") or "", org, subtree) if data.get("org") else everywhere
    qs = catalog.public_items(
        org_ids=scope,
        statutory_item=data.get("item") or "",
        year=data.get("year"),
        validity=data.get("validity") or "",
        walk_dates=walks_dates(data.get("org") or "", org, subtree),
    )
    page = CappedPaginator(qs, PER_PAGE, fetch=catalog.public_items_by_id).get_page(request.GET.get("page"))
    _kept_only_if_canonical(request, page, valid=not form.is_bound or form.is_valid())
    query = urlencode({k: v for k, v in data.items() if v})
    heading = StatutoryItem(data["item"]).label if data.get("item") else "主动公开信息"
    return render(
        request,
        "portal/catalog/list.html",
        _context(org, "fdzdgknr", form=form, page=page, query=query, heading=heading,
                 filtered=bool(form.is_bound and any(data.values())), side_item=data.get("item") or "", crumb_tail=heading),
    )  # fmt: skip


@public_page(scope=page_scope_of)
def item_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """An item page with the metadata block (索引号, 发布机构, 成文日期 … 有效性) and its attachments."""
    item = catalog.public_item(pk)
    if item is None:
        raise Http404("信息不存在或已撤回。")
    if item.org.code != code.upper():
        return redirect("portal:catalog_item", code=item.org.code, pk=item.pk, permanent=True)
    slug = "zhidu" if item.doc_kind == DocKind.DISCLOSURE_RULE else "fdzdgknr"
    column_visit_record(org=item.org, column=slug)
    interpretations = catalog.public_interpretations(item)
    # the policy a 政策解读 explains, shown only while public (can_see_policy for an anonymous reader)
    policy = catalog.public_item(item.interprets_id) if item.interprets_id else None
    policy = policy if policy is not None and can_see_policy(None, policy) else None
    return render(
        request,
        "portal/catalog/item.html",
        _context(item.org, slug, item=item, interpretations=interpretations, policy=policy,
                 item_label=catalog.statutory_item_label(item.statutory_item), side_item=item.statutory_item, crumb_tail=item.title),
    )  # fmt: skip


def attachment(request: HttpRequest, code: str, pk: int, aid: int) -> FileResponse:
    item = catalog.public_item(pk)
    if item is None or item.org.code != code.upper():
        raise Http404("附件不存在。")
    att = get_object_or_404(item.attachments.all(), pk=aid)
    # Always an attachment, with the type sniffed from the stored bytes (never the uploader's name).
    return file_response(att.file.open("rb"), att.name)


@public_page(scope=page_scope_of)
def item_pdf_download(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The item's 正文 as PDF, only for a published item. Kept in the page cache like the item's page (drawing a
    PDF costs a WeasyPrint render, which anonymous requests must not be able to repeat at will); the same
    generations retire it, so a withdrawn or corrected item's PDF is never served stale."""
    item = catalog.public_item(pk)
    if item is None or item.org.code != code.upper():
        raise Http404("信息不存在或已撤回。")
    response = HttpResponse(item_pdf(item), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(item_pdf_name(item), inline=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class OrgFeed(Feed):
    """RSS 2.0 of an organisation's newest 主动公开 items (its subordinates included)."""

    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, code: str) -> Organisation:
        return _org(code)

    def title(self, obj: Organisation) -> str:
        return f"{obj.name}政府信息公开"

    def link(self, obj: Organisation) -> str:
        return reverse("portal:catalog_list", args=[obj.code])

    def description(self, obj: Organisation) -> str:
        return f"{obj.name}及下属机构最新主动公开的政府信息"

    def items(self, obj: Organisation) -> list[Any]:
        return list(catalog.public_items(org_ids=org_subtree(obj).values_list("pk", flat=True))[:50])

    def item_title(self, item: Any) -> str:
        return str(item.title)

    def item_description(self, item: Any) -> str:
        return str(item.summary or "")

    def item_link(self, item: Any) -> str:
        return reverse("portal:catalog_item", args=[item.org.code, item.pk])

    def item_guid(self, item: Any) -> str:
        return str(item.index_no)

    item_guid_is_permalink = False

    def item_pubdate(self, item: Any) -> Any:
        return item.published_at

    def item_author_name(self, item: Any) -> str:
        return str(item.publisher)
