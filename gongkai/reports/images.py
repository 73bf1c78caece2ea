"""Pictures in a report's sections (插入图片): uploaded to a draft by whoever may edit its sections (core.images
checks and re-encodes the file and audits it on the report), shown to everyone once the version is published,
else only to staff who may view the report's organisation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from gongkai.core import images
from gongkai.core.actors import Actor
from gongkai.core.images.views import upload_answer
from gongkai.core.views import get_permitted_or_404
from gongkai.orgs.permissions import Action, require

from .models import Report, ReportStatus
from .permissions import can_view

OWNER = "reports.report"


def report_image_add(*, actor: Actor, report: Report, name: str, data: bytes) -> images.RichTextImage:
    """Keep a picture for a section of a draft version."""
    require(actor, Action.EDIT, report.org, f"您没有权限修改「{report.org.name}」的年度报告。")
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("只有草稿可以插入图片。")
    return images.image_store(
        actor=actor, org=report.org, owner=OWNER, owner_obj=report, name=name, data=data
    )


def may_see(user: Any, report_id: int) -> str:
    report = Report.objects.select_related("org").filter(pk=report_id).first()
    if report is None:
        return ""
    if report.status == ReportStatus.PUBLISHED or report.published_on is not None:
        return "public"
    return "staff" if getattr(user, "is_authenticated", False) and can_view(user, report.org) else ""


OWNER_RULE = images.ImageOwner(OWNER, may_see)


@login_required
@require_POST
def image_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor's 插入图片 on the 编辑正文 page."""
    report = get_permitted_or_404(
        Report.objects.select_related("org"), lambda r: can_view(request.user, r.org), "年度报告不存在", pk=pk
    )
    return upload_answer(
        request, lambda name, data: report_image_add(actor=request.user, report=report, name=name, data=data)
    )
