"""The filters of the public catalogue list and of search: 机构, 公开内容类别, 发布年份, 有效性 (one vocabulary each)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, cast

from django import forms

from gongkai.catalog.vocab import StatutoryItem, Validity, item_article, items_for_level
from gongkai.core.forms import PlainSelect
from gongkai.core.pagecache import remembered
from gongkai.core.queries import raw_rows
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import org_subtree

from .chrome import TREE


class SubOrg(NamedTuple):
    pk: int
    code: str
    name: str
    parent_id: int | None
    path: str


SUBORG_FIELDS = ("pk", "code", "name", "parent_id", "path")


def subtree_rows(org: Organisation) -> list[SubOrg]:
    """The active organisations of ``org``'s tree as tuples (a city's tree is ~500 organisations on every list view);
    remembered under the generation an organisation change bumps (core/pagecache/memo.py): not to be mutated."""

    def rows() -> list[SubOrg]:
        found = org_subtree(org).filter(is_active=True).order_by("path").values_list(*SUBORG_FIELDS)
        return [SubOrg(*row) for row in raw_rows(found)]

    return remembered("portal:subtree", org.code, rows, scopes=TREE)


def top_rows() -> list[SubOrg]:
    """Site-wide search: the top organisations and their direct subordinates (each meaning its whole tree)."""
    active = Organisation.objects.filter(is_active=True)
    roots = list(
        active.filter(parent__isnull=True).order_by("sort_order", "code").values_list(*SUBORG_FIELDS)
    )
    children = active.filter(parent_id__in=[r[0] for r in roots]).order_by("path").values_list(*SUBORG_FIELDS)
    return [SubOrg(*row) for row in (*roots, *children)]


def _item_choices(level: str | None) -> list[tuple[str, str]]:
    items: Iterable[Any] = items_for_level(level) if level else StatutoryItem
    return [("", "全部")] + [(i.value, f"{item_article(i.value)} {i.label}") for i in items]


def _year_choices(years: Sequence[int]) -> list[tuple[Any, str]]:
    return [("", "全部")] + [(y, f"{y}年") for y in years]


def _org_choices(org: Organisation | None, rows: list[SubOrg]) -> list[tuple[str, str]]:
    """The organisation itself and its direct subordinates (each meaning its whole subtree): a city has hundreds
    of organisations, too many for one drop-down (BENCHMARKS.md). Without an organisation: the top ones."""
    parents = {o.parent_id for o in rows}
    if org is None:
        return [("", "全部机构")] + [
            (o.code, f"{o.name}及下属机构" if o.pk in parents else o.name) for o in rows
        ]
    return [("", f"{org.display_name}及下属机构"), (org.code, f"{org.name}（本级）")] + [
        (o.code, f"{o.name}及下属机构" if o.pk in parents else o.name) for o in rows if o.parent_id == org.pk
    ]


class ListFilter(forms.Form):
    """The catalogue list's filters (``org`` is the 机构 drop-down)."""

    org = forms.ChoiceField(label="发布机构", required=False, widget=PlainSelect)
    item = forms.ChoiceField(label="公开内容类别", required=False, widget=PlainSelect)
    year = forms.TypedChoiceField(
        label="发布年份", required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    validity = forms.ChoiceField(label="有效性", required=False, choices=[("", "全部"), *Validity.choices],
                                 widget=PlainSelect)  # fmt: skip

    def __init__(
        self, *args: Any, org: Organisation, subtree: list[SubOrg], years: list[int], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        # ``subtree`` is ``subtree_rows(org)``: the options are remembered with it
        choices = remembered("portal:org_choices", org.code, lambda: _org_choices(org, subtree), scopes=TREE)
        cast(forms.ChoiceField, self.fields["org"]).choices = choices
        cast(forms.ChoiceField, self.fields["item"]).choices = _item_choices(org.level)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = _year_choices(years)


class SearchFilter(ListFilter):
    """Search's filters (the words are read on their own, so a bad filter never loses them); ``org`` (the 专栏
    searched in) stays in the address, so the 机构 drop-down is ``unit``."""

    unit = forms.ChoiceField(label="发布机构", required=False, widget=PlainSelect)
    field_order = ("unit", "item", "year", "validity")

    def __init__(
        self, *args: Any, org: Organisation | None, rows: list[SubOrg], years: list[int], **kw: Any
    ) -> None:
        forms.Form.__init__(self, *args, **kw)
        del self.fields["org"]
        cast(forms.ChoiceField, self.fields["unit"]).choices = _org_choices(org, rows)
        cast(forms.ChoiceField, self.fields["item"]).choices = _item_choices(org.level if org else None)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = _year_choices(years)


def scope_ids(chosen: str, org: Organisation | None, rows: list[SubOrg]) -> Iterable[int] | None:
    """The organisations a list or search covers: the chosen one's subtree (or the 本级 alone), else ``org``'s
    tree, else everything (None). A subtree is an id subquery: ~500 ids as parameters cost ~1.5 ms a query."""
    if org is not None and (chosen == org.code or len(rows) == 1):
        return [org.pk]
    top = next((o for o in rows if o.code == chosen), None) if chosen else None
    if top is None:
        if org is None:
            return None
        top = rows[0]
    return Organisation.objects.filter(path__startswith=top.path, is_active=True).values_list("pk", flat=True)


def walks_dates(chosen: str, org: Organisation, rows: list[SubOrg]) -> bool:
    """Whether the list covers a top organisation's whole tree (most of the catalogue: a city's on a one-city
    site), so its page is best found by walking the newest-first index (``catalog.public_items(walk_dates=
    True)``) rather than by sorting the tree's items (~17,000 on every miss of a city's list at prefecture
    size). A smaller tree's items (or a top organisation's own, without subordinates) are fewer than the index
    entries a walk would pass over to find them: they are read through the organisation's index and sorted."""
    return not chosen and org.parent_id is None and len(rows) > 1
