"""Reading a year's holiday arrangement (CSV or JSON) and checking that it is self-consistent."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from gongkai.core.tables import XLSX_SUFFIXES, TableFileError, decode_text
from gongkai.core.tabular import Column, Row, RowError, TableSpec, parse_table

from .explain import WEEKDAYS
from .models import FIRST_YEAR, LAST_YEAR, DayKind, arrangement_window

MAX_RANGE_DAYS = 31  # a longer 放假 range is almost certainly a typo in the dates
MAX_ROWS = 400

KIND_WORDS = {
    "放假": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "假": DayKind.HOLIDAY,
    "holiday": DayKind.HOLIDAY,
    "上班": DayKind.MAKEUP,
    "班": DayKind.MAKEUP,
    "调休上班": DayKind.MAKEUP,
    "补班": DayKind.MAKEUP,
    "workday": DayKind.MAKEUP,
    "makeup": DayKind.MAKEUP,
}


def _day_cell(value: Any) -> Any:
    """A date cell as read (an XLSX date stays a date), text without its spaces."""
    return value.strip() if isinstance(value, str) else value


def _missing(missing: Sequence[str], header: Sequence[str]) -> list[RowError]:
    return [
        RowError(
            0,
            "",
            f"表头缺少「{'、'.join(missing)}」列。表头应为：类型,名称,开始日期,结束日期（可加“依据”列），"
            f"实际为：{','.join(header)}。",
        )
    ]


# The CSV (or XLSX) form: a header row, then one row per 放假 range or 调休上班 day; "#" starts a comment.
SPEC = TableSpec(
    columns=(
        Column("类型", "kind", required=True, aliases=("kind",)),
        Column("名称", "name", required=True, aliases=("节日", "name")),
        Column("开始日期", "start", _day_cell, required=True, aliases=("日期", "start", "date")),
        Column("结束日期", "end", _day_cell, aliases=("end",)),
        Column("依据", "source", aliases=("source",)),
    ),
    max_rows=MAX_ROWS,
    too_many_rows="文件超过 {max_rows} 行，不像是一年的节假日安排，请检查。",
    comment_prefix="#",
    missing=_missing,
)


def default_source(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


@dataclass(frozen=True)
class ArrangedDay:
    date: dt.date
    kind: str  # DayKind value
    name: str
    source: str = ""


@dataclass(frozen=True)
class Arrangement:
    """One year's arrangement, day by day (放假 ranges expanded), sorted by date."""

    year: int
    source: str
    days: tuple[ArrangedDay, ...]

    def to_json(self) -> str:
        """The normalised form (what the confirm step posts back; it is validated again)."""
        return json.dumps(
            {
                "year": self.year,
                "source": self.source,
                "days": [[d.date.isoformat(), d.kind, d.name, d.source] for d in self.days],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Arrangement:
        """Rebuild from :meth:`to_json` output, re-running every check."""
        try:
            data = json.loads(text)
            rows = [
                _Row(i + 1, DayKind(kind), str(name), _date(day), _date(day), str(source))
                for i, (day, kind, name, source) in enumerate(data["days"])
            ]
            year, source = int(data["year"]), str(data["source"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValidationError("提交的安排数据已损坏，请重新上传文件。") from exc
        return _build(rows, year=year, source=source)

    def holidays(self) -> list[ArrangedDay]:
        return [d for d in self.days if d.kind == DayKind.HOLIDAY]

    def makeups(self) -> list[ArrangedDay]:
        return [d for d in self.days if d.kind == DayKind.MAKEUP]


@dataclass(frozen=True)
class _Row:
    line: int
    kind: str
    name: str
    start: dt.date
    end: dt.date
    source: str = ""


DATE_PATTERN = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_day(text: str) -> dt.date:
    """YYYY-MM-DD (2026-02-10, also 2026-2-10); ValueError for anything else or an impossible date."""
    match = DATE_PATTERN.fullmatch(text.strip())
    if not match:
        raise ValueError(text)
    year, month, day = (int(g) for g in match.groups())
    return dt.date(year, month, day)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):  # an XLSX date cell
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_day(str(value))


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return decode_text(data)
    except TableFileError as exc:
        raise ValidationError(str(exc)) from exc


def parse_arrangement(
    data: bytes | str, *, filename: str = "", year: int | None = None, source: str = ""
) -> Arrangement:
    """Read an arrangement file and check it; raise ValidationError listing every problem found.

    JSON: ``{"year": 2027, "source": "…通知", "holidays": [{"name": "元旦", "start": "2027-01-01",
    "end": "2027-01-03"}], "workdays": [{"name": "春节", "date": "2027-02-06"}]}``.
    CSV or XLSX (header row required): ``类型,名称,开始日期,结束日期[,依据]`` with 类型 放假 or 上班
    (read by ``core.tabular`` with the shared reader and guards).
    ``year`` defaults to the latest year in the file; ``source`` to the notice's usual title.
    """
    if isinstance(data, bytes) and filename.lower().endswith(XLSX_SUFFIXES):
        (rows, problems), file_year, file_source = _read_table(data, filename), None, ""
    else:
        text = _decode(data).strip()
        if not text:
            raise ValidationError("文件是空的：没有任何放假或调休上班安排。")
        if filename.lower().endswith(".json") or text.startswith("{"):
            rows, file_year, file_source, problems = _read_json(text)
        else:
            (rows, problems), file_year, file_source = _read_table(text.encode(), filename), None, ""
    if year is not None and file_year is not None and year != file_year:
        raise ValidationError(f"文件中的年度（{file_year}）与填写的年度（{year}）不一致。")
    try:
        arrangement = _build(rows, year=year or file_year, source=source.strip() or file_source)
    except ValidationError as exc:
        # Report the rows that could not be read together with what is wrong with the rest.
        if rows or not problems:
            problems.extend(exc.messages)
        raise ValidationError(problems) from exc
    if problems:
        raise ValidationError(problems)
    return arrangement


def _read_json(text: str) -> tuple[list[_Row], int | None, str, list[str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）：请检查括号、引号和逗号。"
        ) from exc
    if not isinstance(data, dict):
        raise ValidationError("JSON 文件应为一个对象，包含 year、holidays、workdays 等字段。")
    problems: list[str] = []
    rows: list[_Row] = []
    year: int | None = None
    if data.get("year") is not None:
        try:
            year = int(data["year"])
        except (TypeError, ValueError):
            problems.append(f"year「{data['year']}」不是有效的年份。")
    for key, kind in (("holidays", DayKind.HOLIDAY), ("workdays", DayKind.MAKEUP)):
        items = data.get(key) or []
        if not isinstance(items, list):
            problems.append(f"{key} 应为列表。")
            continue
        for n, item in enumerate(items, start=1):
            where = f"{key} 第 {n} 项"
            if not isinstance(item, dict):
                problems.append(f"{where}：应为包含 name、start/end 或 date 的对象。")
                continue
            start = item.get("start", item.get("date"))
            end = item.get("end", start)
            row, problem = _make_row(n, kind, item.get("name"), start, end, item.get("source"))
            if problem:
                problems.append(f"{where}：{problem}")
            elif row:
                rows.append(row)
    unknown_keys = set(data) - {"year", "source", "holidays", "workdays"}
    if unknown_keys:
        problems.append(
            f"无法识别的字段：{'、'.join(sorted(unknown_keys))}（应为 year、source、holidays、workdays）。"
        )
    return rows, year, str(data.get("source") or "").strip(), problems


def _read_table(data: bytes, filename: str) -> tuple[list[_Row], list[str]]:
    def parse_row(record: Row) -> _Row | None:
        kind = KIND_WORDS.get(record.get("kind", "").lower())
        if kind is None:
            record.fail("", f"类型「{record.get('kind', '')}」无法识别，应为“放假”或“上班”。")
            return None
        start = record.get("start")
        row, problem = _make_row(
            record.number, kind, record.get("name"), start, record.get("end") or start, record.get("source")
        )
        if problem:
            record.fail("", problem)
        return row

    rows, errors, rows_read = parse_table(SPEC, data, filename or "安排.csv", parse_row)
    if not rows_read:  # the file, its header or its length: nothing else is worth reporting
        raise ValidationError([str(e) for e in errors])
    return rows, [str(e) for e in errors]


def _make_row(line: int, kind: str, name: Any, start: Any, end: Any, source: Any) -> tuple[_Row | None, str]:
    """The row, or the reason it is wrong (without the place: the caller says where)."""
    name = str(name or "").strip()
    if not name:
        return None, "缺少节日名称（例如“春节”）。"
    if len(name) > 60:
        return None, "节日名称过长（不超过 60 个字）。"
    try:
        first = _date(start)
    except ValueError:
        return None, f"日期「{start or ''}」无效，请按 YYYY-MM-DD 填写，例如 2027-02-06。"
    try:
        last = _date(end)
    except ValueError:
        return None, f"结束日期「{end}」无效，请按 YYYY-MM-DD 填写。"
    if last < first:
        return None, f"结束日期 {last.isoformat()} 早于开始日期 {first.isoformat()}。"
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        return (
            None,
            f"{first.isoformat()} 至 {last.isoformat()} 超过 {MAX_RANGE_DAYS} 天，请检查日期。",
        )
    source_text = str(source or "").strip()
    if len(source_text) > 300:
        return None, "依据过长（不超过 300 个字）。"
    return _Row(line, kind, name, first, last, source_text), ""


def _build(rows: list[_Row], *, year: int | None, source: str) -> Arrangement:
    """Expand ranges to days and check the whole: no date twice, make-up days on weekends only."""
    if not rows:
        raise ValidationError("文件中没有任何放假或调休上班安排。")
    if year is None:
        year = max(r.end.year for r in rows)
    if not FIRST_YEAR < year <= LAST_YEAR:
        raise ValidationError(f"年度 {year} 超出可载入范围（{FIRST_YEAR + 1}年至{LAST_YEAR}年）。")
    window_first, window_last = arrangement_window(year)
    problems: list[str] = []
    seen: dict[dt.date, _Row] = {}
    days: list[ArrangedDay] = []
    kind_label = dict(DayKind.choices)
    for row in rows:
        day = row.start
        while day <= row.end:
            if not window_first <= day <= window_last:
                problems.append(
                    f"第 {row.line} 行：{day.isoformat()} 不属于{year}年的安排（只能是{year}年内或{year - 1}年12月的日期）。"
                )
            elif row.kind == DayKind.MAKEUP and day.weekday() < 5:
                problems.append(
                    f"第 {row.line} 行：{day.isoformat()} 是{WEEKDAYS[day.weekday()]}，本来就是工作日，"
                    "调休上班日只能是周六或周日。"
                )
            elif day in seen:
                other = seen[day]
                if other.kind != row.kind:
                    problems.append(
                        f"{day.isoformat()} 既被列为{kind_label[other.kind]}（{other.name}，第 {other.line} 行），"
                        f"又被列为{kind_label[row.kind]}（{row.name}，第 {row.line} 行），互相矛盾。"
                    )
                else:
                    problems.append(
                        f"{day.isoformat()} 在第 {other.line} 行和第 {row.line} 行重复出现，请合并为一行。"
                    )
            else:
                seen[day] = row
                days.append(ArrangedDay(day, row.kind, row.name, row.source))
            day += dt.timedelta(days=1)
    if days and not any(d.kind == DayKind.HOLIDAY for d in days):
        problems.append("文件中只有调休上班日，没有放假安排，请检查。")
    if problems:
        raise ValidationError(problems)
    source = source or default_source(year)
    if len(source) > 300:
        raise ValidationError("依据过长（不超过 300 个字）。")
    return Arrangement(year=year, source=source, days=tuple(sorted(days, key=lambda d: d.date)))
