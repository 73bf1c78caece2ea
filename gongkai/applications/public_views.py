"""The applicant's pages at /ysqgk/: the online form, the 回执 after submitting, the status lookup, and the status
page of a proved application (its 补正 sent online, its letters). Thin: a form, one service call, a redirect.

Proof: the 查询码 shown once on the 回执, or 申请编号＋查询码 typed on the lookup page, grants this browser session
that application (``delivery_views.grant_status_access``); the status page of an application and its letters are
served only under that grant."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from gongkai.core.abuse import rate_limited, release_submission, reserve_submission
from gongkai.core.forms import add_validation_errors
from gongkai.orgs.models import Organisation

from .delivery_views import SESSION_KEY, grant_status_access
from .forms import StatusForm
from .intake_forms import PublicApplicationForm, PublicCorrectionForm
from .models import Application
from .public_view import public_status_of
from .services import intake
from .services.public_correction import correction_open, correction_submit_public
from .status_lookup import public_status_lookup

DONE_KEY = "ysqgk_done"  # [tracking code, 查询码] of the application just submitted, shown once on the 回执


def _public_org(code: str) -> Organisation:
    return get_object_or_404(Organisation, code=code, is_active=True)


def public_form(request: HttpRequest, code: str) -> HttpResponse:
    org = _public_org(code)
    form = PublicApplicationForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        busy = "提交过于频繁，请稍后再试，或通过当面、邮寄方式提交申请。"
        if rate_limited(request):
            form.add_error(None, busy)
            status = 429
        elif form.is_valid():
            if form.cleaned_data.get("website"):
                # Honeypot filled: answer like a success without storing anything.
                return render(request, "applications/public_done.html", {"org": org, "fake": True})
            if not reserve_submission(request):  # a concurrent submission took the last slot
                form.add_error(None, busy)
                return render(
                    request, "applications/public_form.html", {"org": org, "form": form}, status=429
                )
            try:
                application, secret = intake.application_submit_public(
                    org=org,
                    applicant=form.applicant(),
                    request=form.request_data(),
                    uploads=form.cleaned_data.get("attachments") or [],
                )
            except ValidationError as exc:
                release_submission(request)
                add_validation_errors(form, exc)
            else:
                request.session[DONE_KEY] = [application.tracking_code, secret]
                grant_status_access(request, application)
                return redirect("applications_public:done", code=org.code)
    return render(request, "applications/public_form.html", {"org": org, "form": form}, status=status)


def public_done(request: HttpRequest, code: str) -> HttpResponse:
    """The 回执 (receipt): 申请编号, 查询码 (shown this once), the day received, the 答复期限 and how it was counted,
    how to follow the application; printable."""
    org = _public_org(code)
    done = request.session.pop(DONE_KEY, None)
    if not done:
        return redirect("applications_public:status")
    application = Application.objects.select_related("org").filter(tracking_code=done[0], org=org).first()
    if application is None:
        return redirect("applications_public:status")
    context = {"org": org, "a": application, "code": done[0], "secret": done[1],
               "view": public_status_of(application), "now": timezone.localtime(),
               "status_url": request.build_absolute_uri(reverse("applications_public:status"))}  # fmt: skip
    return render(request, "applications/public_done.html", context)


def public_status(request: HttpRequest) -> HttpResponse:
    """The lookup: 申请编号＋查询码 (with the failure limit shared with the API), then the application's status."""
    form = StatusForm(request.POST or None)
    application = None
    status = 200
    if request.method == "POST" and form.is_valid():
        # The same lookup, and the same failure limit, as the API's public-status endpoint.
        found = public_status_lookup(request, form.cleaned_data["tracking_code"], form.cleaned_data["secret"])
        application = found.application
        if application is not None:
            grant_status_access(request, application)
        if found.error:
            form.add_error(None, found.error)
            status = 429 if found.blocked else 200
    if application is not None:
        return _status_page(request, application)
    return render(request, "applications/public_status.html", {"form": form}, status=status)


def public_status_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The status page of an application this session proved; POST: the applicant's 补正 sent online."""
    application = (
        Application.objects.select_related("org")
        .filter(tracking_code=code.strip().upper(), pk__in=request.session.get(SESSION_KEY, []))
        .first()
    )
    if application is None:
        messages.info(request, "请输入申请编号和查询码查询办理进度。")
        return redirect("applications_public:status")
    if request.method != "POST":
        return _status_page(request, application)
    if refusal := correction_open(application):
        messages.error(request, refusal)
        return redirect("applications_public:status_detail", code=application.tracking_code)
    form = PublicCorrectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            application = correction_submit_public(
                application=application,
                text=form.cleaned_data.get("text") or "",
                uploads=form.cleaned_data.get("attachments") or [],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            due = application.reply_due
            due_text = f"，新的答复期限为{due.year}年{due.month}月{due.day}日" if due else ""
            messages.success(request, f"补正已提交，办理机关已收到。答复期限自今天起重新计算{due_text}。")
            return redirect("applications_public:status_detail", code=application.tracking_code)
    return _status_page(request, application, correction_form=form)


def _status_page(
    request: HttpRequest,
    application: Application,
    *,
    correction_form: PublicCorrectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    view = public_status_of(application)
    if correction_form is None and view.correction is not None and not view.correction.refusal:
        correction_form = PublicCorrectionForm()
    context = {"a": application, "view": view, "form": correction_form, "now": timezone.localtime()}
    return render(request, "applications/public_status.html", context, status=status)
