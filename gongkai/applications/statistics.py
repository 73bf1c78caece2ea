"""The counts the annual report reads (表三, 表四, the narrative's paragraphs and chart): the only way the reports
app reads 依申请公开 records. Plain values keyed by this app's codes (applicant type, outcome, channel, remedy kind
and result); the report maps them to the official labels.

``tree=True`` counts ``org`` and everything under it (全县), else ``org`` alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth

from gongkai.orgs.models import Organisation

from .models import Application, FeeNotice, RemedyCase


def in_scope(org: Organisation, *, tree: bool, prefix: str = "org") -> Q:
    """Q for records of ``org`` (or of ``org`` and all its descendants)."""
    if tree:
        return Q(**{f"{prefix}__path__startswith": org.path})
    return Q(**{f"{prefix}_id": org.pk})


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def outcome_groups(org: Organisation, year: int, *, tree: bool) -> list[dict[str, Any]]:
    """Per (applicant_type, outcome): received in ``year``, carried in from before, closed in ``year``, open at
    its end — the counting rules of 表三 (applications/README.md), in one query."""
    start, end = _year(year)
    open_at_end = Q(closed_on__isnull=True) | Q(closed_on__gt=end)
    return list(
        Application.objects.filter(in_scope(org, tree=tree))
        .filter(received_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values("applicant_type", "outcome")
        .annotate(
            received=Count("id", filter=Q(received_on__gte=start)),
            carried_in=Count("id", filter=Q(received_on__lt=start)),
            closed=Count("id", filter=Q(closed_on__lte=end)),
            carried_out=Count("id", filter=open_at_end),
        )
        .order_by()
    )


def remedy_groups(
    org: Organisation, year: int, *, tree: bool, results: Iterable[str]
) -> list[dict[str, Any]]:
    """Per remedy kind: cases filed in ``year`` decided by 31 December with each of ``results``, and ``pending``
    (undecided then, or decided later)."""
    _, end = _year(year)
    decided = Q(closed_on__isnull=False, closed_on__lte=end)
    annotations = {
        value: Count("id", filter=Q(result=value) & decided) for value in results if value != "pending"
    }
    annotations["pending"] = Count("id", filter=~decided)
    return list(
        RemedyCase.objects.filter(in_scope(org, tree=tree), filed_on__year=year)
        .values("kind")
        .annotate(**annotations)
        .order_by()
    )


def received_by_channel(org: Organisation, year: int, *, tree: bool) -> dict[str, int]:
    """Channel code → applications received in ``year``."""
    return dict(
        Application.objects.filter(in_scope(org, tree=tree), received_on__range=_year(year))
        .values_list("channel")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("channel", "n")
    )


def replied_late(org: Organisation, year: int, *, tree: bool) -> int:
    """Applications closed in ``year`` after their reply due date."""
    return (
        Application.objects.filter(in_scope(org, tree=tree))
        .filter(closed_on__range=_year(year), reply_due__isnull=False, closed_on__gt=F("reply_due"))
        .count()
    )


def fees_paid(org: Organisation, year: int, *, tree: bool) -> tuple[int, Decimal]:
    """信息处理费 paid in ``year``: (number of notices, total amount)."""
    paid = FeeNotice.objects.filter(
        Q(state=FeeNotice.State.PAID)
        & Q(settled_on__year=year)
        & in_scope(org, tree=tree, prefix="application__org")
    ).aggregate(n=Count("id"), total=Sum("amount"))
    return paid["n"], paid["total"] or Decimal("0")


def received_by_month(org: Organisation, year: int, *, tree: bool) -> list[int]:
    """Applications received in each month of ``year`` (one query)."""
    counts = dict(
        Application.objects.filter(in_scope(org, tree=tree), received_on__year=year)
        .annotate(m=ExtractMonth("received_on"))
        .values_list("m")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("m", "n")
    )
    return [counts.get(m, 0) for m in range(1, 13)]
