"""Public pages: the 政府信息公开专栏 of every organisation, its 指南, and site search."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gongkai.catalog.selectors import search_items
from gongkai.core.params import page_param
from gongkai.orgs.models import Organisation
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


def _column_context(org: Organisation, slug: str) -> dict[str, object]:
    return {"org": org, "columns": COLUMNS, "column": BY_SLUG[slug], "ancestors": org_ancestors(org)}


def guide(request: HttpRequest, code: str) -> HttpResponse:
    """政府信息公开指南, generated from the organisation's own data (条例第十二条)."""
    org = _org(code)
    return render(request, "portal/guide.html", _column_context(org, "zhinan"))


def column(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    if slug not in BY_SLUG or slug == "zhinan":
        raise Http404("栏目不存在")
    org = _org(code)
    return render(request, f"portal/column_{slug}.html", _column_context(org, slug))


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
