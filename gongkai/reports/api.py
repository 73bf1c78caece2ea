"""JSON API of the annual reports: canonical report JSON, checks over any document, 表二 figures (same services)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema

from gongkai.core.params import Id, Year
from gongkai.core.schemas import InputSchema
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, can
from gongkai.orgs.selectors import org_by_code

from . import services, workflow
from .checks import check_document
from .models import Report
from .selectors import document_findings, report_document

router = Router(tags=["年度报告"])


def _org(request: HttpRequest, code: str, action: Action = Action.VIEW) -> Organisation:
    org = org_by_code(code)
    if org is None or not can(request.user, action, org):
        raise PermissionDenied("机构不存在或没有权限。")
    return org


class DocumentQuery(InputSchema):
    org: str
    year: Year
    format: Literal["2019", "2021"] | None = None
    scope: Literal["self", "tree"] = "self"
    check: bool = False


@router.get("/document", summary="年度报告标准 JSON（由台账和填报数据计算）")
def document(request: HttpRequest, q: Query[DocumentQuery]) -> dict[str, Any]:
    org = _org(request, q.org)
    if not 2019 <= q.year <= 2100:
        raise ValidationError({"year": ["年度应在2019年以后。"]})
    doc = report_document(org, q.year, fmt=q.format, scope=q.scope)
    if q.check:
        doc["findings"] = [f.as_dict() for f in document_findings(org, doc)]
    return doc


class CheckIn(Schema):  # checked, never stored: text pasted from a report may carry form feeds
    document: dict[str, Any]
    previous: dict[str, Any] | None = None
    published_on: dt.date | None = None
    org_level: Literal["government", "department", "agency", "other"] | None = None


class FindingOut(Schema):
    code: str
    severity: str
    message: str
    cells: list[str]


@router.post("/check", response=list[FindingOut], summary="检查任意标准 JSON 年度报告")
def check(request: HttpRequest, payload: CheckIn) -> list[dict[str, Any]]:
    findings = check_document(
        payload.document,
        previous=payload.previous,
        published_on=payload.published_on,
        org_level=payload.org_level,
    )
    return [f.as_dict() for f in findings]


class ReportOut(Schema):
    id: int
    year: int
    version: int
    format: str
    scope: str
    status: str
    published_on: dt.date | None
    change_note: str


@router.get("/versions", response=list[ReportOut], summary="某机构的年度报告版本")
def versions(request: HttpRequest, org: str, year: Year | None = None) -> list[Report]:
    organisation = _org(request, org)
    qs = Report.objects.filter(org=organisation).order_by("-year", "-version")
    return list(qs.filter(year=year) if year else qs)


class FigureIn(InputSchema):
    org: str
    year: Year
    project: str
    indicator: str
    value: str
    source: str


class FigureOut(Schema):
    item: str
    row: str
    column: str
    value: float | None
    text: str
    source: str


@router.post("/figures", response=FigureOut, summary="填报或更正一项表二数据")
def figure(request: HttpRequest, payload: FigureIn) -> Any:
    org = _org(request, payload.org, Action.EDIT)
    return services.figure_set(actor=request.user, org=org, **payload.model_dump(exclude={"org"}))


class TransitionIn(InputSchema):
    step: str
    published_on: dt.date | None = None  # publish
    change_note: str = ""  # correct


@router.post(
    "/reports/{pk}/transition",
    response=ReportOut,
    summary="办理：" + " / ".join(workflow.WORKFLOW.names),
    description="；".join(f"{s.name}：{s.label}" for s in workflow.STEPS) + "。更正（correct）返回新的版本。",
)
def report_transition(request: HttpRequest, pk: Id, payload: TransitionIn) -> Report:
    report = Report.objects.select_related("org").filter(pk=pk).first()
    if report is None or not can(request.user, Action.VIEW, report.org):
        raise PermissionDenied(f"年度报告（编号 {pk}）不存在或您无权查看。")
    step = workflow.WORKFLOW.step(payload.step)
    # A step takes the parameters its back-office form declares (workflow.STEPS), nothing else.
    fields = step.form().fields if step.form is not None else {}
    params = {k: v for k, v in payload.model_dump(exclude={"step"}).items() if k in fields}
    return workflow.report_transition(actor=request.user, report=report, step=step.name, **params)
