"""Public pages: the 政府信息公开专栏 of every organisation, its 指南, and site search."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog.index_numbers import org_code9
from gongkai.catalog.selectors import search_items
from gongkai.catalog.vocab import CHINESE_NUMERALS, DisclosureAttr, DocKind, Topic, Validity, items_for_level
from gongkai.core.params import page_param
from gongkai.orgs.models import Organisation
from gongkai.orgs.review_bodies import review_body_name
from gongkai.orgs.selectors import org_ancestors, org_subtree, public_orgs

from .columns import BY_SLUG, COLUMNS


def _org(code: str) -> Organisation:
    return get_object_or_404(Organisation, code=code.upper(), is_active=True)


def home(request: HttpRequest) -> HttpResponse:
    orgs = list(public_orgs())
    top = min((o.depth for o in orgs), default=0)
    rows = [{"org": o, "indent": o.depth - top} for o in orgs]
    return render(request, "portal/home.html", {"rows": rows})


def org_home(request: HttpRequest, code: str) -> HttpResponse:
    org = _org(code)
    return render(
        request,
        "portal/org_home.html",
        {
            "org": org,
            "columns": COLUMNS,
            "children": org.children.filter(is_active=True).order_by("sort_order", "code"),
        },
    )


def _column_context(request: HttpRequest, org: Organisation, slug: str) -> dict[str, object]:
    return {
        "org": org,
        "columns": COLUMNS,
        "column": BY_SLUG[slug],
        "ancestors": org_ancestors(org),
        # the 互联网 channel (第二十九条: 书面 includes 数据电文), as this deployment serves it
        "online_url": request.build_absolute_uri(reverse("applications_public:form", args=[org.code])),
        "status_url": request.build_absolute_uri(reverse("applications_public:status")),
    }


def _item_citation(item: str) -> str:
    """Running-text citation of a 主动公开 content item: 「第二十条第一项」 or 「第二十一条」 (no brackets)."""
    if item.startswith("a20_"):
        return f"第二十条第{CHINESE_NUMERALS[int(item[4:]) - 1]}项"
    return "第二十一条"


def _guide_context(request: HttpRequest, org: Organisation) -> dict[str, object]:
    """The 第十二条第二款 content the catalogue itself defines: its classification and arrangement system."""
    code9 = org_code9(org)
    return {
        "disclosure_kinds": [DisclosureAttr.PROACTIVE.label, DisclosureAttr.ON_REQUEST.label],
        "content_items": [(_item_citation(i.value), i.label) for i in items_for_level(org.level)],
        "topics": Topic.labels,
        "doc_kinds": DocKind.labels,
        "validities": Validity.labels,
        "review_body": review_body_name(org),  # as the reply letters name it (set, or derived from the tree)
        "index_prefix": code9,
        "index_example": f"{code9}/{timezone.localdate().year}-00001",
        "home_url": request.build_absolute_uri(reverse("portal:org_home", args=[org.code])),
        "list_url": request.build_absolute_uri(reverse("portal:catalog_list", args=[org.code])),
        "search_url": request.build_absolute_uri(reverse("portal:search")),
        "rss_url": request.build_absolute_uri(reverse("portal:catalog_rss", args=[org.code])),
    }


def guide(request: HttpRequest, code: str) -> HttpResponse:
    """政府信息公开指南, generated from the organisation's own data (条例第十二条第二款).

    Parts 一 to 四 are the items of 第十二条第二款 (分类, 编排体系, 获取方式, 工作机构 with its contact details),
    present for every organisation: a contact detail the organisation has not entered is shown as 「无」 (and
    the page says so); only the application channels that need it (电子邮件, 传真) are then left out.
    """
    org = _org(code)
    context = _column_context(request, org, "zhinan") | _guide_context(request, org)
    return render(request, "portal/guide.html", context)


def column(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    if slug not in BY_SLUG or slug == "zhinan":
        raise Http404("栏目不存在")
    org = _org(code)
    return render(request, f"portal/column_{slug}.html", _column_context(request, org, slug))


def search(request: HttpRequest) -> HttpResponse:
    """Site-wide Chinese full-text search over published items (jieba + FTS5 / PostgreSQL), optionally in one org's tree."""
    q = (request.GET.get("q") or "").strip()[:100]
    org = None
    org_ids = None
    if code := (request.GET.get("org") or "").strip():
        org = Organisation.objects.filter(code=code.upper(), is_active=True).first()
        if org is not None:
            org_ids = list(org_subtree(org).values_list("pk", flat=True))
    page_no = page_param(request.GET.get("page"))
    page = search_items(q, org_ids=org_ids, page=page_no) if q else None
    query = urlencode({"q": q, **({"org": org.code} if org else {})})
    return render(request, "portal/search.html", {"q": q, "page": page, "search_org": org, "query": query})


ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /api/
Disallow: /ysqgk/status/
Allow: /
"""


def robots(request: HttpRequest) -> HttpResponse:
    """/robots.txt: the public 专栏 may be indexed; the back office, the API and the status look-up may not."""
    return HttpResponse(ROBOTS, content_type="text/plain; charset=utf-8")
