"""Back-office pages for annual reports: list and 上级 overview, draft editing, workflow, downloads, 表二 figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_POST

from gongkai.core.forms import add_validation_errors
from gongkai.core.jobs import enqueue
from gongkai.core.params import year_param
from gongkai.core.richtext import sanitise_html
from gongkai.core.uploads import KINDS, content_disposition
from gongkai.core.views import get_permitted_or_404
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, orgs_where
from gongkai.orgs.report_deadlines import org_report_deadline

from . import services, workflow
from .bundle import report_bytes
from .figures_jobs import FIGURES_IMPORT
from .forms import FigureForm, FigureImportForm, ReportCreateForm, SectionsForm
from .models import Report, Table2Figure
from .narrative import generated_paragraphs, holds_paragraph, html_to_text
from .permissions import can_edit, can_edit_sections, can_view, edit_refusal
from .render import FORMATS_OUT, render_html
from .selectors import document_findings, monthly_received, subordinates_overview

MAX_UPLOAD = 5 * 1024 * 1024
CONTENT_TYPES = {"html": "text/html; charset=utf-8", **{k: KINDS[k].mime for k in ("pdf", "docx", "xlsx")}}


def _report(request: HttpRequest, pk: int) -> Report:
    return get_permitted_or_404(
        Report.objects.select_related("org"), lambda r: can_view(request.user, r.org), "年度报告不存在", pk=pk
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """Reports of the organisations the user may see, and the 上级 overview of status and deadlines."""
    orgs = orgs_where(request.user, Action.VIEW)
    today = timezone.localdate()
    year = year_param(request.GET.get("year"), today.year - 1)
    reports = (
        Report.objects.filter(org__in=orgs)
        .select_related("org")
        .order_by("org__path", "-year", "-version")[:200]
    )
    tops = [o for o in orgs.order_by("depth", "path")][:1]
    overview = subordinates_overview(tops[0], year, today=today) if tops else []
    visible = set(orgs.values_list("pk", flat=True))
    overview = [row for row in overview if row.org.pk in visible]
    return render(
        request,
        "reports/report_list.html",
        {
            "reports": reports,
            "overview": overview,
            "year": year,
            "can_create": orgs_where(request.user, Action.EDIT).exists(),
        },
    )


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    orgs = orgs_where(request.user, Action.EDIT).order_by("path")
    if not orgs.exists():
        raise PermissionDenied("您没有起草年度报告的权限。")
    form = ReportCreateForm(request.POST or None, orgs=orgs, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, f"已新建{report}。")
            return redirect("reports:detail", report.pk)
    return render(request, "reports/form.html", {"form": form, "title": "新建年度报告"})


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    doc = services.frozen_document(report)
    findings = document_findings(report.org, doc, published_on=report.published_on)
    body = render_html(
        doc,
        title=report.title,
        sections_html=report.sections,
        monthly=monthly_received(report.org, report.year, report.scope),
        standalone=False,
    )
    versions = Report.objects.filter(org=report.org, year=report.year).order_by("-version")
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "body": body,
            "findings": findings,
            "can_edit_sections": can_edit_sections(request.user, report),
            "steps": _step_forms(request.user, report),
            "versions": versions,
            "downloads": FORMATS_OUT,
            "deadline": org_report_deadline(report.org, report.year),
        },
    )


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the six sections; generated paragraphs can be inserted; last year's 五 is shown beside this year's."""
    report = _report(request, pk)
    if not can_edit_sections(request.user, report):
        raise PermissionDenied(edit_refusal(report))
    form = SectionsForm(request.POST or None, initial=report.sections)
    for field in form.fields.values():
        field.widget.attrs["data-image-upload"] = reverse("reports:image_upload", args=[report.pk])
    if request.method == "POST" and form.is_valid():
        sections = dict(form.cleaned_data)
        insert = request.POST.get("insert", "")
        generated = generated_paragraphs(
            report.org, report.year, report.scope, services.frozen_document(report)
        )
        # without JavaScript (editor.js inserts in the page): append as a paragraph, once
        already = holds_paragraph(sections.get(insert) or "", generated.get(insert, ""))
        if generated.get(insert) and not already:
            sections[insert] = (
                sanitise_html(sections.get(insert) or "") + f"<p>{escape(generated[insert])}</p>"
            )
        try:
            services.report_update_sections(actor=request.user, report=report, sections=sections)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            done = "本部分已包含生成的段落，未重复插入。" if already else "已插入生成的段落。"
            messages.success(request, done if insert else "正文已保存。")
            return redirect("reports:edit" if insert else "reports:detail", report.pk)
    previous = (
        Report.objects.filter(org=report.org, year=report.year - 1, status="published")
        .order_by("-version")
        .first()
    )
    doc = services.frozen_document(report)
    return render(
        request,
        "reports/report_edit.html",
        {
            "report": report,
            "form": form,
            # per section: the paragraph, and whether the section already holds it (then it is not offered)
            "generated": {
                number: (text, holds_paragraph(form[number].value() or "", text))
                for number, text in generated_paragraphs(report.org, report.year, report.scope, doc).items()
            },
            "previous_five": html_to_text(previous.sections.get("五", "")) if previous else None,
        },
    )


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One workflow step (workflow.STEPS); offered only when the step is (status, role); the service checks again."""
    report = _report(request, pk)
    step = next((s for s in workflow.WORKFLOW.available(request.user, report) if s.name == action), None)
    if step is None:
        raise PermissionDenied("您不能对该报告执行此操作。")
    try:
        params: dict[str, Any] = {}
        if step.form is not None:
            form = step.form(request.POST)
            if not form.is_valid():
                raise ValidationError(step.form_error or form.errors.as_text())
            params = form.cleaned_data
        report = workflow.report_transition(actor=request.user, report=report, step=step.name, **params)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "您不能对该报告执行此操作。")
    else:
        messages.success(request, f"{report}：{report.get_status_display()}。")
    return redirect("reports:detail", report.pk)


def _step_forms(user: Any, report: Report) -> list[tuple[Any, Any]]:
    """The workflow buttons of the detail page: (step, its unbound form or None)."""
    initial = {"published_on": timezone.localdate()}
    steps = workflow.WORKFLOW.available(user, report)
    return [(s, s.form(initial=initial) if s.form else None) for s in steps]


@login_required
def report_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    report = _report(request, pk)
    if kind not in FORMATS_OUT:
        raise Http404("不支持的格式")
    return download_response(report, kind)


def download_response(report: Report, kind: str) -> HttpResponse:
    """The report version as a file (also used by the public pages for published versions)."""
    response = HttpResponse(report_bytes(report, kind), content_type=CONTENT_TYPES[kind])
    # 「青山县人民政府2025年政府信息公开工作年度报告.pdf」 (RFC 5987 filename*); a PDF opens in the browser.
    response["Content-Disposition"] = content_disposition(f"{report.file_stem}.{kind}", inline=kind == "pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """表二 figures entered by hand (once per organisation-year, with source): list, entry form, import."""
    orgs = orgs_where(request.user, Action.EDIT).order_by("path")
    visible = orgs_where(request.user, Action.VIEW)
    form = FigureForm(request.POST or None, orgs=orgs, prefix="f")
    upload = FigureImportForm(None, orgs=orgs, prefix="i")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_edit(request.user, data["org"]):
            raise PermissionDenied("您没有填报该机构数据的权限。")
        try:
            services.figure_set(
                actor=request.user,
                org=data["org"],
                year=data["year"],
                project=data["project"],
                indicator=data["indicator"],
                value=data["value"],
                source=data["source"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, "表二数据已保存。")
            return redirect("reports:figures")
    rows = (
        Table2Figure.objects.filter(org__in=visible)
        .select_related("org")
        .order_by("org__path", "-year", "item", "row")[:500]
    )
    return render(request, "reports/figures.html", {"form": form, "upload": upload, "rows": rows})


@login_required
@require_POST
def figures_import(request: HttpRequest) -> HttpResponse:
    orgs = orgs_where(request.user, Action.EDIT).order_by("path")
    upload = FigureImportForm(request.POST, request.FILES, orgs=orgs, prefix="i")
    if not upload.is_valid():
        messages.error(request, "请选择要上传的文件。" if "file" in upload.errors else "请选择机构和文件。")
        return redirect("reports:figures")
    file = upload.cleaned_data["file"]
    if file.size > MAX_UPLOAD:
        messages.error(request, "文件太大（上限 5 MB）。")
        return redirect("reports:figures")
    org: Organisation = upload.cleaned_data["org"]
    # Checked and imported by a background job (figures_jobs.py); its page shows the progress, then the outcome.
    filename = file.name or "表二.csv"
    job = enqueue(
        kind=FIGURES_IMPORT,
        actor=request.user,
        org=org,
        params={"org": org.pk, "filename": filename, "dry_run": upload.cleaned_data["dry_run"]},
        data=file.read(),
        filename=filename,
    )
    return redirect("backoffice:job", pk=job.pk)
