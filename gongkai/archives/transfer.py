"""移交: an organisation's archive of one year handed to the 档案馆 (《档案法》; 《机关档案管理规定》: the
机关 transfers its archives to the competent 档案馆 by the rules of that 档案馆). The platform records who
received it, when, and the receipt number, and exports the transfer package: every record's package (the
files of the 件 and their manifest, ``services.archive_package``), the 归档文件目录 (XLSX and PDF) and a
``manifest.json`` with the SHA-256 of each. Once transferred, the year is closed: no more filing into it
(``services.archive_file``) and no 销毁 by the agency (the 档案馆 keeps and appraises it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from gongkai.applications.permissions import can_see_applicants_of
from gongkai.core.actors import Actor, acting_user, is_system
from gongkai.core.exports import write_manifest_zip
from gongkai.core.jobs import JobContext, JobFailed, JobKind
from gongkai.core.models import AuditAction, Job
from gongkai.core.services import audit_record
from gongkai.core.uploads import content_disposition
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, require_for_applications

from .directory import directory_pdf, directory_xlsx
from .models import ArchiveRecord, ArchiveTransfer
from .services import archive_package


@transaction.atomic
def record_transfer(
    *,
    actor: Actor,
    org: Organisation,
    year: int,
    transferred_on: dt.date,
    archive_name: str,
    receiver: str,
    receipt_number: str,
) -> ArchiveTransfer:
    require_for_applications(actor, Action.MANAGE, org, f"您无权登记「{org.name}」的档案移交。")
    existing = ArchiveTransfer.objects.select_for_update().filter(org=org, year=year).first()
    if existing is not None:
        raise ValidationError(
            f"{year}年度的档案已于{existing.transferred_on.isoformat()}移交{existing.archive_name}，不能重复移交。"
        )
    kept = ArchiveRecord.objects.filter(org=org, year=year, destroyed_on__isnull=True)
    count = kept.count()
    if count == 0:
        raise ValidationError(f"「{org.name}」{year}年度没有归档文件，无需移交。")
    if transferred_on > timezone.localdate():
        raise ValidationError({"transferred_on": "移交日期不能晚于今天。"})
    # a year's archive can only be handed over once it has been filed: never before its latest 归档日期
    last_filed = kept.aggregate(last=Max("filed_on"))["last"]
    if last_filed is not None and transferred_on < last_filed:
        raise ValidationError(
            {"transferred_on": f"移交日期不能早于该年度档案的最后归档日期（{last_filed.isoformat()}）。"}
        )
    transfer = ArchiveTransfer(
        org=org, year=year, transferred_on=transferred_on, archive_name=archive_name.strip(),
        receiver=receiver.strip(), receipt_number=receipt_number.strip(), records=count,
        recorded_by=acting_user(actor),
    )  # fmt: skip
    transfer.full_clean(exclude=["org"])
    transfer.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=transfer, org=org, changes={
        "year": [None, year], "records": [None, count], "archive_name": [None, transfer.archive_name],
        "receipt_number": [None, transfer.receipt_number], "transferred_on": [None, transferred_on.isoformat()],
    })  # fmt: skip
    return transfer


def transfer_package(*, actor: Actor, org: Organisation, year: int) -> bytes:
    """The zip handed to the 档案馆: ``packages/<档号>.zip`` for every record not destroyed, the 归档文件目录
    and ``manifest.json`` (each file's path, size and SHA-256, and the transfer's receipt when recorded)."""
    if not is_system(actor) and not can_see_applicants_of(actor, org):
        raise PermissionDenied(f"您无权导出「{org.name}」的档案（含申请人信息）。")
    records = ArchiveRecord.objects.filter(org=org, year=year, destroyed_on__isnull=True).select_related(
        "org", "application"
    )
    files: list[tuple[str, str, bytes]] = [
        (f"归档文件目录-{year}.xlsx", "归档文件目录（XLSX）", directory_xlsx(org, year)),
        (f"归档文件目录-{year}.pdf", "归档文件目录（PDF）", directory_pdf(org, year)),
    ]
    for record in records.order_by("serial"):
        files.append(
            (
                f"packages/{record.number}.zip",
                f"档号{record.number}",
                archive_package(actor=actor, record=record),
            )
        )
    transfer = ArchiveTransfer.objects.filter(org=org, year=year).first()
    manifest = {
        "org": org.name, "org_code": org.code, "year": year, "records": len(files) - 2,
        "generated_at": timezone.now().isoformat(),
        "transfer": None if transfer is None else {
            "transferred_on": transfer.transferred_on.isoformat(), "archive_name": transfer.archive_name,
            "receiver": transfer.receiver, "receipt_number": transfer.receipt_number,
        },
    }  # fmt: skip
    package = write_manifest_zip(manifest, files)
    audit_record(actor=actor, action=AuditAction.EXPORT, obj=transfer or org, org=org,
                 changes={"year": [None, year], "packages": [None, len(files) - 2]})  # fmt: skip
    return package


# --- The transfer package as a background job: a year of a busy office is many letters to render. ---------

ARCHIVE_TRANSFER_PACKAGE = "archive_transfer_package"


def package_job(ctx: JobContext) -> dict[str, Any]:
    params = ctx.params
    org = Organisation.objects.filter(code=params.get("org", "")).first()
    if org is None:
        raise JobFailed("机构已不存在。")
    year = int(params.get("year", 0))
    ctx.progress(1, "正在生成移交包")
    try:
        data = transfer_package(actor=ctx.actor, org=org, year=year)
    except PermissionDenied as exc:
        raise JobFailed(str(exc)) from exc
    ctx.save_output(data, suffix=".zip")
    return {"org": org.code, "org_name": org.name, "year": year, "size": len(data)}


def package_result(request: HttpRequest, job: Job) -> HttpResponseBase:
    """The page saying the package is ready, or (``?download=1``) the zip itself."""
    result = job.result or {}
    if request.GET.get("download") and job.output:
        response = FileResponse(job.output.open("rb"), content_type="application/zip")
        response["Content-Disposition"] = content_disposition(
            f"{result.get('org', '')}-{result.get('year', '')}移交包.zip"
        )
        return response
    return render(request, "archives/transfer_result.html", {"job": job, "result": result})


PACKAGE_KIND = JobKind(
    ARCHIVE_TRANSFER_PACKAGE, "生成档案移交包", package_job, package_result, back_url="archives:list"
)
