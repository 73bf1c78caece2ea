"""Remedies (表四): 行政复议 and 行政诉讼 cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.actors import Actor
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record, diff, snapshot
from gongkai.orgs.models import Organisation

from ..models import Application, Letter, RemedyCase
from ..selectors import default_challenged_letter
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
    copy_received_on: dt.date | None = None,
    simple_procedure: bool = False,
    answer_submitted_on: dt.date | None = None,
    challenged_letter: Letter | None = None,
) -> RemedyCase:
    """Register a 行政复议 / 行政诉讼 case (第五十一条; 表四). A closed case needs a result and a closing date.

    ``copy_received_on`` is the day the agency received the copy of the 复议申请书 / 起诉状 (None: 待确认); the
    agency's own answer / defence deadline runs from it (``clocks.remedy``). ``challenged_letter``: the issued
    letter of ``application`` the case challenges (None: its last issued 答复告知书)."""
    _require(actor, org)
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
        copy_received_on=copy_received_on,
        simple_procedure=simple_procedure,
        answer_submitted_on=answer_submitted_on,
        challenged_letter=challenged_letter,
    )
    _clean_remedy(case)
    case.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=case, org=org,
                 changes=diff({}, snapshot(case, REMEDY_FIELDS)))  # fmt: skip
    return case


REMEDY_FIELDS = (
    "kind",
    "filed_on",
    "body",
    "case_number",
    "result",
    "closed_on",
    "application",
    "note",
    "copy_received_on",
    "simple_procedure",
    "answer_submitted_on",
    "challenged_letter",
)


def _clean_challenged(case: RemedyCase) -> None:
    """The challenged letter: an issued letter of the linked application (by default its last 答复告知书), and
    the case cannot have been brought before the letter's date."""
    if case.challenged_letter_id is None:
        case.challenged_letter = default_challenged_letter(case.application_id)
    letter = case.challenged_letter
    if letter is None:
        return
    if case.application_id is None or letter.application_id != case.application_id:
        raise ValidationError({"challenged_letter": "被复议（被诉）文书须是所关联申请的文书。"})
    if letter.issued_at is None:
        raise ValidationError(
            {"challenged_letter": "被复议（被诉）文书须是已出具的文书，草稿不能作为被复议（被诉）文书。"}
        )
    # The letter's own date (成文日期), not the moment it was issued on the platform: letters of cases recorded
    # after the fact are issued here later than they were dated and sent.
    issued = letter.dated
    if case.filed_on < issued:
        what, target = (
            ("行政复议", "被申请复议的文书") if case.kind == RemedyKind.REVIEW else ("行政诉讼", "被诉文书")
        )
        raise ValidationError(
            {"filed_on": f"收到（立案）日期（{case.filed_on.isoformat()}）早于{target}「{letter.title}」的成文日期"
                         f"（{issued.isoformat()}）：{what}针对的是已出具的文书，请核对日期或所选文书。"}
        )  # fmt: skip


def _clean_remedy(case: RemedyCase) -> None:
    if case.application_id and case.application and case.application.org_id != case.org_id:
        raise ValidationError({"application": "关联申请须由同一机关办理。"})
    if (case.result == RemedyResult.PENDING) != (case.closed_on is None):
        raise ValidationError({"closed_on": "已审结的案件须填写结果和审结日期；尚未审结的案件不填审结日期。"})
    if case.closed_on and case.closed_on < case.filed_on:
        raise ValidationError({"closed_on": "审结日期不能早于收到（立案）日期。"})
    _clean_challenged(case)
    replied = case.application.closed_on if case.application_id and case.application else None
    if replied and case.filed_on < replied:
        raise ValidationError(
            {"filed_on": f"收到（立案）日期（{case.filed_on.isoformat()}）不能早于所关联申请的答复日期"
                         f"（{replied.isoformat()}）：复议、诉讼针对的是已作出的答复。"}
        )  # fmt: skip
    _clean_answer(case)
    case.full_clean()


def _clean_answer(case: RemedyCase) -> None:
    """The copy-received and answer days of the agency's own deadline (行政复议法第四十八条, 行政诉讼法第六十七条)."""
    today = timezone.localdate()
    received, submitted = case.copy_received_on, case.answer_submitted_on
    if case.simple_procedure and case.kind != RemedyKind.REVIEW:
        raise ValidationError({"simple_procedure": "简易程序只适用于行政复议案件，诉讼案件请不要勾选。"})
    if received is not None:
        if received < case.filed_on:
            raise ValidationError({"copy_received_on": "收到副本之日不能早于收到（立案）日期。"})
        if received > today:
            raise ValidationError({"copy_received_on": "收到副本之日不能晚于今天。"})
    if submitted is not None:
        if received is None:
            raise ValidationError(
                {
                    "answer_submitted_on": "请先填写收到复议申请书副本或起诉状副本之日，再填写提交答复（答辩状）之日。"
                }
            )
        if submitted < received:
            raise ValidationError({"answer_submitted_on": "提交答复（答辩状）之日不能早于收到副本之日。"})
        if submitted > today:
            raise ValidationError({"answer_submitted_on": "提交答复（答辩状）之日不能晚于今天。"})


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
    if "challenged_letter" not in fields and case.application_id != before["application"]:
        case.challenged_letter = None  # another application: its default letter
    _clean_remedy(case)
    case.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, org=case.org,
                 changes=diff(before, snapshot(case, REMEDY_FIELDS)))  # fmt: skip
    return case
