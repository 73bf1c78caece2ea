"""Public pages: the 政府信息公开专栏 of every organisation, its 指南, and site search."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import org_ancestors, public_orgs

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
    q = (request.GET.get("q") or "").strip()[:100]
    return render(request, "portal/search.html", {"q": q, "results": []})
