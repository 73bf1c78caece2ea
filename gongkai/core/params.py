"""Bounds and parsers for the numbers a request carries in its query string: year, page, offset, limit.

One place for them, read by the HTML views (``year_param``, ``page_param``) and by the API schemas (the
``Year``, ``Page``, ``Offset`` and ``Limit`` annotated types). A number past these bounds would at best be
meaningless and at worst overflow the database's integer parameters (10**30 is a 500 on SQLite and on
PostgreSQL alike), so a view never passes an unchecked query value on.
"""

from __future__ import annotations

from typing import Annotated, overload

from django.core.exceptions import BadRequest
from pydantic import Field

YEAR_MIN = 1990
YEAR_MAX = 2100
MAX_PAGE = 1000
MAX_OFFSET = 10_000_000
MAX_LIMIT = 500

YEAR_MESSAGE = f"年度应为 {YEAR_MIN} 至 {YEAR_MAX} 之间的年份。"
PAGE_MESSAGE = f"页码应为 1 至 {MAX_PAGE} 之间的整数。"


class InvalidParam(BadRequest):
    """A query value out of bounds: answered with 400 and this (safe, Chinese) message."""


def _int(value: object) -> int | None:
    text = str(value).strip() if value is not None else ""
    # At most 12 digits: int() of a long digit string is slow, and nothing here needs more.
    if not text or len(text) > 12 or not text.lstrip("-").isdigit():
        return None
    return int(text)


@overload
def year_param(value: object, default: int) -> int: ...
@overload
def year_param(value: object, default: None) -> int | None: ...
def year_param(value: object, default: int | None) -> int | None:
    """The year in ``value`` (a query string value); ``default`` when empty; InvalidParam when not a year."""
    if value is None or str(value).strip() == "":
        return default
    year = _int(value)
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise InvalidParam(YEAR_MESSAGE)
    return year


def page_param(value: object, default: int = 1) -> int:
    """The page number in ``value``, clamped to 1..MAX_PAGE: a page list only ever links to valid pages, so a
    bad number is a hand-edited address, and the nearest page is what its reader wants."""
    number = _int(value)
    if number is None:
        return default
    return min(max(1, number), MAX_PAGE)


# For ninja/pydantic schemas and endpoint parameters: a value out of bounds is a Chinese 422 (gongkai.api.api).
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]  # a primary key: past a 64-bit integer it overflows the query
