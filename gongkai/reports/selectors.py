"""Reads of the reports app that views, the portal and commands use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from gongkai.applications.statistics import received_by_month
from gongkai.orgs.models import Organisation
from gongkai.orgs.report_deadlines import ReportDeadline, org_report_deadline

from .checks import Finding, check_document
from .compute import compute_report
from .definitions import FORMATS, format_for_year
from .models import Report, ReportStatus, Scope
from .narrative import plain_sections


def latest_version(org: Organisation, year: int) -> Report | None:
    return Report.objects.filter(org=org, year=year).order_by("-version").first()


def published_report(org: Organisation, year: int) -> Report | None:
    """The current published version of ``org``'s report on ``year`` (the one at the stable URL)."""
    return (
        Report.objects.filter(org=org, year=year, status=ReportStatus.PUBLISHED)
        .select_related("org")
        .order_by("-version")
        .first()
    )


def published_reports(org: Organisation) -> list[Report]:
    """One entry per year: the newest published version, newest year first (the portal's 年报 column); each
    carries ``first_published_on``, the day its year's report was first published (a correction keeps it)."""
    seen: set[int] = set()
    out: list[Report] = []
    first: dict[int, dt.date] = {}
    for report in Report.objects.filter(org=org, status=ReportStatus.PUBLISHED).order_by("-year", "-version"):
        if report.published_on is not None:  # versions come newest first: the last one seen is the first
            first[report.year] = min(first.get(report.year, report.published_on), report.published_on)
        if report.year not in seen:
            seen.add(report.year)
            out.append(report)
    for report in out:
        report.first_published_on = first.get(report.year, report.published_on)  # type: ignore[attr-defined]
    return out


def latest_published_reports(limit: int = 5) -> list[Report]:
    """The newest published reports of every organisation (the portal's home page), newest publication first;
    a corrected version replaces its year's entry rather than adding one."""
    out: list[Report] = []
    seen: set[tuple[int, int]] = set()
    qs = Report.objects.filter(status=ReportStatus.PUBLISHED, org__is_active=True).select_related("org")
    for report in qs.order_by("-published_on", "-year", "-version")[: limit * 3]:
        if (report.org_id, report.year) not in seen:
            seen.add((report.org_id, report.year))
            out.append(report)
    return out[:limit]


def published_version(org: Organisation, year: int, version: int) -> Report | None:
    """One published version of an organisation-year (older versions stay readable at their own URL)."""
    return Report.objects.filter(org=org, year=year, version=version, status=ReportStatus.PUBLISHED).first()


def published_versions(org: Organisation, year: int) -> QuerySet[Report]:
    return Report.objects.filter(org=org, year=year, status=ReportStatus.PUBLISHED).order_by("-version")


def report_document(
    org: Organisation, year: int, *, fmt: str | None = None, scope: str = "self"
) -> dict[str, Any]:
    """Canonical JSON computed from the records now, with the narrative of the latest report version if any."""
    report = latest_version(org, year)
    sections = plain_sections(report.sections) if report else None
    return compute_report(org, year, fmt=fmt, scope=scope, sections=sections).doc


def previous_document(org: Organisation, year: int, scope: str) -> dict[str, Any] | None:
    """Last year's report: its published data if published here, else computed from the records."""
    published = published_report(org, year - 1)
    if published is not None and published.data:
        return published.data
    if format_for_year(year - 1) not in FORMATS:
        return None
    return report_document(org, year - 1, scope=scope)


def document_findings(
    org: Organisation, doc: dict[str, Any], *, published_on: dt.date | None = None
) -> list[Finding]:
    """All checks for a document of ``org``: cross-year against last year, the organisation's own deadline."""
    year = doc.get("year")
    previous = (
        previous_document(org, year, str(doc.get("scope") or "self")) if isinstance(year, int) else None
    )
    deadline = org_report_deadline(org, year) if isinstance(year, int) else None
    return check_document(
        doc, previous=previous, published_on=published_on, org_level=org.kind, deadline=deadline
    )


@dataclass(frozen=True)
class OverviewRow:
    org: Organisation
    report: Report | None
    deadline: dt.date
    overdue: bool
    rule: ReportDeadline  # where the deadline comes from (第四十九条 / 本地规定 / 参照第四十九条)
    # The day the year's report was first published (version 1, or the first version published): what the
    # deadline is judged on; a later correction (第2版…) keeps it, and a correction still in draft does not hide it.
    first_published_on: dt.date | None = None

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else "未起草"


def subordinates_overview(org: Organisation, year: int, *, today: dt.date) -> list[OverviewRow]:
    """Each organisation under ``org`` (and itself): its latest report version on ``year`` and its deadline.

    Its publication date is the first version's (``first_published_on``), not the latest correction's. Two
    queries whatever the number of organisations (the 上级's at-a-glance view).
    """
    orgs = list(Organisation.objects.filter(path__startswith=org.path, is_active=True).order_by("path"))
    latest: dict[int, Report] = {}
    first: dict[int, dt.date] = {}
    for report in Report.objects.filter(org__in=orgs, year=year).order_by("org_id", "version"):
        latest[report.org_id] = report
        if report.status == ReportStatus.PUBLISHED and report.published_on is not None:
            day = first.get(report.org_id)
            first[report.org_id] = report.published_on if day is None else min(day, report.published_on)
    rows = []
    for o in orgs:
        rule = org_report_deadline(o, year)
        published = first.get(o.pk)
        overdue = published is None and today > rule.due
        rows.append(OverviewRow(o, latest.get(o.pk), rule.due, overdue, rule, first_published_on=published))
    return rows


def monthly_received(org: Organisation, year: int, scope: str) -> list[int]:
    """Applications received in each month of ``year`` (one query), for the chart."""
    return received_by_month(org, year, tree=scope == Scope.TREE)
