"""The archive of one organisation's year: the dry run of bulk filing and its job, the 归档文件目录 (XLSX, PDF),
the 移交 and its package, the 销毁清册 and its approval. Every page 404s for whoever may not see the year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.applications.permissions import can_see_applicants_of
from gongkai.core.forms import refusal_text
from gongkai.core.jobs import enqueue
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_read
from gongkai.core.uploads import content_disposition
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, can_for_applications, require_for_applications

from .bulk import ARCHIVE_BULK, bulk_plan
from .destruction import approve_destruction, expired_records, propose_destruction
from .directory import directory_pdf, directory_xlsx, rows
from .models import ArchiveDestruction, ArchiveTransfer, DestructionStatus
from .services import RETENTION_CHOICES, default_retention, parse_retention
from .transfer import ARCHIVE_TRANSFER_PACKAGE, record_transfer


def _org(
    request: HttpRequest, code: str, year: int, action: Action = Action.VIEW, *, applicants: bool = False
) -> Organisation:
    org = get_object_or_404(Organisation, code=code)
    allowed = can_for_applications(request.user, action, org) and (
        not applicants or can_see_applicants_of(request.user, org)
    )
    if not allowed or not 2000 <= year <= 2100:
        raise Http404("机构不存在或您无权查看。")
    return org


def _back(org: Organisation, year: int) -> HttpResponse:
    return redirect("archives:year", code=org.code, year=year)


def _refused(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    messages.error(request, refusal_text(exc))


@login_required
def year_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    org = _org(request, code, year)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "org": org, "year": year, "plan": bulk_plan(org, year), "rows": rows(org, year),
        "transfer": ArchiveTransfer.objects.filter(org=org, year=year).first(),
        "expired": expired_records(org, year, today),
        "destructions": ArchiveDestruction.objects.filter(org=org, year=year).select_related("proposed_by", "approved_by"),
        "can_edit": can_for_applications(request.user, Action.EDIT, org),
        "can_manage": can_for_applications(request.user, Action.MANAGE, org),
        "can_export": can_see_applicants_of(request.user, org),
        "retention_choices": RETENTION_CHOICES, "default_retention": default_retention(), "today": today,
    }  # fmt: skip
    return render(request, "archives/year.html", context)


@login_required
@require_POST
def bulk(request: HttpRequest, code: str, year: int) -> HttpResponse:
    org = _org(request, code, year, Action.EDIT)
    try:
        choice = parse_retention(request.POST.get("retention_years", ""))
    except ValidationError as exc:  # never the default on a value outside the list
        _refused(request, exc)
        return _back(org, year)
    plan = bulk_plan(org, year)
    if plan.transferred or not plan.ready:
        messages.error(
            request, "该年度的档案已移交档案馆，不能再归档。" if plan.transferred else "没有可归档的申请。"
        )
        return _back(org, year)
    job = enqueue(kind=ARCHIVE_BULK, actor=request.user, org=org,
                  params={"org": org.code, "year": year, "retention_years": choice})  # fmt: skip
    return redirect("backoffice:job", pk=job.pk)


@login_required
def directory(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    org = _org(request, code, year, applicants=True)
    if fmt not in ("xlsx", "pdf"):
        raise Http404("不支持的格式。")
    audit_read(request.user, org, f"归档文件目录 {year}.{fmt}", action=AuditAction.EXPORT, year=year)
    content = directory_xlsx(org, year) if fmt == "xlsx" else directory_pdf(org, year)
    response = HttpResponse(
        content, content_type="application/pdf" if fmt == "pdf" else "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition(f"{org.code}-{year}归档文件目录.{fmt}")
    return response


@login_required
@require_POST
def transfer(request: HttpRequest, code: str, year: int) -> HttpResponse:
    org = _org(request, code, year)
    try:
        on = dt.date.fromisoformat(request.POST.get("transferred_on", ""))
    except ValueError:
        messages.error(request, "请填写移交日期（年-月-日）。")
        return _back(org, year)
    fields = {k: request.POST.get(k, "").strip() for k in ("archive_name", "receiver", "receipt_number")}
    if not all(fields.values()):
        messages.error(request, "请填写接收档案馆、接收人和接收凭证编号。")
        return _back(org, year)
    try:
        record_transfer(actor=request.user, org=org, year=year, transferred_on=on, **fields)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已登记{year}年度档案移交。")
    return _back(org, year)


@login_required
@require_POST
def transfer_zip(request: HttpRequest, code: str, year: int) -> HttpResponse:
    org = _org(request, code, year, applicants=True)
    job = enqueue(
        kind=ARCHIVE_TRANSFER_PACKAGE, actor=request.user, org=org, params={"org": org.code, "year": year}
    )
    return redirect("backoffice:job", pk=job.pk)


@login_required
@require_POST
def destruction_propose(request: HttpRequest, code: str, year: int) -> HttpResponse:
    org = _org(request, code, year)
    try:
        propose_destruction(actor=request.user, org=org, year=year)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已提出销毁清册，待审批。")
    return _back(org, year)


@login_required
@require_POST
def destruction_approve(request: HttpRequest, code: str, year: int) -> HttpResponse:
    org = _org(request, code, year)
    try:
        require_for_applications(request.user, Action.MANAGE, org, f"您无权审批「{org.name}」的档案销毁。")
    except PermissionDenied as exc:
        _refused(request, exc)
        return _back(org, year)
    pending = ArchiveDestruction.objects.filter(org=org, year=year, status=DestructionStatus.PENDING).first()
    if pending is None:
        messages.error(request, "没有待审批的销毁清册。")
        return _back(org, year)
    try:
        done = approve_destruction(actor=request.user, destruction=pending)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已审批并销毁{len(done.items)}件档案的文件和个人信息，销毁清册已保存。")
    return _back(org, year)
