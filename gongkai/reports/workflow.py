"""The annual-report version workflow, declared once: draft → submitted → approved → published (条例第四十九条).

``STEPS`` is the table; the detail page's buttons and forms (``WORKFLOW.available``), the view and API step
names and the allowed transitions derive from it, and every step runs through ``core.workflow`` (lock → check →
handler → status, audit row). ``correct`` starts a new draft version of a published one and leaves the published
version as it is (its target is None).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.core.actors import Actor, acting_user
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.workflow import Move, Step, Workflow, any_of, row_lock
from gongkai.orgs.duties import audited_editors, own_work_refuser
from gongkai.orgs.permissions import Action, can
from gongkai.orgs.public_pages import org_pages_changed

from .forms import CorrectionForm, PublishForm
from .models import Report, ReportStatus
from .services import frozen_document

OWN_REPORT = "不能审核自己起草或提交的年度报告。"


def _freeze(move: Move) -> None:
    """提交: the statistics computed from the records are frozen into ``data``."""
    move.updates["data"] = frozen_document(move.obj)


def _publish(move: Move) -> None:
    report: Report = move.obj
    published_on: dt.date = move.params.get("published_on") or timezone.localdate()
    if published_on.year <= report.year:
        raise ValidationError(f"发布日期应在{report.year}年度结束之后。")
    move.updates.update(published_on=published_on, published_at=timezone.now())


def _correct(move: Move) -> Report:
    """A correction of a published version: a new draft version with a change note (§8 defect 7)."""
    report: Report = move.obj
    change_note = str(move.params.get("change_note") or "")
    latest = Report.objects.filter(org=report.org, year=report.year).order_by("-version").first()
    assert latest is not None
    if latest.pk != report.pk:
        raise ValidationError(f"已存在第{latest.version}版，请在最新版本上更正。")
    if not change_note.strip():
        raise ValidationError("请填写更正说明。")
    correction = Report(
        org=report.org,
        year=report.year,
        scope=report.scope,
        format=report.format,
        version=report.version + 1,
        sections=dict(report.sections),
        change_note=change_note.strip(),
        created_by=acting_user(move.actor),
    )
    correction.full_clean()
    correction.save()
    audit_record(
        actor=move.actor,
        action=AuditAction.CREATE,
        obj=correction,
        org=report.org,
        changes={
            "version": [report.version, correction.version],
            "change_note": [None, correction.change_note],
        },
    )
    return correction


def _may_return(actor: Actor, report: Report) -> bool:
    """Sending back: a submitted version by its reviewer; an approved one also by the 公开办 (who publishes)."""
    if report.status == ReportStatus.SUBMITTED:
        return can(actor, Action.REVIEW, report.org)
    return can(actor, Action.REVIEW, report.org) or can(actor, Action.MANAGE, report.org)


STEPS: tuple[Step, ...] = (
    Step("submit", "提交审核", (ReportStatus.DRAFT,), ReportStatus.SUBMITTED, Action.EDIT, handler=_freeze,
         denied="您无权提交年度报告（{obj.org.name}）。"),
    Step("approve", "审核通过", (ReportStatus.SUBMITTED,), ReportStatus.APPROVED, Action.REVIEW, four_eyes=OWN_REPORT,
         denied="您无权审核年度报告（{obj.org.name}）。"),
    Step("return", "退回修改", (ReportStatus.SUBMITTED, ReportStatus.APPROVED), ReportStatus.DRAFT, _may_return,
         secondary=True, denied="您无权退回年度报告（{obj.org.name}）。"),
    Step("publish", "发布", (ReportStatus.APPROVED,), ReportStatus.PUBLISHED, any_of(Action.REVIEW, Action.MANAGE),
         handler=_publish, form=PublishForm, form_error="请填写正确的发布日期。",
         denied="您无权发布年度报告（{obj.org.name}）。"),
    Step("correct", "新建更正版本", (ReportStatus.PUBLISHED,), None, Action.EDIT, handler=_correct,
         form=CorrectionForm, form_error="请填写更正说明。", secondary=True, inline=False,
         denied="您无权更正年度报告（{obj.org.name}）。", wrong_state="只有已发布的报告可以更正。"),
)  # fmt: skip


def report_drafters(report: Report) -> set[int]:
    """Who drafted the version under review: its creator, and whoever last submitted it (from the audit log)."""
    drafters = {report.created_by_id} if report.created_by_id else set()
    transitions = AuditEntry.objects.filter(
        object_type=Report._meta.label_lower, object_id=str(report.pk), action=AuditAction.TRANSITION
    ).order_by("-id")
    for entry in transitions.values("actor_id", "changes").iterator():
        if (entry["changes"] or {}).get("status") == [ReportStatus.DRAFT, ReportStatus.SUBMITTED]:
            if entry["actor_id"]:
                drafters.add(entry["actor_id"])
            break
    # ... and everyone who changed the version since it last became a draft (editing someone else's draft
    # and then approving it is approving one's own work).
    since = 0
    for entry_id, changes in transitions.values_list("id", "changes").iterator():
        status = (changes or {}).get("status")
        if isinstance(status, list) and len(status) == 2 and status[1] == ReportStatus.DRAFT:
            since = entry_id
            break
    return drafters | audited_editors(report, id__gt=since)


def _after(move: Move) -> None:
    """Publishing a version (a first one or a correction) changes the organisation's 年报 pages."""
    if move.obj.status == ReportStatus.PUBLISHED and move.source != ReportStatus.PUBLISHED:
        org_pages_changed(move.obj.org)


WORKFLOW = Workflow(
    name="reports",
    states=ReportStatus,
    steps=STEPS,
    permits=can,
    lock=row_lock("org"),
    four_eyes=own_work_refuser(report_drafters),
    after=_after,
    audit_fields=("status",),
    denied="您无权执行“{step.label}”（{obj.org.name}）。",
    wrong_state="年度报告不能从“{state}”变为“{target}”。",
    unknown="未知操作：{name}",
)


def report_transition(*, actor: Actor, report: Report, step: str, **params: Any) -> Report:
    """Take one step on a report version: ``published_on`` for publish, ``change_note`` for correct.

    Returns the version (for ``correct``: the new draft version).
    """
    result: Report = WORKFLOW.transition(actor=actor, obj=report, step=step, **params)
    return result


def report_submit(*, actor: Actor, report: Report) -> Report:
    """Submit a draft for review, freezing the statistics computed from the records into ``data``."""
    return report_transition(actor=actor, report=report, step="submit")


def report_return(*, actor: Actor, report: Report) -> Report:
    """Send a submitted or approved version back to draft (its frozen data is recomputed on resubmission)."""
    return report_transition(actor=actor, report=report, step="return")


def report_approve(*, actor: Actor, report: Report) -> Report:
    """Approve a submitted version (the reviewer; under 双人审核 not its drafter or submitter)."""
    return report_transition(actor=actor, report=report, step="approve")


def report_publish(*, actor: Actor, report: Report, published_on: dt.date | None = None) -> Report:
    """Publish an approved version at its stable URL (条例第四十九条); it is locked from then on."""
    return report_transition(actor=actor, report=report, step="publish", published_on=published_on)


def report_correct(*, actor: Actor, report: Report, change_note: str) -> Report:
    """Start a correction of a published version: a new draft version with a change note."""
    return report_transition(actor=actor, report=report, step="correct", change_note=change_note)
