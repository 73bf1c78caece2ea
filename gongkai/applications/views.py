"""Staff pages (org-scoped); thin: a form, one service call, a redirect. The public pages are in public_views."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts.models import User
from gongkai.core.forms import add_validation_errors
from gongkai.core.jobs import enqueue
from gongkai.core.models import AuditAction
from gongkai.core.params import year_param
from gongkai.core.services import audit_read
from gongkai.core.uploads import KINDS, MAX_SHEET_BYTES, content_disposition, file_response
from gongkai.core.views import get_permitted_or_404
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, application_orgs_where, can_for_applications

from . import letters as letter_services
from .delivery_views import letter_or_404, letter_rows
from .forms import LedgerForm, LetterForm
from .inbox import inbox as inbox_buckets
from .intake_forms import RegisterForm
from .issued_pdf import letter_pdf_bytes
from .ledger import export_applications, export_remedies
from .ledger_jobs import LEDGER_IMPORT
from .list_filters import EXPORT_LIMIT, ApplicationListFilter, export_rows, overdue_ids
from .models import Application, Attachment, Letter
from .permissions import can_handle, can_see_applicant, can_see_applicants_of, may_register
from .selectors import (
    HIDDEN,
    applicant_view,
    applicant_visible_ids,
    due_soon_and_overdue,
    remedy_answer_of,
)
from .services import intake
from .workflow import ApplicationStep, application_transition, steps_available


def application_or_404(request: HttpRequest, pk: int) -> Application:
    """An application made to an organisation whose applications the user may view (404 otherwise)."""
    return get_permitted_or_404(
        Application.objects.select_related("org", "assignee"),
        lambda a: can_for_applications(request.user, Action.VIEW, a.org),
        "申请不存在或您无权查看。",
        pk=pk,
    )


# --- staff -----------------------------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    form = ApplicationListFilter(request.GET or None, user=request.user)
    today = timezone.localdate()
    qs = form.queryset(today=today)
    if request.GET.get("export") == "xlsx":
        return _export_list(request, qs, today)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    visible = applicant_visible_ids(request.user, [a.pk for a in page])
    rows = [(a, a.applicant_name if a.pk in visible else HIDDEN) for a in page]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    export = query.copy()
    export["export"] = "xlsx"
    return render(
        request,
        "applications/list.html",
        {
            "page": page,
            "rows": rows,
            "form": form,
            "overdue": overdue_ids(page, today=today),
            "query": query.urlencode(),
            "export_query": export.urlencode(),
            "can_register": application_orgs_where(request.user, Action.EDIT).exists(),
        },
    )


def _export_list(request: HttpRequest, qs: Any, today: Any) -> HttpResponse:
    """The filtered list as an Excel file: the same rows and the same masking of names as on the page."""
    if qs.count() > EXPORT_LIMIT:
        messages.error(request, f"一次最多导出 {EXPORT_LIMIT} 条，请先用筛选条件缩小范围。")
        return redirect(request.path)
    apps = list(qs)
    visible = applicant_visible_ids(request.user, [a.pk for a in apps])
    rows = [(a, a.applicant_name if a.pk in visible else HIDDEN) for a in apps]
    user = cast(User, request.user)  # login_required
    audit_read(user, user, f"申请列表导出（{len(rows)} 条）", action=AuditAction.EXPORT)
    response = HttpResponse(export_rows(rows, overdue=overdue_ids(apps, today=today)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
    response["Content-Disposition"] = content_disposition("政府信息公开申请列表.xlsx")
    return response


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/dashboard.html", {"summary": due_soon_and_overdue(request.user)})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/inbox.html", {"buckets": inbox_buckets(request.user)})


@login_required
def register(request: HttpRequest) -> HttpResponse:
    if not may_register(request.user):
        raise PermissionDenied("您没有登记申请的权限。")
    orgs = application_orgs_where(request.user, Action.EDIT)
    form = RegisterForm(request.POST or None, request.FILES or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            application = intake.application_register(
                actor=request.user,
                org=d["org"],
                channel=d["channel"],
                channel_note=d.get("channel_note") or "",
                applicant=form.applicant(),
                request=form.request_data(),
                submitted_on=d.get("submitted_on"),
                signed_for_on=d.get("signed_for_on"),
                confirmed_on=d.get("confirmed_on"),
                uploads=d.get("attachments") or [],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request, f"已登记，申请编号 {application.tracking_code}。可在本页打印登记回执交申请人或邮寄。"
            )
            return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/register.html", {"form": form})


@login_required
def detail(request: HttpRequest, pk: int, action: str = "") -> HttpResponse:
    application = application_or_404(request, pk)
    handle = can_handle(request.user, application)
    # The steps open to this user in this status (under 系统内审批 a reviewer without EDIT still extends).
    forms: dict[str, Any] = {}
    steps: dict[str, ApplicationStep] = {}
    for step in steps_available(request.user, application):
        bound = request.method == "POST" and action == step.name
        extra = step.form_kwargs(application) if step.form_kwargs else {}
        data, files = (request.POST, request.FILES) if bound else (None, None)
        assert step.form is not None
        forms[step.name] = (step.label, step.form(data, files, prefix=step.name, **extra))
        steps[step.name] = step
    if request.method == "POST":
        if action not in forms:
            raise PermissionDenied("不能执行该操作。")
        label, form = forms[action]
        if form.is_valid():
            try:
                step, d = steps[action], form.cleaned_data
                params = {name: d.get(name) for name in step.fields}
                application_transition(actor=request.user, application=application, step=action, **params)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or "不能执行该操作。")
            else:
                messages.success(request, f"已记录：{label}。")
                return redirect("applications:detail", pk=application.pk)
        # The form sits far down the page: say at the top that nothing was saved, and where to look.
        messages.error(
            request,
            f"“{label}”未能提交：请查看下方“{label}”中标红的说明，更正后再提交（已填写的内容已保留）。",
        )
    reveal = request.GET.get("reveal") == "1" and can_see_applicant(request.user, application)
    if reveal:
        audit_read(request.user, application, "申请人完整证件号码和联系电话")
    context = {
        "a": application,
        "applicant": applicant_view(request.user, application, reveal=reveal),
        "events": application.events.select_related("actor"),
        "letters": application.letters.all(),
        "letter_rows": letter_rows(request.user, application),
        "fees": application.fee_notices.all(),
        "attachments": application.attachments.all() if can_see_applicant(request.user, application) else [],
        "remedies": [(r, remedy_answer_of(r)) for r in application.remedy_cases.all()],
        "forms": forms,
        "open_action": action,
        "handle": handle,
    }
    return render(request, "applications/detail.html", context)


@login_required
@require_POST
def detail_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    return detail(request, pk, action)


@login_required
def letter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk)
    form = LetterForm(request.POST or None, instance=letter)
    if request.method == "POST":
        if "issue" in request.POST and not request.POST.get("confirm"):
            messages.error(request, "出具前请勾选确认：文书出具后不能再修改。")
            return redirect("applications:letter", pk=letter.pk)
        if "issue" in request.POST:
            try:
                letter_services.letter_issue(actor=request.user, letter=letter)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, "文书已出具。")
            return redirect("applications:letter", pk=letter.pk)
        form = LetterForm(request.POST, instance=Letter.objects.get(pk=letter.pk))
        if form.is_valid():
            try:
                letter_services.letter_update(
                    actor=request.user,
                    letter=letter,
                    **{f: form.cleaned_data[f] for f in LetterForm.Meta.fields},
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "文书已保存。")
                return redirect("applications:letter", pk=letter.pk)
    return render(request, "applications/letter.html", {"letter": letter, "form": form})


@login_required
def letter_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "docx"):
        raise Http404("不支持的格式")
    letter = letter_or_404(request, pk)
    audit_read(request.user, letter, f"文书（{fmt.upper()}）", action=AuditAction.DOWNLOAD)
    if fmt == "pdf":
        response = HttpResponse(letter_pdf_bytes(letter, actor=request.user), content_type="application/pdf")
    else:
        response = HttpResponse(letter_services.render_docx(letter), content_type=KINDS["docx"].mime)
    response["Content-Disposition"] = content_disposition(f"{letter_services.letter_file_stem(letter)}.{fmt}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_permitted_or_404(
        Attachment.objects.select_related("application__org"),
        lambda a: can_see_applicant(request.user, a.application),
        "附件不存在或您无权查看。",
        pk=pk,
    )
    audit_read(request.user, attachment, "申请人附件", action=AuditAction.DOWNLOAD)
    # Served with the type sniffed from the stored bytes, never the uploader's name or declared type.
    return file_response(attachment.file.open("rb"), attachment.name)


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """GET: the import form and the exports; POST: the import runs as a job (ledger_jobs.py), whose page
    shows the progress, then what was imported or every bad row."""
    orgs = application_orgs_where(request.user, Action.EDIT)
    form = LedgerForm(request.POST or None, request.FILES or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        if upload.size > MAX_SHEET_BYTES:
            form.add_error("file", f"文件超过 {MAX_SHEET_BYTES // (1024 * 1024)} MB，请拆分后再导入。")
        else:
            filename = upload.name or "台账.csv"
            job = enqueue(
                kind=LEDGER_IMPORT,
                actor=request.user,
                org=d["org"],
                params={"kind": d["kind"], "org": d["org"].pk, "filename": filename, "dry_run": d["dry_run"]},
                data=upload.read(),
                filename=filename,
            )
            return redirect("backoffice:job", pk=job.pk)
    return render(request, "applications/ledger.html", {"form": form, "orgs": orgs})


@login_required
def ledger_export(request: HttpRequest, code: str, kind: str, fmt: str) -> HttpResponse:
    org = get_object_or_404(Organisation, code=code)
    # the ledger names every applicant: handling staff only, not 系统管理员 or 上级 (permissions.applicant_scope)
    if not can_for_applications(request.user, Action.EDIT, org) or not can_see_applicants_of(
        request.user, org
    ):
        raise Http404("机构不存在或您无权导出。")
    year = year_param(request.GET.get("year"), None)
    audit_read(request.user, org, f"台账 {kind}.{fmt}", action=AuditAction.EXPORT, year=year)
    exporter = export_applications if kind == "applications" else export_remedies
    content = exporter(org=org, year=year, fmt="xlsx" if fmt == "xlsx" else "csv")
    response = HttpResponse(
        content, content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/octet-stream"
    )
    label = "申请台账" if kind == "applications" else "复议诉讼台账"
    response["Content-Disposition"] = content_disposition(f"{org.code}{label}.{fmt}")
    return response
