"""销毁 of filed applications whose 保管期限 has ended.

《档案法》第二十一条: 禁止擅自销毁档案; the procedure is the 国家档案局's (《机关档案管理规定》): the expired files
are appraised, listed in a 销毁清册, approved, destroyed, and the 销毁清册 is kept. Here: the 公开办 proposes the
清册 of one organisation's year (only records whose 保管期限 has ended, not transferred, without a pending
复议/诉讼); another person with 管理 rights approves it (提出人 and 审批人 differ: the two-person rule of
销毁); approval re-checks every record on the server, then destroys the stored files and the applicant's personal
data through the retention run's own plan (``applications.retention_scrub``: materials, proofs, stamped scans —
no longer held, the period has ended — evidence bundles, messages; the letters' personal values redacted) and
also removes the other stored attachments (延期审批单). What stays: the archive record (档号, 件号, dates, marked
销毁), the 销毁清册 and the audit rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.applications import retention_scrub
from gongkai.applications.models import Application
from gongkai.applications.vocab import RemedyResult
from gongkai.core.actors import Actor, acting_user
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, require_for_applications

from .models import ArchiveDestruction, ArchiveRecord, ArchiveTransfer, DestructionStatus


def refusals(records: Iterable[ArchiveRecord], today: dt.date) -> dict[int, str]:
    """Why each record may not be destroyed on ``today`` (Chinese, by record pk; ``""``: it may be). Two queries
    whatever the number of records: the transferred years and the pending 复议/诉讼."""
    records = list(records)
    transferred = set(
        ArchiveTransfer.objects.filter(
            org_id__in={r.org_id for r in records}, year__in={r.year for r in records}
        ).values_list("org_id", "year")
    )
    pending = set(
        Application.objects.filter(
            pk__in=[r.application_id for r in records], remedy_cases__result=RemedyResult.PENDING
        ).values_list("pk", flat=True)
    )
    return {
        r.pk: _refusal(r, today, (r.org_id, r.year) in transferred, r.application_id in pending)
        for r in records
    }


def _refusal(record: ArchiveRecord, today: dt.date, transferred: bool, pending: bool) -> str:
    if record.destroyed_on:
        return f"档号{record.number}已于{record.destroyed_on.isoformat()}销毁。"
    if record.keep_until is None:
        return f"档号{record.number}的保管期限为永久，不得销毁。"
    if not record.expired(today):
        return f"档号{record.number}的保管期限至{record.keep_until}年12月31日届满，未到期不得销毁。"
    if transferred:
        return f"档号{record.number}所在年度的档案已移交档案馆，由档案馆鉴定处置。"
    if pending:
        return f"档号{record.number}有尚未审结的行政复议或行政诉讼，不得销毁。"
    return ""


def expired_records(org: Organisation, year: int, today: dt.date) -> list[ArchiveRecord]:
    records = list(
        ArchiveRecord.objects.filter(org=org, year=year, destroyed_on__isnull=True)
        .select_related("application", "org")
        .order_by("serial")
    )
    refused = refusals(records, today)
    return [r for r in records if not refused[r.pk]]


def _item(record: ArchiveRecord) -> dict[str, Any]:
    return {"record": record.pk, "number": record.number, "serial": record.serial,
            "tracking_code": record.application.tracking_code, "title": record.application.info_title,
            "retention": record.retention_label, "keep_until": record.keep_until, "pages": record.pages}  # fmt: skip


@transaction.atomic
def propose_destruction(
    *, actor: Actor, org: Organisation, year: int, today: dt.date | None = None
) -> ArchiveDestruction:
    """Draw up the 销毁清册 of ``org``'s expired records of ``year`` for approval."""
    require_for_applications(actor, Action.EDIT, org, f"您无权为「{org.name}」提出销毁。")
    today = today or timezone.localdate()
    if ArchiveDestruction.objects.filter(org=org, year=year, status=DestructionStatus.PENDING).exists():
        raise ValidationError(f"{year}年度已有待审批的销毁清册，请先审批。")
    records = expired_records(org, year, today)
    if not records:
        raise ValidationError(f"「{org.name}」{year}年度没有保管期限已届满、可以销毁的档案。")
    destruction = ArchiveDestruction.objects.create(
        org=org, year=year, status=DestructionStatus.PENDING, items=[_item(r) for r in records],
        proposed_by=acting_user(actor), proposed_on=today,
    )  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CREATE, obj=destruction, org=org,
                 changes={"year": [None, year], "numbers": [None, [r.number for r in records]]})  # fmt: skip
    return destruction


def _destroy(record: ArchiveRecord, *, actor: Actor, today: dt.date) -> dict[str, int]:
    app = record.application
    plan = retention_scrub.plan(app, today)
    plan.materials = list(app.attachments.all())  # every stored original of the file, not only 申请材料
    retention_scrub.apply(plan, today=today)
    counts = plan.counts()
    record.destroyed_on = today
    record.save(update_fields=["destroyed_on"])
    audit_record(actor=actor, action=AuditAction.DELETE, obj=app, org=record.org,
                 changes={"archive_destroyed": [None, record.number], **counts})  # fmt: skip
    return counts


@transaction.atomic
def approve_destruction(
    *, actor: Actor, destruction: ArchiveDestruction, today: dt.date | None = None
) -> ArchiveDestruction:
    """Approve the 清册 and destroy: every record is checked again here, on the server, whatever the page sent."""
    destruction = ArchiveDestruction.objects.select_for_update().select_related("org").get(pk=destruction.pk)
    org = destruction.org
    require_for_applications(actor, Action.MANAGE, org, f"您无权审批「{org.name}」的档案销毁。")
    if destruction.status != DestructionStatus.PENDING:
        raise ValidationError("该销毁清册已审批，不能重复审批。")
    user = acting_user(actor)
    if user is not None and user.pk == destruction.proposed_by_id:
        raise ValidationError("销毁清册须由提出人以外的人员审批。")
    today = today or timezone.localdate()
    ids = [item["record"] for item in destruction.items]
    records = list(
        ArchiveRecord.objects.select_for_update().filter(pk__in=ids).select_related("application", "org")
    )
    refused = refusals(records, today)
    reasons = [refused[r.pk] for r in records if refused[r.pk]]
    if reasons or len(records) != len(ids):
        raise ValidationError(reasons or ["销毁清册中的档案已不存在，请重新提出。"])
    for record in sorted(records, key=lambda r: r.serial):
        _destroy(record, actor=actor, today=today)
    destruction.status = DestructionStatus.DONE
    destruction.approved_by = user
    destruction.approved_on = today
    destruction.save(update_fields=["status", "approved_by", "approved_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=destruction, org=org,
                 changes={"status": [DestructionStatus.PENDING, DestructionStatus.DONE]})  # fmt: skip
    return destruction
