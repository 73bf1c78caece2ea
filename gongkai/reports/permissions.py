"""Who may do what with annual reports (on top of orgs.permissions)."""

from __future__ import annotations

from typing import Any

from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, can

from .models import Report, ReportStatus


def can_view(user: Any, org: Organisation) -> bool:
    return can(user, Action.VIEW, org)


def can_edit(user: Any, org: Organisation) -> bool:
    """Draft, edit, submit, enter 表二 figures, start a correction: the clerk (EDIT)."""
    return can(user, Action.EDIT, org)


def can_review(user: Any, org: Organisation) -> bool:
    """Approve or send back: the reviewer (REVIEW)."""
    return can(user, Action.REVIEW, org)


def can_publish(user: Any, org: Organisation) -> bool:
    """Publish an approved version: the reviewer, or the 公开办 administrator (MANAGE)."""
    return can(user, Action.REVIEW, org) or can(user, Action.MANAGE, org)


def can_edit_sections(user: Any, report: Report) -> bool:
    """Editing the narrative of a draft (the workflow's own steps: workflow.WORKFLOW.available)."""
    return report.status == ReportStatus.DRAFT and can_edit(user, report.org)


def edit_refusal(report: Report) -> str:
    """Why the narrative of ``report`` cannot be edited, in the words the 403 page shows (a published
    version never changes: a correction is a new version)."""
    if report.status == ReportStatus.PUBLISHED:
        return (
            "已发布的年度报告不能修改。需要更正的，请在报告页面点击“新建更正版本”，修改后重新提交审核并发布。"
        )
    if report.status != ReportStatus.DRAFT:
        return "已提交审核的年度报告不能修改。需要修改的，请由审核人“退回修改”后再编辑。"
    return "您没有编辑该机构年度报告的权限。"
