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
