"""The demo catalogue: idempotent, and no column of the demo county's 专栏 is empty."""

from __future__ import annotations

import pytest

from gongkai.backoffice.demo import demo_orgs, uscc
from gongkai.backoffice.demo import load_demo as load_base_demo
from gongkai.catalog import selectors, self_check
from gongkai.catalog.demo import DEMO_ITEMS, load_demo
from gongkai.catalog.models import Item
from gongkai.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def demo_org_map() -> dict[str, Organisation]:
    return {
        spec.key: Organisation.objects.get(code=uscc(10000000 + n))
        for n, spec in enumerate(demo_orgs(), start=1)
    }


def test_demo_fills_every_column_of_the_county_and_is_idempotent(django_capture_on_commit_callbacks):
    # Given the demo loader, which calls the catalogue's load_demo for the demo organisations
    with django_capture_on_commit_callbacks(execute=True):
        result = load_base_demo(password="Demo#Password2026")
    orgs = demo_org_map()
    # When the catalogue demo is loaded again
    again = load_demo(orgs=orgs)
    # Then every item exists once, published
    assert Item.objects.count() == len(DEMO_ITEMS)
    assert any(f"新建 {len(DEMO_ITEMS)} 条" in note for note in result.notes)
    assert "新建 0 条" in again[0]
    assert set(Item.objects.values_list("status", flat=True)) == {"published"}
    # And the county's self-check finds no empty column and no broken link
    check = self_check.site_self_check(orgs["county"])
    assert check.empty_columns == [] and check.broken_links == [] and check.undated_items == []
    # And search finds demo items
    assert selectors.search_items("低保").total >= 1
