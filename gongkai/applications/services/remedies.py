"""Remedies (表四): 行政复议 and 行政诉讼 cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core.actors import Actor
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record, diff, snapshot
from gongkai.orgs.models import Organisation

from ..models import Application, RemedyCase
from ..vocab import RemedyKind, RemedyResult
from .machine import require as _require


@transaction.atomic
def remedy_create(
    *,
    actor: Actor,
    org: Organisation,
    kind: RemedyKind | str,
    filed_on: dt.date,
    body: str = "",
    case_number: str = "",
    application: Application | None = None,
    result: RemedyResult | str = RemedyResult.PENDING,
    closed_on: dt.date | None = None,
    note: str = "",
    imported: bool = False,
) -> RemedyCase:
    """Register a 行政复议 / 行政诉讼 case (第五十一条; 表四). A closed case needs a result and a closing date."""
    _require(actor, org)
    if application is not None and application.org_id != org.pk:
        raise ValidationError({"application": "关联申请须由同一机关办理。"})
    case = RemedyCase(
        org=org,
        kind=kind,
        filed_on=filed_on,
        body=body.strip(),
        case_number=case_number.strip(),
        application=application,
        result=result,
        closed_on=closed_on,
        note=note,
        imported=imported,
    )
    _clean_remedy(case)
    case.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=case, org=org,
                 changes=diff({}, snapshot(case, REMEDY_FIELDS)))  # fmt: skip
    return case


REMEDY_FIELDS = ("kind", "filed_on", "body", "case_number", "result", "closed_on", "application", "note")


def _clean_remedy(case: RemedyCase) -> None:
    if (case.result == RemedyResult.PENDING) != (case.closed_on is None):
        raise ValidationError({"closed_on": "已审结的案件须填写结果和审结日期；尚未审结的案件不填审结日期。"})
    if case.closed_on and case.closed_on < case.filed_on:
        raise ValidationError({"closed_on": "审结日期不能早于收到（立案）日期。"})
    case.full_clean()


@transaction.atomic
def remedy_update(*, actor: Actor, case: RemedyCase, **fields: Any) -> RemedyCase:
    """Change a case (typically: record its result and closing date)."""
    case = RemedyCase.objects.select_for_update().select_related("org").get(pk=case.pk)
    _require(actor, case.org)
    before = snapshot(case, REMEDY_FIELDS)
    for name, value in fields.items():
        if name not in REMEDY_FIELDS:
            raise ValidationError(f"不能修改字段「{name}」。")
        setattr(case, name, value)
    _clean_remedy(case)
    case.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, org=case.org,
                 changes=diff(before, snapshot(case, REMEDY_FIELDS)))  # fmt: skip
    return case
