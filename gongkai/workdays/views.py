"""Back-office pages: the calendar by year, the due-date calculator, loading a year (preview, confirm)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.forms import add_validation_errors
from gongkai.orgs.permissions import is_system_admin

from . import services
from .arithmetic import WorkdaysError, due_date
from .forms import ArrangementForm, ConfirmForm, DueForm
from .models import FIRST_YEAR, LAST_YEAR
from .selectors import last_known_year, year_days, year_summaries, year_summary


def _require_admin(request: HttpRequest) -> None:
    if not is_system_admin(request.user):
        raise PermissionDenied("只有系统管理员可以载入节假日安排。")


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    form = DueForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = due_date(form.cleaned_data["received"], form.cleaned_data["days"])
        except WorkdaysError as exc:
            form.add_error(None, str(exc))
    last = last_known_year()
    context = {
        "form": form,
        "result": result,
        "years": year_summaries(),
        "last_known": last,
        "next_year": last + 1 if last else None,
        "can_load": is_system_admin(request.user),
    }
    return render(request, "workdays/calendar.html", context)


@login_required
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("年度超出范围")
    holidays, makeups = year_days(year)
    context = {"summary": year_summary(year), "holidays": holidays, "makeups": makeups, "year": year}
    return render(request, "workdays/year.html", context)


@login_required
def load(request: HttpRequest) -> HttpResponse:
    """Step 1: upload or paste the arrangement; a valid one is shown as a preview to confirm."""
    _require_admin(request)
    form = ArrangementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        arrangement = form.cleaned_data["arrangement"]
        try:
            plan = services.arrangement_plan(arrangement=arrangement)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            confirm = ConfirmForm(initial={"payload": arrangement.to_json(), "fingerprint": plan.fingerprint})
            return render(request, "workdays/load_preview.html", {"plan": plan, "confirm": confirm})
    return render(request, "workdays/load.html", {"form": form})


@login_required
@require_POST
def load_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: load exactly what was previewed (refused if the calendar changed in between)."""
    _require_admin(request)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(str(e) for e in errors))
        return redirect("workdays:load")
    arrangement = form.cleaned_data["payload"]
    try:
        result = services.arrangement_load(
            actor=request.user, arrangement=arrangement, expected_fingerprint=form.cleaned_data["fingerprint"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("workdays:load")
    messages.success(request, result.summary())
    return redirect("workdays:year", year=arrangement.year)
