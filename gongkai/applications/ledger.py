"""台账 import and export: applications and remedy cases as CSV or XLSX, all-or-nothing, every bad row reported."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.applications.clocks import EventKind as ClockKind
from gongkai.core.actors import Actor
from gongkai.core.exports import write_csv, write_xlsx
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.core.tabular import Column, ImportResult, Row, TableSpec, import_table
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, require_for_applications

from .models import Application, ApplicationEvent, RemedyCase, Status
from .services.intake import next_tracking_code, report_pages_follow
from .services.machine import refresh_deadlines
from .vocab import (
    REPLY_BASIS_ARTICLES,
    REPLY_BASIS_OUTCOMES,
    ApplicantType,
    Channel,
    Outcome,
    RemedyKind,
    RemedyResult,
    ReplyBasis,
)

APPLICATION_COLUMNS = ("收到日期", "申请渠道", "申请人类型", "申请人", "申请内容", "办理结果", "答复日期")
REMEDY_COLUMNS = ("类型", "收到日期", "结果", "审结日期", "关联申请")
APPLICATION_SHEET = "申请"
REMEDY_SHEET = "复议诉讼"


# --- reading ---------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> dt.date:
    m = _DATE.match(text.strip())
    if not m:
        raise ValueError(f"日期「{text}」无法识别，应为 YYYY-MM-DD 或 YYYY年M月D日")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"日期「{text}」不存在") from None


def _norm(label: str) -> str:
    """Normalise a label for matching: numbering, spaces, quotes and comma variants removed."""
    text = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）.、．]\s*", "", label.strip())
    text = re.sub(r"^\d+[.．]", "", text)
    return re.sub(r"[\s“”\"'，、,]", "", text)


def _outcome_lookup() -> dict[str, str]:
    table = {_norm(o.label): o.value for o in Outcome}
    table[_norm("部分公开")] = Outcome.PARTIAL
    table[_norm("其他处理")] = Outcome.OTHER
    table[_norm("危及三安全一稳定")] = Outcome.SECURITY_STABILITY
    return table


OUTCOME_LOOKUP = _outcome_lookup()
CHANNEL_LOOKUP: dict[str, tuple[str, str]] = {
    **{c.label: (c.value, "") for c in Channel},
    "当面": (Channel.IN_PERSON, ""),
    "信函": (Channel.POST, ""),
    "网络": (Channel.INTERNET, "网络"),
    "网上申请": (Channel.INTERNET, "网上申请"),
    "电子邮件": (Channel.INTERNET, "电子邮件"),
    "": (Channel.IN_PERSON, "台账未注明渠道"),
}
APPLICANT_LOOKUP = {t.label: t.value for t in ApplicantType}
# Optional column 答复依据 (outcomes 1 and 4.1 only; blank allowed: historical letters are often unknown).
BASIS_COLUMN = "答复依据"
BASIS_LOOKUP: dict[str, str] = {
    **{_norm(b.label): b.value for b in ReplyBasis},
    **{_norm(article): code for code, article in REPLY_BASIS_ARTICLES.items()},
    _norm("已主动公开"): ReplyBasis.PUBLISHED,
    _norm("信息不存在"): ReplyBasis.NOT_EXIST,
    _norm("不属于本机关负责公开"): ReplyBasis.NOT_OURS,
    _norm("非本机关负责公开"): ReplyBasis.NOT_OURS,
}
REMEDY_KIND_LOOKUP = {k.label: k.value for k in RemedyKind}
REMEDY_RESULT_LOOKUP = {r.label: r.value for r in RemedyResult} | {"": RemedyResult.PENDING}


# --- applications ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _AppRow:
    received_on: dt.date
    channel: str
    channel_note: str
    applicant_type: str
    applicant: str
    content: str
    outcome: str
    closed_on: dt.date | None
    basis: str = ""


def _text(value: Any) -> str:
    return _cell(value).strip()


def _date_cell(value: Any) -> dt.date:
    return parse_date(_text(value))


def _optional_date(value: Any) -> dt.date | None:
    return parse_date(text) if (text := _text(value)) else None


def _lookup(table: dict[str, Any], message: str, *, norm: bool = False, blank: Any = None) -> Any:
    """The parser of a cell holding one of ``table``'s labels; ``message`` names the wrong text ({text})."""

    def parse(value: Any) -> Any:
        text = _text(value)
        if not text and blank is not None:
            return blank
        found = table.get(_norm(text) if norm else text)
        if found is None:
            raise ValueError(message.format(text=text))
        return found

    return parse


def _labels(*labels: str) -> str:
    return "、".join(label for label in labels if label)


def _one_of(table: dict[str, Any], expected: str, **options: Any) -> Any:
    """``_lookup`` with the usual message: the wrong text, then ``expected`` (what the cell may hold)."""
    return _lookup(table, f"「{{text}}」无法识别，应为：{expected}", **options)


def _audit_import(
    actor: Actor, org: Organisation, object_type: str, filename: str, result: ImportResult, **more: Any
) -> None:
    """The audit row of a ledger import (in its transaction): the file and how many records it created."""
    audit_record(
        actor=actor, action=AuditAction.IMPORT, org=org, object_type=object_type,
        object_repr=f"台账导入 {filename}",
        changes={"file": filename, "created": len(result.created), **more},
    )  # fmt: skip


APPLICATION_SPEC = TableSpec(
    columns=(
        Column("收到日期", "received_on", _date_cell, required=True),
        Column(
            "申请渠道",
            "channel",
            _one_of(CHANNEL_LOOKUP, _labels(*Channel.labels, "电子邮件")),
            required=True,
        ),
        Column(
            "申请人类型",
            "applicant_type",
            _lookup(APPLICANT_LOOKUP, f"「{{text}}」不是表三的申请人类型（{'、'.join(APPLICANT_LOOKUP)}）"),
            required=True,
        ),
        Column("申请人", "applicant", _text, required=True),
        Column("申请内容", "content", _text, required=True, nonblank=True),
        Column(
            "办理结果",
            "outcome",
            _lookup(OUTCOME_LOOKUP, "「{text}」不是表三的办理结果", norm=True, blank=""),
            required=True,
        ),
        Column("答复日期", "closed_on", _optional_date, required=True),
        Column(
            BASIS_COLUMN,
            "basis",
            _one_of(
                BASIS_LOOKUP, "第三十六条第一项、第二项、第四项或者第五项，或者留空", norm=True, blank=""
            ),
        ),
    ),
    sheet=APPLICATION_SHEET,
    summary="{verb} {rows} 条申请记录。",
)


def _application_row(row: Row) -> _AppRow | None:
    """The checks across a row's cells (each cell was checked by its column)."""
    received, closed = row.valid("received_on"), row.valid("closed_on")
    outcome = row.valid("outcome", "")
    outcome_given, closed_given = row.given("outcome"), row.given("closed_on")
    if outcome_given and not closed_given:
        row.fail("closed_on", "已有办理结果的申请须填写答复日期")
    if closed_given and not outcome_given:
        row.fail("outcome", "已填写答复日期的申请须填写办理结果")
    if received and closed and closed < received:
        row.fail("closed_on", f"答复日期（{closed.isoformat()}）早于收到日期（{received.isoformat()}）")
    basis = row.valid("basis", "")
    if basis and basis not in REPLY_BASIS_OUTCOMES.get(outcome, ()):
        row.fail(
            "basis", "只有「予以公开」「本机关不掌握相关政府信息」的答复可以填写答复依据，且须与办理结果相符"
        )
    if not row.ok:
        return None
    channel, channel_note = row.get("channel")
    return _AppRow(
        received,
        channel,
        channel_note,
        row.get("applicant_type"),
        row.get("applicant", ""),
        row.get("content"),
        outcome,
        closed,
        basis,
    )


@transaction.atomic
def import_applications(
    *, actor: Actor, org: Organisation, data: bytes, filename: str, dry_run: bool = False
) -> ImportResult:
    """Import a 台账 of applications (columns 收到日期,申请渠道,申请人类型,申请人,申请内容,办理结果,答复日期).

    All-or-nothing: every bad row is reported (row, column, reason) and nothing is written when
    any row is bad. 办理结果 is the 表三 row label without numbering (其他处理 alone = （六）3), blank
    while open. Imported applications keep no ID or phone numbers (the 台账 has none).
    """
    require_for_applications(actor, Action.EDIT, org, f"您无权向「{org.name}」导入台账。")

    def apply(parsed: list[_AppRow], result: ImportResult) -> None:
        for item in parsed:
            result.created.append(_create_application(org, item))
        if (
            parsed
        ):  # once for the whole import: the earliest date says whether a year already over was touched
            report_pages_follow(org, min(item.received_on for item in parsed))
        _audit_import(actor, org, "applications.application", filename, result, codes=result.created)

    return import_table(
        APPLICATION_SPEC, data, filename, parse_row=_application_row, apply=apply, dry_run=dry_run
    )


def _create_application(org: Organisation, item: _AppRow) -> str:
    application = Application(
        org=org,
        tracking_code=next_tracking_code(item.received_on.year),
        channel=item.channel,
        channel_note=item.channel_note,
        received_on=item.received_on,
        submitted_on=item.received_on,
        confirmed_on=item.received_on if item.channel != Channel.IN_PERSON else None,
        signed_for_on=item.received_on if item.channel == Channel.POST else None,
        applicant_type=item.applicant_type,
        applicant_name=item.applicant or "（台账未记载）",
        info_title=item.content[:300],
        info_description=item.content if len(item.content) > 300 else "",
        status=Status.REPLIED if item.outcome else Status.IN_PROGRESS,
        outcome=item.outcome,
        closed_on=item.closed_on,
        basis=item.basis,
        imported=True,
    )
    application.full_clean()
    application.save()
    events = [ApplicationEvent(application=application, kind=ClockKind.RECEIVED, date=item.received_on)]
    if item.closed_on:
        events.append(
            ApplicationEvent(
                application=application,
                kind=ClockKind.ANSWERED,
                date=item.closed_on,
                data={"outcome": item.outcome},
            )
        )
    ApplicationEvent.objects.bulk_create(events)
    refresh_deadlines(application)
    application.save()
    return application.tracking_code


def export_applications(*, org: Organisation, year: int | None = None, fmt: str = "csv") -> bytes:
    """The organisation's applications in the import shape (no ID or phone numbers)."""
    qs = Application.objects.filter(org=org).order_by("received_on", "id")
    if year:
        qs = qs.filter(received_on__year=year)
    rows = [
        [
            a.received_on.isoformat(),
            a.channel_note if a.channel_note in ("电子邮件", "网络") else a.get_channel_display(),
            a.get_applicant_type_display(),
            a.applicant_name,
            a.info_title,
            a.outcome_label,
            a.closed_on.isoformat() if a.closed_on else "",
        ]
        for a in qs
    ]
    return _write(APPLICATION_COLUMNS, rows, fmt, APPLICATION_SHEET)


# --- remedies ------------------------------------------------------------------------------------


REMEDY_SPEC = TableSpec(
    columns=(
        Column("类型", "kind", _one_of(REMEDY_KIND_LOOKUP, _labels(*REMEDY_KIND_LOOKUP)), required=True),
        Column("收到日期", "filed_on", _date_cell, required=True),
        Column(
            "结果", "result", _one_of(REMEDY_RESULT_LOOKUP, _labels(*REMEDY_RESULT_LOOKUP)), required=True
        ),
        Column("审结日期", "closed_on", _optional_date, required=True),
        Column("关联申请", "application", _text, required=True),
    ),
    sheet=REMEDY_SHEET,
    summary="{verb} {rows} 条复议诉讼案件记录。",
)


@transaction.atomic
def import_remedies(
    *, actor: Actor, org: Organisation, data: bytes, filename: str, dry_run: bool = False
) -> ImportResult:
    """Import 行政复议/行政诉讼 cases (columns 类型,收到日期,结果,审结日期,关联申请), all-or-nothing.

    类型: 行政复议 / 未经复议直接起诉 / 复议后起诉; 结果 blank = 尚未审结; 关联申请 = a tracking code.
    """
    require_for_applications(actor, Action.EDIT, org, f"您无权向「{org.name}」导入台账。")

    def parse_row(row: Row) -> RemedyCase | None:
        res, filed, closed = row.valid("result"), row.valid("filed_on"), row.valid("closed_on")
        if res is not None and res != RemedyResult.PENDING and not row.given("closed_on"):
            row.fail("closed_on", "已审结的案件须填写审结日期")
        if res == RemedyResult.PENDING and row.given("closed_on"):
            row.fail("result", "填写了审结日期的案件须填写结果")
        if filed and closed and closed < filed:
            row.fail("closed_on", "审结日期早于收到日期")
        application = None
        if code := row.get("application", ""):
            application = Application.objects.filter(org=org, tracking_code=code).first()
            if application is None:
                row.fail("application", f"本机关没有编号为「{code}」的申请")
        if not row.ok:
            return None
        return RemedyCase(
            org=org,
            kind=row.get("kind"),
            filed_on=filed,
            result=res,
            closed_on=closed,
            application=application,
            imported=True,
        )

    def apply(parsed: list[RemedyCase], result: ImportResult) -> None:
        for case in parsed:
            try:
                case.full_clean()
            except ValidationError as exc:  # pragma: no cover - the row checks above mirror the model's
                raise ValidationError(f"复议诉讼记录无效：{exc}") from exc
            case.save()
            result.created.append(str(case.pk))
        _audit_import(actor, org, "applications.remedycase", filename, result)

    return import_table(REMEDY_SPEC, data, filename, parse_row=parse_row, apply=apply, dry_run=dry_run)


def export_remedies(*, org: Organisation, year: int | None = None, fmt: str = "csv") -> bytes:
    qs = RemedyCase.objects.filter(org=org).select_related("application").order_by("filed_on", "id")
    if year:
        qs = qs.filter(filed_on__year=year)
    rows = [
        [
            c.get_kind_display(),
            c.filed_on.isoformat(),
            "" if c.result == RemedyResult.PENDING else c.get_result_display(),
            c.closed_on.isoformat() if c.closed_on else "",
            c.application.tracking_code if c.application else "",
        ]
        for c in qs
    ]
    return _write(REMEDY_COLUMNS, rows, fmt, REMEDY_SHEET)


def _write(columns: Sequence[str], rows: list[list[str]], fmt: str, sheet: str) -> bytes:
    """Through the safe writer: public text (names, titles) never becomes a live formula."""
    if fmt == "xlsx":
        return write_xlsx([(sheet, columns, rows)])
    return write_csv(rows, header=columns)
