"""Reads of the audit log, scoped to what a staff member may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from gongkai.core.models import AuditEntry
from gongkai.core.queries import filter_given
from gongkai.orgs.permissions import Action, is_system_admin, orgs_where


def audit_entries_for(
    user: Any,
    *,
    org_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit rows of the organisations ``user`` may view (rows without an organisation: system admins)."""
    qs = AuditEntry.objects.all()
    if not is_system_admin(user):
        qs = qs.filter(org_id__in=orgs_where(user, Action.VIEW).values("pk"))
    qs = filter_given(
        qs,
        org_id=org_id,
        object_type=object_type,
        object_id=object_id,
        created_at__date__gte=date_from,
        created_at__date__lte=date_to,
    )
    if actor:
        qs = qs.filter(Q(actor_name__iexact=actor) | Q(actor_name__icontains=actor))
    return qs.order_by("-id")
