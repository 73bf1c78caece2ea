"""Report rendering for a whole tree: every organisation under one (itself included), one year, rendered to
PDF and/or DOCX into one zip with a 目录.csv (through the safe writer). Run as a background job (bundle_jobs.py).

Which version: the newest published version of each organisation's report on the year; with ``drafts`` the
newest version whatever its status (草稿、已提交审核、已审核 are marked in the file name). Only organisations the
user may view are included; those without a report are listed in the 目录 as 未起草 / 未发布.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from gongkai.core.exports import write_csv
from gongkai.core.images import rendering_for
from gongkai.orgs.models import Organisation

from . import services
from .models import Report, ReportStatus
from .render import render as render_document
from .selectors import monthly_received

FORMATS = {"pdf": "PDF", "docx": "Word（DOCX）"}
INDEX_NAME = "目录.csv"
INDEX_HEADER = ("序号", "机构", "机构代码", "年度", "状态", "版本", "发布日期", "文件")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')


def report_bytes(report: Report, kind: str) -> bytes:
    """One report version rendered as ``kind`` (html, pdf, docx, xlsx): the download and the bundle alike."""
    doc = services.frozen_document(report)
    kwargs: dict[str, Any] = {
        "title": report.title,
        "sections_html": report.sections,
        "draft": report.is_draft,
    }
    if kind in ("html", "pdf"):
        kwargs["monthly"] = monthly_received(report.org, report.year, report.scope)
    with rendering_for(report.org_id):  # only this organisation's pictures are embedded
        return render_document(doc, kind, **kwargs)


def chosen_versions(orgs: list[Organisation], year: int, *, drafts: bool) -> dict[int, Report]:
    """org id → the version to render: the newest published one, or with ``drafts`` the newest of any status."""
    reports = (
        Report.objects.filter(org__in=orgs, year=year).select_related("org").order_by("org_id", "version")
    )
    if not drafts:
        reports = reports.filter(status=ReportStatus.PUBLISHED)
    return {r.org_id: r for r in reports}  # the last (newest) version of each organisation wins


def tree_orgs(root: Organisation, visible: Any) -> list[Organisation]:
    """The active organisations under ``root`` (itself included) that are also in ``visible``, in tree order."""
    return list(
        Organisation.objects.filter(
            path__startswith=root.path, is_active=True, pk__in=visible.values("pk")
        ).order_by("path")
    )


def file_stem(n: int, report: Report) -> str:
    status = "" if report.status == ReportStatus.PUBLISHED else f"（{report.get_status_display()}）"
    version = f"（第{report.version}版）" if report.version > 1 else ""
    name = _UNSAFE.sub("_", report.org.name).strip(" .") or report.org.code
    return f"{n:03d}-{name}{report.year}年政府信息公开工作年度报告{version}{status}"


@dataclass
class Bundle:
    rows: list[dict[str, Any]] = field(
        default_factory=list
    )  # one per organisation, as shown on the result page
    files: int = 0


def write_bundle(
    target: IO[bytes],
    orgs: list[Organisation],
    year: int,
    *,
    kinds: list[str],
    drafts: bool,
    progress: Callable[[int, int, Organisation], None] | None = None,
) -> Bundle:
    """Render the chosen version of each organisation's report into the zip ``target``, with 目录.csv."""
    versions = chosen_versions(orgs, year, drafts=drafts)
    drafted = set(Report.objects.filter(org__in=orgs, year=year).values_list("org_id", flat=True))
    bundle, index = Bundle(), []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for n, org in enumerate(orgs, start=1):
            report = versions.get(org.pk)
            row: dict[str, Any] = {"org": org.name, "code": org.code, "files": []}
            if report is None:
                row["status"] = "未发布" if org.pk in drafted else "未起草"
            else:
                row |= {"status": report.get_status_display(), "version": report.version}
                for kind in kinds:
                    name = f"{file_stem(n, report)}.{kind}"
                    archive.writestr(name, report_bytes(report, kind))
                    row["files"].append(name)
                    bundle.files += 1
            published = report.published_on.isoformat() if report and report.published_on else ""
            index.append([n, org.name, org.code, year, row["status"], row.get("version", ""), published,
                          "；".join(row["files"])])  # fmt: skip
            bundle.rows.append(row)
            if progress:
                progress(n, len(orgs), org)
        archive.writestr(INDEX_NAME, write_csv(index, header=INDEX_HEADER))
    return bundle
