"""The register of 行政复议 / 行政诉讼 cases and a case's page: its answer (答辩) deadline, how the challenged
letter reached the applicant, and its evidence bundles (证据材料)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.core.forms import add_validation_errors
from gongkai.orgs.permissions import Action, application_orgs_where

from .evidence.views import may_read, remedy_case_or_404
from .forms import RemedyForm
from .models import Application
from .selectors import challenged_letter_of, remedies_for, remedy_answer_of
from .services import remedies


@login_required
def remedy_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(remedies_for(request.user), 50).get_page(request.GET.get("page"))
    rows = [(c, remedy_answer_of(c)) for c in page]
    return render(request, "applications/remedies.html", {"page": page, "rows": rows})


@login_required
def remedy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    orgs = application_orgs_where(request.user, Action.EDIT)
    case = None
    if pk is not None:
        case = remedy_case_or_404(request, pk)
    elif not orgs.exists():
        raise PermissionDenied("您没有登记复议诉讼案件的权限。")
    # as saved, before the form touches case
    answer = remedy_answer_of(case) if case is not None else None
    challenged = challenged_letter_of(case) if case is not None else None
    readable = case is not None and may_read(request.user, case)
    bundles = (
        list(case.evidence_bundles.select_related("built_by")[:10]) if case is not None and readable else []
    )
    form = RemedyForm(request.POST or None, instance=case, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        code = d.pop("application_code", "")
        org = case.org if case is not None else d["org"]  # a registered case keeps its organisation
        application = Application.objects.filter(org=org, tracking_code=code).first() if code else None
        try:
            if code and application is None:
                raise ValidationError({"application_code": f"「{org}」没有编号为「{code}」的申请。"})
            if case is None:
                case = remedies.remedy_create(actor=request.user, application=application, **d)
            else:
                d.pop("org")
                case = remedies.remedy_update(actor=request.user, case=case, application=application, **d)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, "案件已保存。")
            return redirect("applications:remedies")
    context = {
        "form": form, "case": case, "answer": answer, "challenged": challenged, "bundles": bundles,
        "may_build": readable,
    }  # fmt: skip
    return render(request, "applications/remedy_form.html", context)
