"""The audit browser."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.core.audit_display import change_rows, object_label
from gongkai.orgs.permissions import Action, orgs_where

from .forms import AuditFilterForm
from .selectors import audit_entries_for


@login_required
def audit_browser(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, orgs=orgs_where(request.user, Action.VIEW).order_by("path"))
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "org_id": data["org"].pk if data.get("org") else None,
            "object_type": data.get("object_type") or "",
            "actor": data.get("actor") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
    entries = (
        audit_entries_for(request.user, **filters) if not form.errors else audit_entries_for(request.user)[:0]
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [(e, object_label(e.object_type), change_rows(e.object_type, e.changes)) for e in page]
    return render(
        request, "core/audit.html", {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    )
