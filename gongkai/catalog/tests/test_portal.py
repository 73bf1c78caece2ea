"""Public 专栏 pages built on the catalogue: columns, filtered lists, item pages, search, RSS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from gongkai.catalog import attachments, visits, workflow
from gongkai.catalog.vocab import DocKind, StatutoryItem
from gongkai.core.actors import SYSTEM_TEST

from .factories import draft_item, pdf_bytes, published_item

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def test_zhidu_lists_published_disclosure_rules(client, org_tree):
    org = org_tree["own"]
    published_item(org, doc_kind=DocKind.DISCLOSURE_RULE, title="政府信息公开保密审查制度")
    draft_item(org, doc_kind=DocKind.DISCLOSURE_RULE, title="未发布的制度草稿")
    html = client.get(f"/gk/{org.code}/zhidu/").content.decode()
    assert "政府信息公开保密审查制度" in html and "未发布的制度草稿" not in html


def test_fdzdgknr_has_a_section_per_article_20_item(client, org_tree):
    org = org_tree["own"]
    published_item(org, statutory_item=StatutoryItem.A20_07, title="2026年部门预算公开")
    html = client.get(f"/gk/{org.code}/fdzdgknr/").content.decode()
    assert "第二十条第（七）项" in html and "财政预算、决算信息" in html and "2026年部门预算公开" in html
    assert "第二十条第（十五）项" in html and "市政建设" in html


def test_list_filters_by_org_item_year_validity(client, org_tree):
    own, child = org_tree["own"], org_tree["child"]
    published_item(own, title="县政府二〇二四年文件", published_at=dt.datetime(2024, 3, 1, tzinfo=TZ))
    published_item(child, title="财政局预算", statutory_item=StatutoryItem.A20_07,
                   published_at=dt.datetime(2025, 3, 1, tzinfo=TZ))  # fmt: skip
    base = f"/gk/{own.code}/xxgk/"
    both = client.get(base).content.decode()
    assert "县政府二〇二四年文件" in both and "财政局预算" in both
    assert "财政局预算" not in client.get(base + "?year=2024").content.decode()
    assert "县政府二〇二四年文件" not in client.get(base + f"?org={child.code}").content.decode()
    assert "县政府二〇二四年文件" not in client.get(base + "?item=a20_07").content.decode()
    assert "没有符合条件的信息" in client.get(base + "?validity=repealed").content.decode()
    # an invalid filter value is ignored rather than failing
    assert client.get(base + "?year=abc").status_code == 200


@override_settings(GONGKAI_SITE_ID_CODE="3399000001")
def test_item_page_has_metadata_block_and_page_meta(client, org_tree):
    item = draft_item(org_tree["own"], doc_number="青政办发〔2026〕1号", keywords="公开 制度")
    attachments.attachment_add(actor=SYSTEM_TEST, item=item, name="附件1.pdf", data=pdf_bytes())
    for step in ("submit", "secrecy_pass", "publish"):
        item = workflow.item_transition(actor=SYSTEM_TEST, item=item, step=step)
    response = client.get(f"/gk/{item.org.code}/xxgk/{item.pk}/")
    html = response.content.decode()
    for label in ("索引号", "主题分类", "发布机构", "成文日期", "文号", "发布日期", "有效性", "公开方式"):
        assert f"<dt>{label}</dt>" in html
    assert item.index_no in html and "青政办发〔2026〕1号" in html
    assert '<meta name="SiteIDCode" content="3399000001">' in html
    assert '<meta name="ArticleTitle"' in html and "附件1.pdf" in html
    att = item.attachments.get()
    download = client.get(f"/gk/{item.org.code}/xxgk/{item.pk}/files/{att.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_unpublished_item_page_is_not_found(client, org_tree):
    item = draft_item(org_tree["own"])
    assert client.get(f"/gk/{item.org.code}/xxgk/{item.pk}/").status_code == 404


def test_search_page_finds_and_highlights(client, on_commit, org_tree):
    with on_commit():
        item = published_item(org_tree["own"], title="青山县城乡居民医疗保险缴费标准公告")
    html = client.get("/search/", {"q": "医疗"}).content.decode()
    assert f"/xxgk/{item.pk}/" in html and "<mark>医疗</mark>" in html
    assert "未找到" in client.get("/search/", {"q": "航天"}).content.decode()
    scoped = client.get("/search/", {"q": "医疗", "org": org_tree["sibling"].code}).content.decode()
    assert f"/xxgk/{item.pk}/" not in scoped


def test_rss_lists_newest_items(client, org_tree):
    item = published_item(org_tree["child"], title="下属机构发布的信息")
    response = client.get(f"/gk/{org_tree['own'].code}/rss.xml")
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "下属机构发布的信息" in body and item.index_no in body


def test_column_pages_count_visits(client, org_tree):
    org = org_tree["own"]
    item = published_item(org)
    # When the 法定主动公开内容 column, its list and an item page are viewed, and the 制度 column once
    for url in (
        f"/gk/{org.code}/fdzdgknr/",
        f"/gk/{org.code}/xxgk/",
        f"/gk/{org.code}/xxgk/{item.pk}/",
        f"/gk/{org.code}/zhidu/",
    ):
        assert client.get(url).status_code == 200
    # Then the visits are counted per column for the year
    from django.utils import timezone

    from gongkai.catalog.selectors import column_visits

    assert column_visits([org.pk], timezone.localdate().year) == {"fdzdgknr": 3, "zhidu": 1}


def test_list_count_stops_at_the_cap(client, org_tree, monkeypatch):
    # Given three published items and a list count capped at two
    from gongkai.core import paging

    monkeypatch.setattr(paging, "LIST_COUNT_CAP", 2)
    own = org_tree["own"]
    items = [published_item(own, title=f"第{n}号通知") for n in range(3)]
    # When the list is shown
    html = client.get(f"/gk/{own.code}/xxgk/").content.decode()
    # Then it says "2+" and lists no more than the cap: the newest two
    assert "共 2+ 条，仅列出最新的 2 条" in html
    newest = sorted(items, key=lambda i: (i.published_at, i.pk), reverse=True)
    assert newest[0].title in html and newest[1].title in html and newest[2].title not in html
    # And an exact count below the cap is shown as it is
    monkeypatch.setattr(paging, "LIST_COUNT_CAP", 10)
    assert "共 3 条" in client.get(f"/gk/{own.code}/xxgk/").content.decode()


def test_page_views_are_buffered_then_written_in_one_go(client, org_tree, monkeypatch):
    from gongkai.catalog.models import ColumnVisit

    monkeypatch.setattr(visits, "VISIT_FLUSH_EVERY", 3)
    org = org_tree["own"]
    # When the column is viewed three times, filling the buffer: the requests write nothing (a full buffer wakes
    # the process's writer thread: catalog/tests/test_visits.py)
    for _ in range(3):
        client.get(f"/gk/{org.code}/zhidu/")
    assert not ColumnVisit.objects.filter(org=org).exists()
    # Then the next write writes all three as one row
    assert visits.column_visits_flush() == 3
    assert ColumnVisit.objects.get(org=org, column="zhidu").count == 3


def test_buffered_page_views_survive_a_failed_write(org_tree, monkeypatch):
    from django.db import DatabaseError
    from django.utils import timezone

    from gongkai.catalog.selectors import column_visits

    monkeypatch.setattr(visits, "VISIT_FLUSH_SECONDS", 3600.0)
    visits.column_visits_flush()
    org = org_tree["own"]
    visits.column_visit_record(org=org, column="zhidu")

    # When the write fails, the views are kept for the next flush
    monkeypatch.setattr(visits, "upsert_sql", lambda rows: "INSERT INTO no_such_table VALUES (1)")
    with pytest.raises(DatabaseError):
        visits.column_visits_flush()
    monkeypatch.undo()
    assert column_visits([org.pk], timezone.localdate().year) == {"zhidu": 1}


def test_list_pages_hold_the_same_rows_as_one_ordered_query(client, org_tree):
    # Given 23 published items over the tree (ids first, then rows: the order must survive)
    from gongkai.catalog import selectors
    from gongkai.core.paging import CappedPaginator

    own, child = org_tree["own"], org_tree["child"]
    for n in range(23):
        published_item(own if n % 2 else child, title=f"第{n}号公告",
                       published_at=dt.datetime(2024, 1, 1 + n % 5, tzinfo=TZ))  # fmt: skip
    qs = selectors.public_items(org_ids=[own.pk, child.pk])
    # Then each page equals the matching slice of the ordered list
    pages = CappedPaginator(qs, 10, fetch=selectors.public_items_by_id)
    assert [list(pages.page(n)) for n in (1, 2, 3)] == [list(qs[0:10]), list(qs[10:20]), list(qs[20:23])]
    # And the public list (20 a page) shows the last three on its page 2
    html = client.get(f"/gk/{own.code}/xxgk/", {"page": 2}).content.decode()
    assert all(i.title in html for i in qs[20:23])
