"""What keeps a page miss cheap (issue 22's cold path) without changing what a page shows."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import conditional_escape

from gongkai.catalog import selectors as catalog
from gongkai.catalog import workflow as catalog_workflow
from gongkai.catalog.tests.factories import published_item
from gongkai.catalog.vocab import DocKind
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.forms import fast_escape
from gongkai.core.paging import CappedPaginator
from gongkai.core.queries import raw_rows
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import org_ancestors
from gongkai.portal.filters import scope_ids, subtree_rows, walks_dates

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as done:
        assert client.get(url).status_code == 200
    return len(done)


def test_a_list_page_reads_its_rows_in_one_query_however_many_there_are(client, org_tree):
    city, dept = org_tree["parent"], org_tree["child"]
    published_item(dept, title="第一条")
    one = _queries(client, f"/gk/{city.code}/xxgk/")
    for n in range(6):  # a field a row shows but ROW_FIELDS leaves out would cost a query per row
        published_item(dept, title=f"第{n + 2}条", doc_number=f"测财〔2026〕{n}号")
    assert _queries(client, f"/gk/{city.code}/xxgk/") == one
    page = client.get(f"/gk/{city.code}/xxgk/").content.decode()
    assert page.count('<ul class="doc-list">') == 1 and "第7条" in page and dept.name in page


def test_the_top_organisations_list_walks_the_newest_first_index_and_finds_the_same_items(org_tree):
    city, county, dept, sibling = (org_tree[k] for k in ("parent", "own", "child", "sibling"))
    for org in (city, county, dept, sibling, county):
        published_item(org, title=f"{org.name}的信息")
    rows = subtree_rows(city)
    assert walks_dates("", city, rows)
    assert not walks_dates(county.code, city, rows)  # the list narrowed to a subtree
    assert not walks_dates("", county, subtree_rows(county))  # not a top organisation
    scope = scope_ids("", city, rows)
    walked = catalog.public_items(org_ids=scope, walk_dates=True).values_list("pk", flat=True)
    sorted_ = catalog.public_items(org_ids=scope).values_list("pk", flat=True)
    assert list(walked) == list(sorted_) and len(walked) == 5
    # SQLite's planner would read the tree's items through (org, status, published_at) and sort them all (its
    # choice on the benchmark's prefecture): the organisation column is kept out of its index choice
    sql = str(walked.query)
    assert ('+"catalog_item"."org_id" IN' in sql) == (connection.vendor == "sqlite"), sql
    assert '+"catalog_item"."org_id"' not in str(sorted_.query)


def test_raw_rows_are_the_rows_of_the_values_list(org_tree):
    qs = Organisation.objects.order_by("path").values_list("pk", "code", "name", "parent_id", "path")
    assert raw_rows(qs) == list(qs) and len(raw_rows(qs)) == 4
    assert raw_rows(qs.filter(pk__in=[])) == []
    pks = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    paginator = CappedPaginator(Organisation.objects.order_by("pk"), 2, fetch=list, cap=3)
    assert paginator.count == 3 and paginator.capped and list(paginator.page(2).object_list) == pks[2:3]


def test_fast_escape_escapes_as_django_does():
    for text in ("a&b<c>d\"e'f", "&amp;", "县政府〔2026〕1号", ""):
        assert fast_escape(text) == html.escape(text) == str(conditional_escape(text))
    assert fast_escape(conditional_escape("<b>")) == "&lt;b&gt;"  # already safe: as it is


def test_breadcrumbs_of_a_top_organisation_need_no_query_and_the_others_load_names_only(org_tree):
    city, dept = org_tree["parent"], org_tree["child"]
    with CaptureQueriesContext(connection) as done:
        assert org_ancestors(city) == []
    assert len(done) == 0
    chain = org_ancestors(dept)
    assert [(a.code, a.display_name) for a in chain] == [(o.code, o.display_name) for o in
                                                         (city, org_tree["own"])]  # fmt: skip
    assert chain[0].get_deferred_fields() >= {"address", "phone"}


def test_an_interpretation_links_its_policy_only_while_the_policy_is_public(client, org_tree):
    county, dept = org_tree["own"], org_tree["child"]
    policy = published_item(county, title="县人民政府关于促进就业的若干措施", doc_kind=DocKind.POLICY)
    reading = published_item(
        dept, title="图解：促进就业若干措施", doc_kind=DocKind.INTERPRETATION, interprets=policy
    )
    page = f"/gk/{dept.code}/xxgk/{reading.pk}/"
    assert (
        f'解读的政策文件：<a href="/gk/{county.code}/xxgk/{policy.pk}/">县人民政府关于促进就业的若干措施</a>'
        in (client.get(page).content.decode())
    )
    policy_page = client.get(f"/gk/{county.code}/xxgk/{policy.pk}/").content.decode()
    assert f'<a href="/gk/{dept.code}/xxgk/{reading.pk}/">图解：促进就业若干措施</a>' in policy_page
    catalog_workflow.item_transition(actor=SYSTEM_TEST, item=policy, step="withdraw", comment="内容有误")
    assert "县人民政府关于促进就业的若干措施" not in client.get(page).content.decode()


def test_the_years_of_a_list_are_asked_in_one_statement_compiled_once(org_tree, monkeypatch):
    """发布年份: an EXISTS per year in one statement, compiled by the ORM once whatever the number of years (an
    Exists compiled per year was ten of a city's cold list page's 25 ms at full size)."""
    import datetime as dt

    from django.db.models.sql.compiler import SQLCompiler
    from django.utils import timezone

    from gongkai.core.queries import exists_in_ranges

    dept = org_tree["child"]
    for year in (2016, 2019, 2020, 2024):
        item = published_item(dept, title=f"{year}年的信息")
        type(item).objects.filter(pk=item.pk).update(
            published_at=timezone.make_aware(dt.datetime(year, 12, 31, 23, 30))  # local time: still that year
        )
    ids = [o.pk for o in Organisation.objects.all()]
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or original(self, *a, **k)
    )
    with CaptureQueriesContext(connection) as done:
        assert catalog.public_years(ids, version="t1") == [2024, 2020, 2019, 2016]
    assert len(done) == 2, [q["sql"] for q in done]  # the first and last dates, then every year between
    base = catalog.public_items(org_ids=ids).order_by()
    ranges = [(timezone.make_aware(dt.datetime(y, 1, 1)), timezone.make_aware(dt.datetime(y + 1, 1, 1)))
              for y in range(2015, 2026)]  # fmt: skip
    compiled.clear()
    answers = exists_in_ranges(base, "published_at", ranges)
    assert len(compiled) <= 4, (
        "每个区间各编译一次"
    )  # two compilations of the probe, whatever the number of ranges
    monkeypatch.setattr(SQLCompiler, "as_sql", original)
    expected = [base.filter(published_at__gte=lo, published_at__lt=hi).exists() for lo, hi in ranges]
    assert answers == expected and answers.count(True) == 4
    assert exists_in_ranges(base, "published_at", []) == []
