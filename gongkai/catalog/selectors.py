"""Reads of the catalogue that views, the portal and the reports app use."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, Subquery, Sum
from django.db.models.lookups import In
from django.utils import timezone
from django.utils.safestring import SafeString

from gongkai.core.params import MAX_PAGE
from gongkai.core.queries import exists_in_ranges, filter_given
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, orgs_where
from gongkai.workdays.arithmetic import add_workdays, is_provisional, workdays_between

from .models import ColumnVisit, Item
from .search.backends import SearchFilters, get_backend
from .search.text import highlight, query_tokens
from .vocab import DocKind, Status, StatutoryItem, Validity, item_article, items_for_level

PUBLIC_STATUSES = (Status.PUBLISHED, Status.REPEALED)
PUBLICATION_LIMIT_WORKDAYS = 20  # 《条例》第二十六条
DEFAULT_INTERPRETATION_SYNC_DAYS = (
    3  # 三同步: configurable (GONGKAI_INTERPRETATION_SYNC_DAYS), local rules vary
)


# --- staff and public lists --------------------------------------------------------------------------


def staff_items(user: Any, *, org_id: int | None = None, status: str = "", q: str = "") -> QuerySet[Item]:
    """Items of the organisations ``user`` may VIEW, newest first."""
    qs = Item.objects.filter(org__in=orgs_where(user, Action.VIEW)).select_related("org")
    qs = filter_given(qs, org_id=org_id, status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(index_no__icontains=q) | Q(doc_number__icontains=q))
    return qs.order_by("-updated_at", "-id")


def public_items(
    *,
    org_ids: Iterable[int] | None = None,
    statutory_item: str = "",
    year: int | None = None,
    validity: str = "",
    doc_kind: str = "",
    walk_dates: bool = False,
) -> QuerySet[Item]:
    """Published (and repealed, still listed as 废止) 主动公开 items, newest first.

    ``walk_dates``: ``org_ids`` hold most of the items (a city's tree), so the list is best read by walking the
    newest-first index until a page is found. PostgreSQL's planner finds that walk itself; SQLite's reads every
    item of the organisations through their own index and sorts them all (~10 ms for a city at prefecture size,
    on every list miss) unless the organisation column is kept out of its index choice (``+org_id``)."""
    qs = Item.objects.filter(status__in=PUBLIC_STATUSES, published_at__isnull=False).select_related("org")
    if org_ids is not None:
        ids = org_ids if isinstance(org_ids, QuerySet) else list(org_ids)
        if walk_dates and connection.vendor == "sqlite":
            qs = qs.filter(In(_ORG_NOT_INDEXED, ids))
        else:
            qs = qs.filter(org_id__in=ids)
    qs = filter_given(
        qs, statutory_item=statutory_item, published_at__year=year, validity=validity, doc_kind=doc_kind
    )
    return qs.order_by("-published_at", "-id")


# ``+org_id``: the same value, which SQLite's planner does not consider for an index (public_items, walk_dates)
_ORG_NOT_INDEXED = Func(F("org_id"), template="+%(expressions)s", output_field=IntegerField())


# What a list row shows (portal_tags.catalog_row): a list page reads only these, not the 正文 of 20 items.
ROW_FIELDS = (
    "id",
    "title",
    "index_no",
    "published_at",
    "validity",
    "org__code",
    "org__name",
    "org__short_name",
)


def public_items_by_id(ids: list[int]) -> list[Item]:
    """The public items ``ids`` in that order (a list page's rows, after its ids were found), with the fields
    a row shows (``ROW_FIELDS``; any other field would cost a query per row)."""
    found = (
        Item.objects.filter(pk__in=ids, status__in=PUBLIC_STATUSES).select_related("org").only(*ROW_FIELDS)
    )
    by_id = found.in_bulk()
    return [by_id[i] for i in ids if i in by_id]


def public_item(pk: int) -> Item | None:
    """A published item with its organisation; its 领域 and attachments are read when shown, and the policy a
    政策解读 explains (``item.interprets``) only for an item that has one (most have none: joining it cost a
    third of an item page's queries' Python work)."""
    return Item.objects.filter(pk=pk, status__in=PUBLIC_STATUSES).select_related("org").first()


def public_interpretations(item: Item) -> list[Item]:
    """The public 政策解读 of ``item``, as its page links them (title and address: nothing else is read)."""
    return list(public_items().filter(interprets=item).only("id", "title", "org__code"))


def _new_year(year: int) -> dt.datetime:
    """The start of ``year`` in the current time zone (as ``published_at__year`` counts years)."""
    return timezone.make_aware(dt.datetime(year, 1, 1))


def public_years(
    org_ids: Iterable[int], *, version: object = "", named: str = "", selecting: Iterable[int] | None = None
) -> list[int]:
    """Years with published items of ``org_ids``, newest first; cached for a few minutes, under ``version`` (the
    generations of the list's cached pages, core/pagecache: a publication retires it at once).

    ``named``: a name for the set ``org_ids`` (e.g. its top organisation's code), so the key need not list the
    ids and ``org_ids`` (which may be lazy) is read only when the years are computed; ``version`` must then
    change whenever the set does (the generation an organisation change bumps). ``selecting``: the same
    organisations as an id subquery, for the statements (a city's ~500 ids as literals in each of its EXISTS
    cost ~50 ms of compiling on every change of the city's items)."""
    if named:
        label = f"{version}|{named}"
    else:
        org_ids = sorted(org_ids)
        label = f"{version}|{','.join(map(str, org_ids))}"
    key = "catalog:public_years:" + hashlib.sha1(label.encode()).hexdigest()  # noqa: S324

    def compute() -> list[int]:
        ids = sorted(org_ids)
        # Two queries, whatever the size of the tree: the first and last dates, then one statement with an EXISTS
        # per year in between, each an index walk on (published_at, id) or (org, published_at, id). DISTINCT over
        # a truncated date read every item of the tree (on SQLite a Python call per row: seconds for a city).
        if not ids:
            return []
        base = public_items(org_ids=ids if selecting is None else selecting).order_by()
        one_row = Organisation.objects.filter(pk=ids[0])
        bounds = one_row.values(
            first=Subquery(base.order_by("published_at").values("published_at")[:1]),
            last=Subquery(base.order_by("-published_at").values("published_at")[:1]),
        ).first()
        if not bounds or bounds["first"] is None:
            return []
        lo, hi = timezone.localtime(bounds["first"]).year, timezone.localtime(bounds["last"]).year
        inside = range(lo + 1, hi)
        found = exists_in_ranges(base, "published_at", [(_new_year(y), _new_year(y + 1)) for y in inside])
        present = {y for y, yes in zip(inside, found, strict=True) if yes} | {lo, hi}
        return sorted(present, reverse=True)

    return list(cache.get_or_set(key, compute, timeout=300) or [])


@dataclass(frozen=True)
class ItemSection:
    item: str
    article: str
    label: str
    count: int
    latest: list[Item]


def statutory_sections(org: Organisation, *, latest: int = 5) -> list[ItemSection]:
    """法定主动公开内容: one section per 第二十条 (and, by level, 第二十一条) item, with its newest items."""
    base = public_items(org_ids=[org.pk])
    counts = dict(base.values_list("statutory_item").annotate(n=Count("id")).order_by())
    sections = []
    for it in items_for_level(org.level):
        rows = list(base.filter(statutory_item=it)[:latest]) if counts.get(it.value) else []
        sections.append(
            ItemSection(it.value, item_article(it.value), it.label, counts.get(it.value, 0), rows)
        )
    return sections


# --- search ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    item: Item
    title_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class SearchPage:
    query: str
    tokens: list[str]
    results: list[SearchResult]
    total: int
    page: int
    per_page: int
    capped: bool = False  # more than ``total`` matches; the count stopped there

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def search_items(
    q: str,
    *,
    org_ids: list[int] | None = None,
    page: int = 1,
    per_page: int = 20,
    statutory_item: str = "",
    year: int | None = None,
    validity: str = "",
) -> SearchPage:
    """Full-text search over published items (jieba tokens; FTS5 or PostgreSQL), with highlighted titles and snippets;
    optionally narrowed like the catalogue list (公开内容类别, 发布年份, 有效性)."""
    q = (q or "").strip()[:100]
    tokens = query_tokens(q)
    page = min(max(1, page), MAX_PAGE)
    filters = SearchFilters(statutory_item=statutory_item, validity=validity, year=year)
    hits = get_backend().search(
        tokens, org_ids=org_ids, limit=per_page, offset=(page - 1) * per_page, filters=filters
    )
    by_id = {
        i.pk: i
        for i in Item.objects.filter(pk__in=hits.ids, status__in=PUBLIC_STATUSES).select_related("org")
    }
    results = []
    for item_id in hits.ids:
        item = by_id.get(item_id)
        if item is None:
            continue
        text = item.summary or item.body
        results.append(SearchResult(item, highlight(item.title, tokens), highlight(text, tokens, limit=120)))
    return SearchPage(q, tokens, results, hits.total, page, per_page, capped=hits.capped)


# --- 第二十六条 timeliness -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeliness:
    formed_on: dt.date | None
    deadline: dt.date | None
    published_on: dt.date | None
    on_time: bool | None  # None: cannot be judged (no formation date, or not published and not yet due)
    late_workdays: int
    provisional: bool  # the count reaches a year whose holiday arrangement is not loaded

    @property
    def label(self) -> str:
        if self.formed_on is None:
            return "未填写形成日期"
        if self.on_time is None:
            return "未到期"
        return "按时公开" if self.on_time else f"超期{self.late_workdays}个工作日"


def item_timeliness(item: Item, *, today: dt.date | None = None) -> Timeliness:
    """《条例》第二十六条: published within 20 working days of the day the information was formed or changed."""
    formed = item.formation_date
    published = timezone.localdate(item.published_at) if item.published_at else None
    if formed is None:
        return Timeliness(None, None, published, None, 0, False)
    deadline = add_workdays(formed, PUBLICATION_LIMIT_WORKDAYS)
    end = published or (today or timezone.localdate())
    provisional = is_provisional(formed, max(deadline, end))
    if end <= deadline:
        return Timeliness(formed, deadline, published, True if published else None, 0, provisional)
    return Timeliness(formed, deadline, published, False, workdays_between(deadline, end), provisional)


@dataclass
class OrgTimeliness:
    org: Organisation
    published: int = 0
    on_time: int = 0
    late: int = 0
    undated: int = 0
    late_items: list[tuple[Item, Timeliness]] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        judged = self.on_time + self.late
        return round(100 * self.on_time / judged, 1) if judged else None


def org_timeliness(org_ids: Iterable[int], year: int) -> list[OrgTimeliness]:
    """第二十六条 compliance per organisation for items published in ``year``."""
    rows: dict[int, OrgTimeliness] = {}
    for org in Organisation.objects.filter(pk__in=list(org_ids)).order_by("path"):
        rows[org.pk] = OrgTimeliness(org)
    for item in public_items(org_ids=rows.keys(), year=year):
        row = rows[item.org_id]
        row.published += 1
        t = item_timeliness(item)
        if t.formed_on is None:
            row.undated += 1
        elif t.on_time:
            row.on_time += 1
        else:
            row.late += 1
            row.late_items.append((item, t))
    return list(rows.values())


# --- 政策解读 三同步 --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterpretationSync:
    policy: Item
    interpretation: Item | None
    lag_days: int | None
    state: str  # 同步 / 滞后 / 缺失 / 无需解读


def interpretation_sync(policy: Item) -> InterpretationSync:
    """三同步: an interpretation published with, or within N days (GONGKAI_INTERPRETATION_SYNC_DAYS) of, its policy."""
    limit = int(getattr(settings, "GONGKAI_INTERPRETATION_SYNC_DAYS", DEFAULT_INTERPRETATION_SYNC_DAYS))
    first = policy.interpretations.filter(status__in=PUBLIC_STATUSES).order_by("published_at").first()
    if first is None or policy.published_at is None or first.published_at is None:
        return InterpretationSync(policy, first, None, "缺失" if policy.needs_interpretation else "无需解读")
    lag = (timezone.localdate(first.published_at) - timezone.localdate(policy.published_at)).days
    return InterpretationSync(policy, first, lag, "同步" if lag <= limit else "滞后")


def interpretation_report(org_ids: Iterable[int]) -> list[InterpretationSync]:
    """Every published policy that needs an interpretation, with its 三同步 state."""
    policies = (
        public_items(org_ids=org_ids).filter(needs_interpretation=True).prefetch_related("interpretations")
    )
    return [interpretation_sync(p) for p in policies]


# --- figures for the annual report -----------------------------------------------------------------


# The document kinds the annual report's 表二 第二十条第（一）项 counts (the report labels them).
REGULATION_KINDS = (DocKind.REGULATION, DocKind.NORMATIVE)


def regulation_figures(org_ids: Iterable[Any], year: int) -> dict[str, dict[str, int]]:
    """规章 and 行政规范性文件 counted for the annual report, for the organisations ``org_ids``, by neutral keys.

    Returns ``{DocKind value: {"issued": n, "repealed": n, "current": n}}`` for ``regulation`` and ``normative``:
    ``issued`` (published in ``year``), ``repealed`` (repealed in ``year``) and ``current`` (public and 有效 or
    已修改 at the end of ``year``: published by 31 December and not repealed by then). Counts items of those
    文种类别, status published or repealed. The caller passes the organisations the report covers (one
    organisation, or a whole subtree: ids or an id subquery); the report maps the keys to its 表二 labels
    (国办公开办函〔2021〕30号, ``gongkai.reports.definitions.CATALOGUE_ROWS`` / ``CATALOGUE_COLUMNS``).
    """
    tz = timezone.get_current_timezone()
    start, next_year = dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)
    last_day = dt.date(year, 12, 31)
    # One GROUP BY for both kinds and all three figures (the report's query count stays constant).
    rows = (
        Item.objects.filter(
            org_id__in=org_ids if isinstance(org_ids, QuerySet) else list(org_ids),
            doc_kind__in=list(REGULATION_KINDS),
            status__in=PUBLIC_STATUSES,
            published_at__isnull=False,
        )
        .values("doc_kind")
        .annotate(
            issued=Count("id", filter=Q(published_at__gte=start, published_at__lt=next_year)),
            repealed=Count("id", filter=Q(repealed_on__gte=start.date(), repealed_on__lte=last_day)),
            current=Count(
                "id",
                filter=Q(published_at__lt=next_year)
                & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=last_day)),
            ),
        )
        .order_by()
    )
    got = {r["doc_kind"]: r for r in rows}
    return {
        kind.value: {key: got.get(kind, {}).get(key, 0) for key in ("issued", "repealed", "current")}
        for kind in REGULATION_KINDS
    }


def column_visits(org_ids: Iterable[int], year: int) -> dict[str, int]:
    """Public page views per 专栏 column (slug → count) in ``year`` for the organisations ``org_ids``.

    Counted by the catalogue's public pages: 制度 (zhidu), 法定主动公开内容 (fdzdgknr, including the
    filtered lists and the item pages under it). This process's buffered views are written first.
    """
    from .visits import column_visits_flush

    column_visits_flush()
    rows = (
        ColumnVisit.objects.filter(org_id__in=list(org_ids), day__year=year)
        .values_list("column")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return {column: int(n or 0) for column, n in rows}


def statutory_item_label(value: str) -> str:
    return f"{item_article(value)} {StatutoryItem(value).label}" if value else ""


__all__ = [
    "PUBLIC_STATUSES", "InterpretationSync", "column_visits", "SearchPage", "Timeliness", "Validity",
    "interpretation_report", "interpretation_sync", "item_timeliness", "org_timeliness", "public_item",
    "public_interpretations", "public_items", "public_items_by_id", "public_years", "search_items", "staff_items", "statutory_sections",
    "regulation_figures",
]  # fmt: skip
