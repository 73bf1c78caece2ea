"""The 登记回执 for staff to print (HTML, A4) or download (PDF): applicant data, so the handling office only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from gongkai.core.models import AuditAction
from gongkai.core.services import audit_read
from gongkai.core.uploads import content_disposition
from gongkai.core.views import get_permitted_or_404

from .models import Application
from .permissions import can_see_applicant
from .registration_receipt import receipt_html, receipt_pdf


@login_required
def registration_receipt(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    application = get_permitted_or_404(
        Application.objects.select_related("org"),
        lambda a: can_see_applicant(request.user, a),
        "申请不存在或您无权查看。",
        pk=pk,
    )
    if fmt not in ("html", "pdf"):
        raise Http404("不支持的格式。")
    audit_read(request.user, application, f"登记回执.{fmt}", action=AuditAction.DOWNLOAD)
    if fmt == "html":
        return HttpResponse(receipt_html(application))
    response = HttpResponse(receipt_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"登记回执-{application.tracking_code}.pdf")
    return response
