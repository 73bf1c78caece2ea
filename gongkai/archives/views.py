"""归档 pages: the records of the visible organisations, the closed applications waiting to be filed, the package."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.applications.models import Application, Status
from gongkai.applications.permissions import can_see_applicants_of
from gongkai.applications.views import application_or_404
from gongkai.core.uploads import content_disposition
from gongkai.core.views import get_permitted_or_404
from gongkai.orgs.permissions import Action, application_orgs_where

from .models import ArchiveRecord
from .services import RETENTION_CHOICES, archive_file, archive_package, default_retention, parse_retention


@login_required
def archive_list(request: HttpRequest) -> HttpResponse:
    records = ArchiveRecord.objects.filter(
        org__in=application_orgs_where(request.user, Action.VIEW)
    ).select_related("org", "application")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    waiting = (
        Application.objects.filter(
            org__in=application_orgs_where(request.user, Action.EDIT),
            status=Status.CLOSED,
            archive_record__isnull=True,
        )
        .select_related("org")
        .order_by("closed_on", "id")[:100]
    )
    exportable = {r.org_id for r in page if can_see_applicants_of(request.user, r.org)}
    years = sorted(
        {(a.org.code, a.org.display_name, a.closed_on.year) for a in waiting if a.closed_on}
        | {(r.org.code, r.org.display_name, r.year) for r in page},
        key=lambda t: (-t[2], t[1]),
    )
    return render(request, "archives/list.html", {
        "page": page, "waiting": waiting, "exportable": exportable, "retention_choices": RETENTION_CHOICES,
        "default_retention": default_retention(), "years": years,
    })  # fmt: skip


@login_required
@require_POST
def file_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_or_404(request, pk)
    try:
        record = archive_file(
            actor=request.user,
            application=application,
            retention_years=parse_retention(request.POST.get("retention_years", "")),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已归档，档号 {record.number}，保管期限{record.retention_label}。")
    return redirect("archives:list")


@login_required
def package(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_permitted_or_404(
        ArchiveRecord.objects.select_related("org", "application"),
        lambda r: can_see_applicants_of(request.user, r.org) and r.destroyed_on is None,
        "档案不存在、已销毁或您无权导出。",
        pk=pk,
    )
    response = HttpResponse(
        archive_package(actor=request.user, record=record), content_type="application/zip"
    )
    response["Content-Disposition"] = content_disposition(f"{record.number}.zip")
    return response
