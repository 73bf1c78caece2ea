"""Back-office pages for the organisation tree: list, create, edit, delete, import, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.forms import add_validation_errors
from gongkai.core.jobs import enqueue
from gongkai.core.uploads import KINDS, content_disposition

from . import services
from .forms import ImportForm, OrganisationForm
from .importing import MAX_BYTES, export_orgs
from .jobs import ORG_IMPORT
from .models import Organisation
from .permissions import Action, can, is_system_admin, orgs_where
from .services import ORG_FIELDS


@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    orgs = list(orgs_where(request.user, Action.VIEW).select_related("handling_office").order_by("path"))
    manageable = set(orgs_where(request.user, Action.MANAGE).values_list("pk", flat=True))
    top = min((o.depth for o in orgs), default=0)
    rows = [{"org": o, "indent": o.depth - top, "manage": o.pk in manageable} for o in orgs]
    return render(
        request,
        "orgs/org_list.html",
        {"rows": rows, "can_manage": bool(manageable) or is_system_admin(request.user)},
    )


def _form_response(
    request: HttpRequest, form: OrganisationForm, title: str, org: Organisation | None = None
) -> HttpResponse:
    """The form page; for an existing organisation also who handles its applications, and for whom it does."""
    handled = []
    if org is not None:
        org = Organisation.objects.select_related("handling_office").get(pk=org.pk)  # as saved, not as posted
        handled = [o.name for o in org.handled_orgs.exclude(pk=org.pk).order_by("path")]
    return render(
        request, "orgs/org_form.html", {"form": form, "title": title, "org": org, "handled": handled}
    )


def _offices(request: HttpRequest, org: Organisation | None = None) -> Any:
    """The choices of 办理申请的工作机构: active organisations the user manages, and the current one."""
    offices = orgs_where(request.user, Action.MANAGE).filter(is_active=True)
    if org is not None:
        offices = offices.exclude(pk=org.pk)
        if org.handling_office_id:
            offices = offices | Organisation.objects.filter(pk=org.handling_office_id)
    return offices.distinct().order_by("path")


@login_required
def org_create(request: HttpRequest) -> HttpResponse:
    parents = orgs_where(request.user, Action.MANAGE).order_by("path")
    if not parents.exists() and not is_system_admin(request.user):
        raise PermissionDenied("您没有新增机构的权限。")
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else {}
    form = OrganisationForm(request.POST or None, parents=parents, offices=_offices(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_create(actor=request.user, **{f: form.cleaned_data[f] for f in ORG_FIELDS})
        except (ValidationError, PermissionDenied) as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, f"已新增机构「{org.name}」。")
            return redirect("orgs:list")
    return _form_response(request, form, "新增机构")


@login_required
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=pk)
    if not can(request.user, Action.MANAGE, org):
        raise PermissionDenied("您没有管理该机构的权限。")
    parents = orgs_where(request.user, Action.MANAGE).exclude(path__startswith=org.path).order_by("path")
    if org.parent_id:
        parents = parents | Organisation.objects.filter(pk=org.parent_id)
    form = OrganisationForm(
        request.POST or None, instance=org, parents=parents.distinct(), offices=_offices(request, org)
    )
    if request.method == "POST" and form.is_valid():
        fresh = Organisation.objects.get(pk=pk)  # the form mutated `org`; the service diffs from the DB
        try:
            services.org_update(
                actor=request.user, org=fresh, **{f: form.cleaned_data[f] for f in ORG_FIELDS}
            )
        except (ValidationError, PermissionDenied) as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, "机构信息已保存。")
            return redirect("orgs:list")
    return _form_response(request, form, f"编辑机构：{org.name}", org)


@login_required
@require_POST
def org_delete(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=pk)
    try:
        services.org_delete(actor=request.user, org=org)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已删除机构「{org.name}」。")
    return redirect("orgs:list")


@login_required
def org_import(request: HttpRequest) -> HttpResponse:
    if not orgs_where(request.user, Action.MANAGE).exists() and not is_system_admin(request.user):
        raise PermissionDenied("您没有导入机构的权限。")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", "文件超过 5 MB，请拆分后再导入。")
        else:
            # Validated and applied by a background job; its page shows the progress, then the outcome.
            filename = upload.name or "orgs.csv"
            job = enqueue(
                kind=ORG_IMPORT,
                actor=request.user,
                params={"filename": filename, "dry_run": form.cleaned_data["dry_run"]},
                data=upload.read(),
                filename=filename,
            )
            return redirect("backoffice:job", pk=job.pk)
    return render(request, "orgs/org_import.html", {"form": form})


@login_required
def org_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("fmt", "xlsx")
    if fmt not in {"csv", "xlsx"}:
        fmt = "xlsx"
    data = export_orgs(orgs_where(request.user, Action.VIEW).order_by("path"), fmt)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else KINDS["xlsx"].mime
    response = HttpResponse(data, content_type=content_type)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = content_disposition(f"orgs-{stamp}.{fmt}")
    return response
