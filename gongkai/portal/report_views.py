"""Public pages of published annual reports: the 年报 column and one stable URL per organisation-year.

The portal owns every public page (the catalogue's are in ``catalog_views``); the report app supplies the
selectors, the renderer and the download response."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from gongkai.core.pagecache import public_page
from gongkai.orgs.models import Organisation
from gongkai.orgs.public_pages import page_scope_of
from gongkai.reports.models import Report
from gongkai.reports.render import FORMATS_OUT, render_html
from gongkai.reports.selectors import (
    monthly_received,
    published_report,
    published_reports,
    published_version,
    published_versions,
)
from gongkai.reports.views import download_response

from .chrome import ancestors
from .chrome import public_org as _org
from .columns import BY_SLUG, COLUMNS


def _column_context(org: Organisation) -> dict[str, object]:
    return {"org": org, "columns": COLUMNS, "column": BY_SLUG["nianbao"], "ancestors": ancestors(org)}


@public_page(scope=page_scope_of)
def column(request: HttpRequest, code: str) -> HttpResponse:
    """政府信息公开年报 column: every published report of the organisation, newest year first."""
    org = _org(code)
    return render(
        request, "portal/column_nianbao.html", {**_column_context(org), "reports": published_reports(org)}
    )


def _published(org: Organisation, year: int, version: int | None) -> Report:
    report = published_report(org, year) if version is None else published_version(org, year, version)
    if report is None:
        raise Http404("该年度报告尚未发布")
    return report


@public_page(scope=page_scope_of)
def report_page(request: HttpRequest, code: str, year: int, version: int | None = None) -> HttpResponse:
    """The stable URL of an organisation-year: the current published version (older ones stay readable)."""
    org = _org(code)
    report = _published(org, year, version)
    body = render_html(
        report.data or {},
        title=report.title,
        sections_html=report.sections,
        monthly=monthly_received(org, year, report.scope),
        standalone=False,
    )
    return render(
        request,
        "portal/report.html",
        {
            **_column_context(org),
            "report": report,
            "body": body,
            "versions": published_versions(org, year),
            "downloads": FORMATS_OUT,
            "crumb_tail": report.title,
        },
    )


def report_file(request: HttpRequest, code: str, year: int, kind: str) -> HttpResponse:
    org = _org(code)
    report = _published(org, year, None)
    if kind == "json":
        return JsonResponse(report.data, json_dumps_params={"ensure_ascii": False})
    if kind not in FORMATS_OUT:
        raise Http404("不支持的格式")
    return download_response(report, kind)
