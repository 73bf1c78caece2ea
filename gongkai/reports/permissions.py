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


def allowed_actions(user: Any, report: Report) -> list[str]:
    """The workflow buttons ``user`` sees for ``report`` (status allows it and the role does)."""
    org, status = report.org, report.status
    actions = []
    if status == ReportStatus.DRAFT and can_edit(user, org):
        actions += ["edit", "submit"]
    if status == ReportStatus.SUBMITTED and can_review(user, org):
        actions += ["approve", "return"]
    if status == ReportStatus.APPROVED and can_publish(user, org):
        actions += ["publish", "return"]
    if status == ReportStatus.PUBLISHED and can_edit(user, org):
        actions.append("correct")
    return actions
