"""Chinese full-text search: jieba tokens, FTS5 or PostgreSQL, any two-character word of a title, highlighting."""

from __future__ import annotations

import jieba
import pytest

from gongkai.catalog import search_sync, workflow
from gongkai.catalog.models import SearchEntry
from gongkai.catalog.search.text import body_tokens, highlight, query_tokens
from gongkai.catalog.selectors import search_items
from gongkai.core.actors import SYSTEM_TEST

from .factories import draft_item, published_item

pytestmark = pytest.mark.django_db
TITLE = "青山县人民政府关于印发城乡居民最低生活保障实施办法的通知"


def _two_char_words(title: str) -> list[str]:
    return sorted({w for w in jieba.cut(title) if len(w) == 2})


def test_any_two_character_word_of_the_title_finds_the_item(on_commit):
    # Given a published item (the index is written on commit)
    with on_commit():
        item = published_item(title=TITLE)
    words = _two_char_words(TITLE)
    assert len(words) >= 5
    # When each two-character word of its title is searched, then the item is found
    for word in words:
        page = search_items(word)
        assert [r.item.pk for r in page.results] == [item.pk], word


def test_any_two_character_run_of_the_title_also_finds_it(on_commit):
    with on_commit():
        item = published_item(title=TITLE)
    for i in range(len(TITLE) - 1):
        assert item.pk in [r.item.pk for r in search_items(TITLE[i : i + 2]).results], TITLE[i : i + 2]


def test_body_words_and_multi_word_queries(on_commit):
    with on_commit():
        item = published_item(title="通知", body="<p>做好困难群众基本生活保障工作</p>")
        published_item(title="另一条", body="<p>无关内容</p>")
    assert [r.item.pk for r in search_items("困难群众 生活保障").results] == [item.pk]
    assert search_items("困难群众 预算").results == []


def test_drafts_are_not_found_and_withdrawn_items_leave_the_index(on_commit):
    with on_commit():
        draft_item(title="未发布的草稿标题")
        item = published_item(title="将被撤回的文件")
    assert search_items("草稿").total == 0
    assert search_items("撤回").total == 1
    with on_commit():
        workflow.item_transition(actor=SYSTEM_TEST, item=item, step="withdraw", comment="内容有误")
    assert search_items("撤回").total == 0
    assert not SearchEntry.objects.filter(item=item).exists()


def test_results_are_highlighted_and_scoped_by_org(on_commit, org_tree):
    with on_commit():
        a = published_item(org_tree["own"], title="财政预算公开")
        published_item(org_tree["sibling"], title="财政决算公开")
    page = search_items("财政", org_ids=[org_tree["own"].pk])
    assert [r.item.pk for r in page.results] == [a.pk]
    assert str(page.results[0].title_html) == "<mark>财政</mark>预算公开"


def test_reindex_rebuilds_from_the_catalogue(on_commit):
    with on_commit():
        item = published_item(title="养老服务补贴")
    SearchEntry.objects.all().delete()
    search_sync.search_reindex()
    assert [r.item.pk for r in search_items("养老").results] == [item.pk]


def test_highlight_escapes_markup():
    assert str(highlight("<b>预算</b>&", ["预算"])) == "<mark>预算</mark>&amp;"


@pytest.mark.parametrize(
    "q,tokens", [("预算", ["预算"]), ("", []), ("  ", []), ("ABC 2026", ["abc", "2026"])]
)
def test_query_tokens(q, tokens):
    assert query_tokens(q) == tokens


def test_punctuation_only_query_finds_nothing():
    assert search_items("\"'*()").total == 0


def test_count_stops_at_the_cap_and_latest_entered_come_first(on_commit, monkeypatch, client):
    # Given three published items matching one word, and a cap of two
    from gongkai.catalog.search import backends

    monkeypatch.setattr(backends, "COUNT_CAP", 2)
    with on_commit():
        items = [published_item(title=f"财政预算公开说明第{n}号") for n in range(3)]
    # When searching for the common word
    page = search_items("财政")
    # Then the count says "2+" rather than counting every match, and the latest entered come first, unranked
    assert (page.total, page.capped) == (2, True)
    assert [r.item.pk for r in page.results] == sorted((i.pk for i in items), reverse=True)[:20]
    assert "找到 2+ 条" in client.get("/search/", {"q": "财政"}).content.decode()


@pytest.mark.parametrize(
    "window,frequent_estimate,count_window",
    [(1, 0, 1), (2, 0, 1000), (1000, 0, 1000), (1000, 10**9, 1000)],
)
def test_past_the_cap_every_page_is_the_latest_entered_whichever_path(
    on_commit, monkeypatch, org_tree, window, frequent_estimate, count_window
):
    # Given 7 matching items over two organisations, interleaved with items that do not match, and a cap of 2
    from gongkai.catalog.search import backends

    monkeypatch.setattr(backends, "COUNT_CAP", 2)
    # PostgreSQL's ways: estimate 0 = "frequent" (count and page among the newest entries first; windows of 1 or
    # 2 rows per wanted row, or a count window of 1 entry, force the fallbacks), 10**9 = straight to the index
    monkeypatch.setattr(backends, "WINDOW_PER_ROW", window)
    monkeypatch.setattr(backends, "FREQUENT_ESTIMATE", frequent_estimate)
    monkeypatch.setattr(backends, "COUNT_WINDOW", count_window)
    own, child = org_tree["own"], org_tree["child"]
    with on_commit():
        matching = []
        for n in range(7):
            matching.append(published_item(own if n % 3 else child, title=f"养老服务补贴发放公示第{n}批"))
            published_item(own, title=f"道路维修工程招标公告第{n}号")
    newest_first = sorted((i.pk for i in matching), reverse=True)
    # Then pages of 3 list them newest entered first, with nothing lost or repeated between pages
    pages = [search_items("养老", page=p, per_page=3) for p in (1, 2, 3)]
    assert all(p.capped and p.total == 2 for p in pages)
    assert [r.item.pk for p in pages for r in p.results] == newest_first
    # And a search within one organisation lists only its matches, in the same order
    scoped = search_items("养老", org_ids=[child.pk], per_page=10)
    assert [r.item.pk for r in scoped.results] == [
        pk for pk in newest_first if pk in {i.pk for i in matching if i.org_id == child.pk}
    ]


@pytest.mark.parametrize("frequent_estimate,count_window", [(0, 1), (0, 1000), (10**9, 1000)])
def test_the_count_is_exact_below_the_cap_whichever_way(
    on_commit, monkeypatch, frequent_estimate, count_window
):
    # Given 4 matching items, a cap of 10, and each way of counting (PostgreSQL)
    from gongkai.catalog.search import backends

    monkeypatch.setattr(backends, "COUNT_CAP", 10)
    monkeypatch.setattr(backends, "FREQUENT_ESTIMATE", frequent_estimate)
    monkeypatch.setattr(backends, "COUNT_WINDOW", count_window)
    with on_commit():
        for n in range(4):
            published_item(title=f"养老服务机构名单第{n}批")
            published_item(title=f"道路维修工程招标公告第{n}号")
    # Then the count is exact and the results ranked (not capped)
    page = search_items("养老")
    assert (page.total, page.capped, len(page.results)) == (4, False, 4)


def test_paragraphs_and_table_cells_of_a_body_are_not_read_as_one_word():
    # the editor's paragraphs and cells carry no spaces between them: the tags are where the words end
    tokens = body_tokens(
        "<p>补贴对象</p><table><tbody><tr><td>耕地</td><td>地力</td></tr></tbody></table>"
    ).split()
    assert "对象耕地" not in tokens and "耕地地力" not in tokens
    assert str(highlight("<p>第一段</p><p>第二段</p>", ["第二段"])) == "第一段 <mark>第二段</mark> "
