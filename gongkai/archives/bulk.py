"""Bulk filing (批量归档) of one organisation's year: the dry run says what will be filed and what is not ready
and why; the job files every ready application in the order it was closed, so the 件号 follow that order
(DA/T 22-2015 5.3/5.4: 件 arranged in time order within the class, numbered from 1).

Each filing is its own transaction (``services.archive_file``): a job stopped half way has filed a prefix, and
running it again files the rest — a filed application is never planned twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gongkai.applications.models import Application, Status
from gongkai.applications.vocab import RemedyResult
from gongkai.core.actors import Actor
from gongkai.core.jobs import JobContext, JobFailed, JobKind
from gongkai.core.models import Job
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, require_for_applications

from .models import ArchiveTransfer
from .services import archive_file, parse_retention

ARCHIVE_BULK = "archive_bulk"


@dataclass
class BulkPlan:
    org: Organisation
    year: int
    ready: list[Application] = field(default_factory=list)
    not_ready: list[tuple[Application, str]] = field(default_factory=list)
    transferred: bool = False


def _reason(a: Application, pending: set[int]) -> str:
    if a.status != Status.CLOSED:
        return f"当前状态为「{a.get_status_display()}」，只有已办结的申请才能归档。"
    if a.closed_on is None:
        return "未记录办结日期，请补录后再归档。"
    if a.pk in pending:
        return "有尚未审结的行政复议或行政诉讼，审结后再归档。"
    return ""


def bulk_plan(org: Organisation, year: int) -> BulkPlan:
    """The applications of ``org`` for ``year`` not yet filed: closed that year (ready unless a remedy case is
    pending), or received that year and not closed (not ready, with the reason)."""
    plan = BulkPlan(org, year, transferred=ArchiveTransfer.objects.filter(org=org, year=year).exists())
    candidates = (
        Application.objects.filter(org=org, archive_record__isnull=True)
        .filter(Q(closed_on__year=year) | Q(closed_on__isnull=True, received_on__year=year))
        .order_by("closed_on", "id")
    )
    pending = set(candidates.filter(remedy_cases__result=RemedyResult.PENDING).values_list("pk", flat=True))
    for a in candidates:
        reason = _reason(a, pending)
        if reason:
            plan.not_ready.append((a, reason))
        else:
            plan.ready.append(a)
    return plan


def bulk_file(
    *,
    actor: Actor,
    org: Organisation,
    year: int,
    retention_years: int | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> dict[str, Any]:
    """File every ready application of the plan (each audited by ``archive_file``); returns what was done."""
    require_for_applications(actor, Action.EDIT, org, f"您无权为「{org.name}」归档。")
    plan = bulk_plan(org, year)
    if plan.transferred:
        raise ValidationError(f"「{org.name}」{year}年度的档案已移交档案馆，不能再归档。")
    numbers = []
    for n, application in enumerate(plan.ready, 1):
        record = archive_file(actor=actor, application=application, retention_years=retention_years)
        numbers.append(record.number)
        if progress is not None:
            progress(100 * n / len(plan.ready), f"已归档 {n}/{len(plan.ready)} 件")
    return {"org": org.code, "year": year, "filed": len(numbers), "not_ready": len(plan.not_ready),
            "first": numbers[0] if numbers else "", "last": numbers[-1] if numbers else ""}  # fmt: skip


def bulk_job(ctx: JobContext) -> dict[str, Any]:
    params = ctx.params
    org = Organisation.objects.filter(code=params.get("org", "")).first()
    if org is None:
        raise JobFailed("机构已不存在。")
    try:
        return bulk_file(
            actor=ctx.actor, org=org, year=int(params.get("year", 0)),
            retention_years=parse_retention(params.get("retention_years")), progress=ctx.progress,
        )  # fmt: skip
    except ValidationError as exc:
        raise JobFailed("；".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise JobFailed(str(exc)) from exc


def bulk_result(request: HttpRequest, job: Job) -> HttpResponse:
    from django.contrib import messages

    r = job.result or {}
    if r.get("filed"):
        messages.success(request, f"已归档 {r['filed']} 件，档号 {r['first']} 至 {r['last']}。")
    else:
        messages.info(request, "没有可归档的申请。")
    if r.get("not_ready"):
        messages.warning(request, f"另有 {r['not_ready']} 件尚不能归档，原因见下表。")
    return redirect(reverse("archives:year", args=[r.get("org", ""), r.get("year", 0)]))


KIND = JobKind(ARCHIVE_BULK, "批量归档", bulk_job, bulk_result, back_url="archives:list")
