"""Evidence bundle pages: queue a build from the remedy page, download the PDF or the zip of the originals.

Only staff who can act on the linked application and see its applicant; every download is an audit row (下载)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from gongkai.core.actors import Actor
from gongkai.core.forms import refusal_text
from gongkai.core.jobs import enqueue
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_read
from gongkai.core.uploads import content_disposition
from gongkai.core.views import get_permitted_or_404
from gongkai.orgs.permissions import Action, can_for_applications

from ..models import RemedyCase
from ..permissions import can_see_applicants_of
from .build import check_may_build, title_of
from .jobs import EVIDENCE_BUNDLE
from .models import EvidenceBundle


def may_read(user: object, case: RemedyCase) -> bool:
    """Who builds and downloads a case's evidence bundle: staff who can act on its applications and see their
    applicants (the handling office's staff, a 公开办管理员 above it)."""
    linked = case.application
    return (
        can_for_applications(user, Action.EDIT, case.org)
        and can_see_applicants_of(user, case.org)
        # the linked application's applicant too (a case only ever links its own organisation's application;
        # checked again here so that a bad link can never open another organisation's file)
        and (linked is None or (linked.org_id == case.org_id and can_see_applicants_of(user, linked.org)))
    )


def remedy_case_or_404(request: HttpRequest, pk: int) -> RemedyCase:
    """A remedy case of an organisation whose applications the user may act on (404 otherwise): the case's page
    and its evidence build."""
    return get_permitted_or_404(
        RemedyCase.objects.select_related("org", "application__org"),
        lambda c: can_for_applications(request.user, Action.EDIT, c.org),
        "案件不存在或您无权修改。",
        pk=pk,
    )


@login_required
@require_POST
def evidence_build(request: HttpRequest, pk: int) -> HttpResponse:
    case = remedy_case_or_404(request, pk)
    try:
        check_may_build(request.user, case)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能生成证据材料：{refusal_text(exc)}")
        return redirect("applications:remedy_edit", pk=case.pk)
    job = enqueue(kind=EVIDENCE_BUNDLE, actor=request.user, org=case.org, params={"case": case.pk})
    return redirect("backoffice:job", pk=job.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    if fmt not in {"pdf", "zip"}:
        raise Http404("没有该格式。")
    bundle = get_permitted_or_404(
        EvidenceBundle.objects.select_related("case__org", "case__application__org"),
        lambda b: may_read(request.user, b.case),
        "证据材料不存在或您无权下载。",
        pk=pk,
    )
    return bundle_file(request.user, bundle, fmt)


def bundle_file(user: Actor, bundle: EvidenceBundle, fmt: str) -> FileResponse:
    """The stored PDF or zip of a bundle the caller may read (``may_read``), streamed, after its audit row
    (下载); the page and the API (``evidence.api``) both answer with it."""
    stored = bundle.zip if fmt == "zip" else bundle.pdf
    what = "证据材料原件压缩包" if fmt == "zip" else "证据材料（PDF）"
    audit_read(user, bundle, what, action=AuditAction.DOWNLOAD, org=bundle.case.org)
    application = bundle.case.application
    label = bundle.case.case_number or (application.tracking_code if application else "")
    name = f"{label}-{title_of(bundle.case)}" + ("（原件）.zip" if fmt == "zip" else ".pdf")
    # Files this platform generated (never an upload), so the type is known.
    response = FileResponse(
        stored.open("rb"), content_type="application/zip" if fmt == "zip" else "application/pdf"
    )
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
