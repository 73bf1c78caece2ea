"""台账 import and export: applications and remedy cases as CSV or XLSX, all-or-nothing, every bad row reported."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.core.exports import write_csv, write_xlsx
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.core.tables import TableFileError, read_sheet
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, can
from gongkai.workdays.clocks import EventKind as ClockKind

from .models import Application, ApplicationEvent, RemedyCase, Status
from .services import _next_tracking_code, refresh_deadlines
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


@dataclass(frozen=True)
class LedgerError:
    row: int  # the spreadsheet row (the header is row 1)
    column: str
    reason: str

    def __str__(self) -> str:
        if self.row == 0:  # the file as a whole
            return self.reason
        return (
            f"第 {self.row} 行「{self.column}」：{self.reason}"
            if self.column
            else f"第 {self.row} 行：{self.reason}"
        )


@dataclass
class LedgerResult:
    kind: str
    rows: int = 0
    created: int = 0
    dry_run: bool = False
    errors: list[LedgerError] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"{len(self.errors)} 处错误，未导入任何记录：\n" + "\n".join(str(e) for e in self.errors)
        verb = "可导入" if self.dry_run else "已导入"
        return f"{verb} {self.rows} 条{'申请' if self.kind == 'applications' else '复议诉讼案件'}记录。"


# --- reading ---------------------------------------------------------------------------------


def read_rows(
    data: bytes, filename: str, *, sheet: str | None = None
) -> tuple[list[str], list[dict[str, str]]]:
    """Rows of a CSV (UTF-8 with or without BOM, or GB18030) or XLSX (``sheet``, else the first) as dicts."""
    values = [[_cell(v) for v in row] for row in read_sheet(data, filename, sheet=sheet)]
    if not values:
        return [], []
    header = [h.strip() for h in values[0]]
    return header, [dict(zip(header, (c.strip() for c in r), strict=False)) for r in values[1:]]


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


def _require(actor: Any, org: Organisation) -> None:
    if actor is not None and not can(actor, Action.EDIT, org):
        raise PermissionDenied(f"您无权向「{org.name}」导入台账。")


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


def _parse_application(n: int, row: dict[str, str], errors: list[LedgerError]) -> _AppRow | None:
    before = len(errors)

    def err(column: str, reason: str) -> None:
        errors.append(LedgerError(n, column, reason))

    received = closed = None
    try:
        received = parse_date(row.get("收到日期", ""))
    except ValueError as exc:
        err("收到日期", str(exc))
    channel = CHANNEL_LOOKUP.get(row.get("申请渠道", ""))
    if channel is None:
        err(
            "申请渠道",
            f"「{row.get('申请渠道')}」无法识别，应为：{'、'.join(c.label for c in Channel)}、电子邮件",
        )
    applicant_type = APPLICANT_LOOKUP.get(row.get("申请人类型", ""))
    if applicant_type is None:
        err("申请人类型", f"「{row.get('申请人类型')}」不是表三的申请人类型（{'、'.join(APPLICANT_LOOKUP)}）")
    content = row.get("申请内容", "")
    if not content:
        err("申请内容", "不能为空")
    outcome_text = row.get("办理结果", "")
    outcome = ""
    if outcome_text:
        outcome = OUTCOME_LOOKUP.get(_norm(outcome_text), "")
        if not outcome:
            err("办理结果", f"「{outcome_text}」不是表三的办理结果")
    closed_text = row.get("答复日期", "")
    if closed_text:
        try:
            closed = parse_date(closed_text)
        except ValueError as exc:
            err("答复日期", str(exc))
    if outcome_text and not closed_text:
        err("答复日期", "已有办理结果的申请须填写答复日期")
    if closed_text and not outcome_text:
        err("办理结果", "已填写答复日期的申请须填写办理结果")
    if received and closed and closed < received:
        err("答复日期", f"答复日期（{closed.isoformat()}）早于收到日期（{received.isoformat()}）")
    basis_text = row.get(BASIS_COLUMN, "") or ""
    basis = BASIS_LOOKUP.get(_norm(basis_text), "") if basis_text else ""
    if basis_text and not basis:
        err(
            BASIS_COLUMN,
            f"「{basis_text}」无法识别，应为：第三十六条第一项、第二项、第四项或者第五项，或者留空",
        )
    elif basis and basis not in REPLY_BASIS_OUTCOMES.get(outcome, ()):
        err(
            BASIS_COLUMN,
            "只有「予以公开」「本机关不掌握相关政府信息」的答复可以填写答复依据，且须与办理结果相符",
        )
    if len(errors) > before or received is None or channel is None or applicant_type is None:
        return None
    return _AppRow(
        received,
        channel[0],
        channel[1],
        applicant_type,
        row.get("申请人", ""),
        content,
        outcome,
        closed,
        basis,
    )


@transaction.atomic
def import_applications(
    *, actor: Any, org: Organisation, data: bytes, filename: str, dry_run: bool = False
) -> LedgerResult:
    """Import a 台账 of applications (columns 收到日期,申请渠道,申请人类型,申请人,申请内容,办理结果,答复日期).

    All-or-nothing: every bad row is reported (row, column, reason) and nothing is written when
    any row is bad. 办理结果 is the 表三 row label without numbering (其他处理 alone = （六）3), blank
    while open. Imported applications keep no ID or phone numbers (the 台账 has none).
    """
    _require(actor, org)
    result = LedgerResult(kind="applications", dry_run=dry_run)
    try:
        header, rows = read_rows(data, filename, sheet=APPLICATION_SHEET)
    except TableFileError as exc:
        result.errors.append(LedgerError(0, "", str(exc)))
        return result
    missing = [c for c in APPLICATION_COLUMNS if c not in header]
    if missing:
        result.errors.append(LedgerError(1, "", f"缺少列：{'、'.join(missing)}"))
        return result
    parsed: list[_AppRow] = []
    for n, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue
        item = _parse_application(n, row, result.errors)
        if item is not None:
            parsed.append(item)
    result.rows = len(parsed)
    if result.errors or dry_run:
        return result
    for item in parsed:
        application = Application(
            org=org,
            tracking_code=_next_tracking_code(item.received_on.year),
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
        result.codes.append(application.tracking_code)
    result.created = len(result.codes)
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        org=org,
        object_type="applications.application",
        object_repr=f"台账导入 {filename}",
        changes={"file": filename, "created": result.created, "codes": result.codes},
    )
    return result


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


@transaction.atomic
def import_remedies(
    *, actor: Any, org: Organisation, data: bytes, filename: str, dry_run: bool = False
) -> LedgerResult:
    """Import 行政复议/行政诉讼 cases (columns 类型,收到日期,结果,审结日期,关联申请), all-or-nothing.

    类型: 行政复议 / 未经复议直接起诉 / 复议后起诉; 结果 blank = 尚未审结; 关联申请 = a tracking code.
    """
    _require(actor, org)
    result = LedgerResult(kind="remedies", dry_run=dry_run)
    try:
        header, rows = read_rows(data, filename, sheet=REMEDY_SHEET)
    except TableFileError as exc:
        result.errors.append(LedgerError(0, "", str(exc)))
        return result
    missing = [c for c in REMEDY_COLUMNS if c not in header]
    if missing:
        result.errors.append(LedgerError(1, "", f"缺少列：{'、'.join(missing)}"))
        return result
    parsed: list[RemedyCase] = []
    for n, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue
        before = len(result.errors)

        def err(column: str, reason: str, n: int = n) -> None:
            result.errors.append(LedgerError(n, column, reason))

        kind = REMEDY_KIND_LOOKUP.get(row.get("类型", ""))
        if kind is None:
            err("类型", f"「{row.get('类型')}」无法识别，应为：{'、'.join(REMEDY_KIND_LOOKUP)}")
        filed = closed = None
        try:
            filed = parse_date(row.get("收到日期", ""))
        except ValueError as exc:
            err("收到日期", str(exc))
        res = REMEDY_RESULT_LOOKUP.get(row.get("结果", ""))
        if res is None:
            err(
                "结果",
                f"「{row.get('结果')}」无法识别，应为：{'、'.join(k for k in REMEDY_RESULT_LOOKUP if k)}",
            )
        if row.get("审结日期"):
            try:
                closed = parse_date(row["审结日期"])
            except ValueError as exc:
                err("审结日期", str(exc))
        if res is not None and res != RemedyResult.PENDING and not row.get("审结日期"):
            err("审结日期", "已审结的案件须填写审结日期")
        if res == RemedyResult.PENDING and row.get("审结日期"):
            err("结果", "填写了审结日期的案件须填写结果")
        if filed and closed and closed < filed:
            err("审结日期", "审结日期早于收到日期")
        application = None
        if code := row.get("关联申请", ""):
            application = Application.objects.filter(org=org, tracking_code=code).first()
            if application is None:
                err("关联申请", f"本机关没有编号为「{code}」的申请")
        if len(result.errors) == before:
            assert kind is not None and filed is not None and res is not None
            parsed.append(
                RemedyCase(
                    org=org,
                    kind=kind,
                    filed_on=filed,
                    result=res,
                    closed_on=closed,
                    application=application,
                    imported=True,
                )
            )
    result.rows = len(parsed)
    if result.errors or dry_run:
        return result
    for case in parsed:
        try:
            case.full_clean()
        except ValidationError as exc:  # pragma: no cover - the row checks above mirror the model's
            raise ValidationError(f"复议诉讼记录无效：{exc}") from exc
        case.save()
        result.codes.append(str(case.pk))
    result.created = len(parsed)
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        org=org,
        object_type="applications.remedycase",
        object_repr=f"台账导入 {filename}",
        changes={"file": filename, "created": result.created},
    )
    return result


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
