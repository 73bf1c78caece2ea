"""Public pages: the 政府信息公开专栏 of every organisation, its 指南, and site search.

Every page but search is kept whole in the shared cache for anonymous visitors (core/pagecache): under the
generation of its organisation, which the services that change what it shows bump (orgs/public_pages.py)."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog import selectors as catalog
from gongkai.catalog.index_numbers import org_code9
from gongkai.catalog.selectors import public_years, search_items
from gongkai.catalog.vocab import CHINESE_NUMERALS, DisclosureAttr, DocKind, Topic, Validity, items_for_level
from gongkai.core.pagecache import EVERYTHING, current, public_page
from gongkai.core.params import page_param
from gongkai.orgs.models import Organisation, OrgKind
from gongkai.orgs.public_pages import SITE, page_scope, page_scope_of, site_scope
from gongkai.orgs.review_bodies import review_body_name
from gongkai.orgs.selectors import public_orgs
from gongkai.reports.selectors import latest_published_reports, published_reports

from .chrome import ancestors
from .chrome import public_org as _org
from .columns import BY_SLUG, COLUMNS
from .filters import SearchFilter, scope_ids, subtree_rows, top_rows

HOME_NEWEST = 8  # items in a home page's 最新信息 block
HOME_SHORT = 5  # entries in its 制度 and 年报 blocks


@public_page(scope=site_scope)
def home(request: HttpRequest) -> HttpResponse:
    """The site's home: the newest items of each column across the site, the 依申请公开 entrance, the directory."""
    orgs = list(public_orgs())
    children: dict[int | None, list[Organisation]] = defaultdict(list)
    for o in orgs:
        children[o.parent_id].append(o)
    directory = [{"org": o, "groups": _by_kind(children[o.pk])} for o in orgs if children.get(o.pk)]
    roots = children.get(None) or orgs[:1]
    newest = catalog.public_items().exclude(doc_kind=DocKind.DISCLOSURE_RULE)
    context = {
        "directory": directory,
        "roots": roots,
        "newest": list(newest[:HOME_NEWEST]),
        "rules": list(catalog.public_items(doc_kind=DocKind.DISCLOSURE_RULE)[:HOME_SHORT]),
        "reports": latest_published_reports(HOME_SHORT),
        "apply_orgs": orgs,
    }
    return render(request, "portal/home.html", context)


def apply(request: HttpRequest) -> HttpResponse:
    """The home page's 依申请公开 entrance (a plain GET form): on to the chosen organisation's application form.

    The list preselects no organisation (「请选择受理机关」): sent without a choice, or with one no longer there, the
    entrance comes back with the list and says so, instead of sending anyone to an organisation they did not pick."""
    code = (request.GET.get("org") or "").strip().upper()
    org = Organisation.objects.filter(code=code, is_active=True).first() if code else None
    if org is not None:
        return redirect("applications_public:form", code=org.code)
    error = "所选机关不存在或已停用，请重新选择受理机关。" if code else "请选择受理机关。"
    return render(request, "portal/apply.html", {"apply_orgs": list(public_orgs()), "apply_error": error})


def _by_kind(orgs: list[Organisation]) -> list[tuple[str, list[Organisation]]]:
    """Subordinates grouped as a 专栏 directory shows them: 政府部门, 下级人民政府, then the rest."""
    order = [(OrgKind.DEPARTMENT, "政府部门"), (OrgKind.GOVERNMENT, "下级人民政府"), (OrgKind.AGENCY, "派出机构"),
             (OrgKind.OTHER, "其他机构")]  # fmt: skip
    return [(label, group) for kind, label in order if (group := [o for o in orgs if o.kind == kind])]


@public_page(scope=page_scope_of)
def org_home(request: HttpRequest, code: str) -> HttpResponse:
    """专栏首页: the newest items of each column, the 依申请公开 entrance and the subordinates' 专栏."""
    org = _org(code)
    items = catalog.public_items(org_ids=[org.pk])
    context = _column_context(request, org, "") | {
        "newest": list(items.exclude(doc_kind=DocKind.DISCLOSURE_RULE)[:HOME_NEWEST]),
        "rules": list(items.filter(doc_kind=DocKind.DISCLOSURE_RULE)[:HOME_SHORT]),
        "reports": published_reports(org)[:HOME_SHORT],
        "children": org.children.filter(is_active=True).order_by("sort_order", "code"),
    }
    return render(request, "portal/org_home.html", context)


def _column_context(request: HttpRequest, org: Organisation, slug: str) -> dict[str, object]:
    return {
        "org": org,
        "columns": COLUMNS,
        "column": BY_SLUG.get(slug),
        "ancestors": ancestors(org),
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


@public_page(scope=page_scope_of)
def guide(request: HttpRequest, code: str) -> HttpResponse:
    """政府信息公开指南, generated from the organisation's own data (条例第十二条第二款).

    Parts 一 to 四 are the items of 第十二条第二款 (分类, 编排体系, 获取方式, 工作机构 with its contact details),
    present for every organisation: a contact detail the organisation has not entered is shown as 「无」 (and
    the page says so); only the application channels that need it (电子邮件, 传真) are then left out.
    """
    org = _org(code)
    context = _column_context(request, org, "zhinan") | _guide_context(request, org)
    return render(request, "portal/guide.html", context)


@public_page(scope=page_scope_of)
def column(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    if slug not in BY_SLUG or slug == "zhinan":
        raise Http404("栏目不存在")
    org = _org(code)
    return render(request, f"portal/column_{slug}.html", _column_context(request, org, slug))


def search(request: HttpRequest) -> HttpResponse:
    """Chinese full-text search over published items (jieba + FTS5 / PostgreSQL), in the 专栏 it was started from
    (``org``: that organisation's tree) or the whole site, narrowed by 机构, 公开内容类别, 发布年份 and 有效性."""
    q = (request.GET.get("q") or "").strip()[:100]
    org = None
    if code := (request.GET.get("org") or "").strip():
        org = Organisation.objects.filter(code=code.upper(), is_active=True).first()
    rows = subtree_rows(org) if org else top_rows()
    if org is not None:  # under the generation a publication in the tree bumps (its rows are the key)
        years = public_years([o.pk for o in rows], version=current([page_scope(org.code)]))
    else:  # the whole site: under the generations a publication anywhere or an organisation change bumps, so the
        # ~500 ids of the active organisations are read only when the years are computed
        ids = public_orgs().values_list("pk", flat=True)
        years = public_years(ids, version=current([EVERYTHING, SITE]), named="*")
    form = SearchFilter(request.GET or None, org=org, rows=rows, years=years)
    data = form.cleaned_data if form.is_valid() else {}
    scope = scope_ids(data.get("unit") or "", org, rows)
    page = None
    if q:
        page = search_items(
            q,
            org_ids=None if scope is None else list(scope),
            page=page_param(request.GET.get("page")),
            statutory_item=data.get("item") or "",
            year=data.get("year"),
            validity=data.get("validity") or "",
        )
    filters = {k: v for k, v in data.items() if v}
    query = urlencode({"q": q, **({"org": org.code} if org else {}), **filters})
    context: dict[str, object] = {
        "q": q,
        "page": page,
        "search_org": org,
        "query": query,
        "form": form,
        "filtered": bool(filters),
    }
    if org is not None:
        context |= _column_context(request, org, "") | {
            "column": None,
            "search_scope": True,
            "crumb_tail": "全文检索",
        }
    return render(request, "portal/search.html", context)


@public_page()
def accessibility(request: HttpRequest) -> HttpResponse:
    """无障碍声明: what the site does for accessibility and 适老化, what it does not yet, and whom to tell."""
    return render(request, "portal/accessibility.html")


ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /api/
Disallow: /ysqgk/status/
Allow: /
"""


def robots(request: HttpRequest) -> HttpResponse:
    """/robots.txt: the public 专栏 may be indexed; the back office, the API and the status look-up may not."""
    return HttpResponse(ROBOTS, content_type="text/plain; charset=utf-8")
