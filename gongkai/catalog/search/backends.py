"""Search backends behind one small interface: SQLite FTS5 and PostgreSQL full-text, chosen by the database.

The catalogue keeps one :class:`~gongkai.catalog.models.SearchEntry` row per published item with
jieba-segmented tokens; a backend turns that row into its own index and answers token queries. The
database's vendor decides the backend; PostgreSQL is the scale-out path (measured at 2,000,000 items,
BENCHMARKS.md). No external search engine: nothing here can be run that the tests do not run.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from ..models import Item, SearchEntry

# Counting and ranking every match of a common word costs seconds at prefecture scale (BENCHMARKS.md):
# the count stops at COUNT_CAP ("1000+"), and past it the pages list the most recently entered matches
# (item id descending), unranked: both backends read that order straight from an index (FTS5 rowid, the
# primary key) and stop after one page, where ranking or a date sort needs every match.
COUNT_CAP = 1000
WINDOW_PER_ROW = 250  # PostgreSQL: newest entries tested per wanted row before falling back to the index
# PostgreSQL: expected matches above which the count starts with the newest entries…
FREQUENT_ESTIMATE = 20_000
COUNT_WINDOW = 40_000  # …of which it tests at most this many (~20 ms) before counting through the index


@dataclass(frozen=True)
class Hits:
    ids: list[int]  # item ids, best first
    total: int  # at most COUNT_CAP when capped
    capped: bool = False


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search besides the organisations (the portal's filters): 公开内容类别, 有效性, 发布年份.

    The category and validity are read from the item itself (a repeal changes the item, not its search entry);
    the year is a range on the entry's publication time, in the site's time zone."""

    statutory_item: str = ""
    validity: str = ""
    year: int | None = None

    def __bool__(self) -> bool:
        return bool(self.statutory_item or self.validity or self.year)

    def year_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        assert self.year is not None
        tz = timezone.get_current_timezone()
        return dt.datetime(self.year, 1, 1, tzinfo=tz), dt.datetime(self.year + 1, 1, 1, tzinfo=tz)

    def sql(self, entry: str) -> tuple[str, list[Any]]:
        """An SQL condition (`` AND …``, or empty) on the search-entry table or alias ``entry``."""
        conditions: list[str] = []
        params: list[Any] = []
        on_item = [(column, value) for column, value in (("statutory_item", self.statutory_item),
                                                        ("validity", self.validity)) if value]  # fmt: skip
        if on_item:
            where = " AND ".join(f"{column} = %s" for column, _ in on_item)
            table = Item._meta.db_table
            conditions.append(f"{entry}.item_id IN (SELECT id FROM {table} WHERE {where})")  # noqa: S608 (names only)
            params += [value for _, value in on_item]
        if self.year:
            start, end = self.year_bounds()
            conditions.append(f"{entry}.published_at >= %s AND {entry}.published_at < %s")
            params += [
                connection.ops.adapt_datetimefield_value(start),
                connection.ops.adapt_datetimefield_value(end),
            ]
        return "".join(f" AND {c}" for c in conditions), params


NO_FILTERS = SearchFilters()


class SearchBackend:
    """One search index: ``search`` narrows the backend's token match by organisation and filters."""

    entry = "catalog_searchentry"  # the search-entry table or alias the conditions name

    def index(self, entry: SearchEntry) -> None:
        raise NotImplementedError

    def remove(self, item_id: int) -> None:
        raise NotImplementedError

    def search(
        self,
        tokens: list[str],
        *,
        org_ids: list[int] | None,
        limit: int,
        offset: int,
        filters: SearchFilters = NO_FILTERS,
    ) -> Hits:
        """The items matching every token, of ``org_ids``'s organisations (None: all), best first."""
        if not tokens or (org_ids is not None and not org_ids):
            return Hits([], 0)
        where, params = self._match(tokens)
        if org_ids is not None:
            in_orgs, org_params = self._in_orgs(org_ids)
            where, params = where + in_orgs, params + org_params
        narrow, narrow_params = filters.sql(self.entry)
        return self._hits(tokens, where + narrow, params + narrow_params, org_ids, limit, offset, filters)

    def _match(self, tokens: list[str]) -> tuple[str, list[Any]]:
        raise NotImplementedError

    def _in_orgs(self, org_ids: list[int]) -> tuple[str, list[Any]]:
        raise NotImplementedError

    def _hits(
        self, tokens: list[str], where: str, params: list[Any], org_ids: list[int] | None, limit: int,
        offset: int, filters: SearchFilters,
    ) -> Hits:  # fmt: skip
        raise NotImplementedError


def _fts5_phrase(token: str) -> str:
    quoted = '"' + token.replace('"', '""') + '"'
    return quoted + "*" if len(token) == 1 else quoted  # a lone character matches words starting with it


class SqliteFts5Backend(SearchBackend):
    """FTS5 table ``catalog_fts(title, body)`` with rowid = item id; tokens are pre-segmented, unicode61 splits on spaces."""

    entry = "e"

    def index(self, entry: SearchEntry) -> None:
        with connection.cursor() as cur:
            cur.execute("DELETE FROM catalog_fts WHERE rowid = %s", [entry.item_id])
            cur.execute(
                "INSERT INTO catalog_fts(rowid, title, body) VALUES (%s, %s, %s)",
                [entry.item_id, entry.title_tokens, entry.tokens],
            )

    def remove(self, item_id: int) -> None:
        with connection.cursor() as cur:
            cur.execute("DELETE FROM catalog_fts WHERE rowid = %s", [item_id])

    def _match(self, tokens: list[str]) -> tuple[str, list[Any]]:
        return "catalog_fts MATCH %s", [" AND ".join(_fts5_phrase(t) for t in tokens)]

    def _in_orgs(self, org_ids: list[int]) -> tuple[str, list[Any]]:
        return f" AND e.org_id IN ({','.join(['%s'] * len(org_ids))})", list(org_ids)

    def _hits(
        self, tokens: list[str], where: str, params: list[Any], org_ids: list[int] | None, limit: int,
        offset: int, filters: SearchFilters,
    ) -> Hits:  # fmt: skip
        base = f"FROM catalog_fts JOIN catalog_searchentry e ON e.item_id = catalog_fts.rowid WHERE {where}"
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT %s)", [*params, COUNT_CAP + 1])  # noqa: S608
            total = cur.fetchone()[0]
            order = (
                "bm25(catalog_fts, 10.0, 1.0), e.published_at DESC"
                if total <= COUNT_CAP
                else "catalog_fts.rowid DESC"
            )
            cur.execute(
                f"SELECT catalog_fts.rowid {base} ORDER BY {order} LIMIT %s OFFSET %s",  # noqa: S608 (placeholders only)
                [*params, limit, offset],
            )
            ids = [r[0] for r in cur.fetchall()]
        return Hits(ids, min(total, COUNT_CAP), capped=total > COUNT_CAP)


def _pg_lexeme(token: str) -> str:
    quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if len(token) == 1 else quoted


def _pg_query(tokens: list[str]) -> str:
    """A tsquery literal, built from lexemes without the parser (jieba already segmented them)."""
    return " & ".join(_pg_lexeme(t) for t in tokens)


class PostgresBackend(SearchBackend):
    """The stored ``vector`` column (``to_tsvector('simple', …)`` of the segmented text, title weighted A)
    with the GIN index ``catalog_search_gin``; both are created by migration 0002 on PostgreSQL only."""

    def index(self, entry: SearchEntry) -> None:
        """The SearchEntry row is the index (the generated column and GIN index follow it)."""

    def remove(self, item_id: int) -> None:
        """Deleting the SearchEntry row is enough."""

    def _match(self, tokens: list[str]) -> tuple[str, list[Any]]:
        return "vector @@ to_tsquery('simple', %s)", [_pg_query(tokens)]

    def _in_orgs(self, org_ids: list[int]) -> tuple[str, list[Any]]:
        return " AND org_id = ANY(%s)", [org_ids]

    def _hits(
        self, tokens: list[str], where: str, params: list[Any], org_ids: list[int] | None, limit: int,
        offset: int, filters: SearchFilters,
    ) -> Hits:  # fmt: skip
        query = _pg_query(tokens)
        with connection.cursor() as cur:
            # The newest-entries shortcut reads entries without the filters: a filtered search takes the index.
            frequent = not filters and self._expected(cur, where, params) >= FREQUENT_ESTIMATE
            total = self._count(cur, where, params, query, org_ids, frequent=frequent)
            if total <= COUNT_CAP:
                cur.execute(
                    f"SELECT item_id FROM catalog_searchentry WHERE {where}"  # noqa: S608 (placeholders only)
                    " ORDER BY ts_rank(vector, to_tsquery('simple', %s)) DESC, published_at DESC LIMIT %s OFFSET %s",
                    [*params, query, limit, offset],
                )
                return Hits([r[0] for r in cur.fetchall()], total)
            ids = self._latest(cur, where, params, query, org_ids, limit, offset, frequent=frequent)
        return Hits(ids, COUNT_CAP, capped=True)

    @staticmethod
    def _newest(org_ids: list[int] | None, n: int, columns: str) -> tuple[str, list[Any]]:
        """SQL (and parameters) of the ``n`` most recently entered entries of the organisations searched."""
        orgs, org_params = ("WHERE org_id = ANY(%s)", [org_ids]) if org_ids is not None else ("", [])
        sql = f"SELECT {columns} FROM catalog_searchentry {orgs} ORDER BY item_id DESC LIMIT %s"  # noqa: S608
        return sql, [*org_params, n]

    @staticmethod
    def _expected(cur: Any, where: str, params: list[Any]) -> float:
        """The planner's estimate of the number of matches (from the tsvector statistics; ~0.3 ms)."""
        cur.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM catalog_searchentry WHERE {where}", params)  # noqa: S608
        plan = cur.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return float(plan[0]["Plan"]["Plan Rows"])

    @staticmethod
    def _count(
        cur: Any, where: str, params: list[Any], query: str, org_ids: list[int] | None, *, frequent: bool
    ) -> int:
        """The number of matches, counted up to COUNT_CAP + 1.

        The planner answers a capped count through the GIN bitmap, which for two frequent words intersects
        two posting lists of hundreds of thousands of items (~30 ms at 1.9 million items) however few rows the
        count needs. When the planner expects many matches, count among the newest entries first (testing
        the in-row vector, ~0.55 µs a row): finding COUNT_CAP + 1 there settles it. The estimate only picks the
        way; the figure is exact either way.
        """
        if frequent:
            newest, newest_params = PostgresBackend._newest(org_ids, COUNT_WINDOW, "vector")
            cur.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM ({newest}) AS recent"  # noqa: S608 (placeholders only)
                " WHERE vector @@ to_tsquery('simple', %s) LIMIT %s) AS capped",
                [*newest_params, query, COUNT_CAP + 1],
            )
            if cur.fetchone()[0] > COUNT_CAP:
                return COUNT_CAP + 1
        cur.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM catalog_searchentry WHERE {where} LIMIT %s) AS capped",  # noqa: S608
            [*params, COUNT_CAP + 1],
        )
        return int(cur.fetchone()[0])

    @staticmethod
    def _latest(
        cur: Any,
        where: str,
        params: list[Any],
        query: str,
        org_ids: list[int] | None,
        limit: int,
        offset: int,
        *,
        frequent: bool,
    ) -> list[int]:
        """A page of the most recently entered matches (item id descending).

        Walking the primary key backwards and testing each row is what the planner picks for ``ORDER BY item_id
        DESC LIMIT n``: instant for a frequent word, but a word in 0.1 % of the items made it test 36,000 rows
        (65 ms at 1.9 million items). So the walk is bounded to the newest WINDOW_PER_ROW × (offset + limit)
        entries (of the organisations searched); when they hold too few matches, the matches are few or old, and
        a bitmap over the GIN index then a sort finds them — straight away when the planner expects few
        matches (not ``frequent``). Both give the same rows in the same order.
        """
        if frequent:
            newest, newest_params = PostgresBackend._newest(
                org_ids, WINDOW_PER_ROW * (offset + limit), "item_id, vector"
            )
            cur.execute(
                f"SELECT item_id FROM ({newest}) AS recent WHERE vector @@ to_tsquery('simple', %s)"  # noqa: S608
                " ORDER BY item_id DESC LIMIT %s OFFSET %s",
                [*newest_params, query, limit, offset],
            )
            ids = [r[0] for r in cur.fetchall()]
            if len(ids) == limit:
                return ids
        # OFFSET 0 keeps the planner from walking the primary key again for the ORDER BY.
        cur.execute(
            f"SELECT item_id FROM (SELECT item_id FROM catalog_searchentry WHERE {where} OFFSET 0) AS matches"  # noqa: S608
            " ORDER BY item_id DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [r[0] for r in cur.fetchall()]


def get_backend() -> SearchBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteFts5Backend()
