"""Builders for arrangements used across the workdays tests."""

from __future__ import annotations

import datetime as dt

from gongkai.workdays.arrangements import Arrangement, parse_arrangement

# A plausible 2027 arrangement for tests (NOT the real one, which is unpublished as of 2026-11):
# 元旦 1/1–1/3, 春节 2/6–2/13 with 2/14 (Sun) worked, 清明 4/3–4/5, 劳动节 5/1–5/5 with 4/25 (Sun) worked.
CSV_2027 = """类型,名称,开始日期,结束日期
放假,元旦,2027-01-01,2027-01-03
放假,春节,2027-02-06,2027-02-13
上班,春节,2027-02-14,
放假,清明节,2027-04-03,2027-04-05
放假,劳动节,2027-05-01,2027-05-05
上班,劳动节,2027-04-25,
"""


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def arrangement_2027(**kwargs: object) -> Arrangement:
    return parse_arrangement(CSV_2027, **kwargs)  # type: ignore[arg-type]


def csv_arrangement(*rows: str, year: int | None = None, source: str = "") -> Arrangement:
    return parse_arrangement("类型,名称,开始日期,结束日期\n" + "\n".join(rows), year=year, source=source)
