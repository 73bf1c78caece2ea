"""The portal's pages in the shared page cache (core/pagecache): kept, and never stale after a change.

One test per kind of change a public page shows: each first proves the page is served from the cache, then
makes the change through its service and expects the next request to show it. Page views still count.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.applications.services.intake import ApplicantData, RequestData, application_register
from gongkai.applications.vocab import ApplicantType, Channel
from gongkai.catalog import services as catalog_services
from gongkai.catalog import visits
from gongkai.catalog import workflow as catalog_workflow
from gongkai.catalog.models import ColumnVisit
from gongkai.catalog.tests.factories import published_item
from gongkai.catalog.visits import column_visits_flush
from gongkai.catalog.vocab import DocKind
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.backup import rebuild_after_restore
from gongkai.core.pagecache import copies
from gongkai.core.pagecache.memo import REMEMBERED
from gongkai.core.templatetags.remembered import FRAGMENTS
from gongkai.orgs import services as org_services
from gongkai.orgs.models import Level, OrgKind
from gongkai.orgs.tests.factories import valid_org_code
from gongkai.reports import services as report_services
from gongkai.reports import workflow as report_workflow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.GONGKAI_PAGE_CACHE = True


def cached(client, url: str) -> str:
    """The page, after proving a second request is answered from the cache."""
    first = client.get(url)
    assert first.status_code == 200, url
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit", url
    return second.content.decode()


def fresh(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss", url
    return response.content.decode()


def test_publishing_shows_at_once_in_the_lists_of_the_organisation_and_every_one_above(client, org_tree):
    county, dept, city = org_tree["own"], org_tree["child"], org_tree["parent"]
    published_item(dept, title="二〇一九年旧文件", published_at=dt.datetime(2019, 5, 1, tzinfo=dt.UTC))
    urls = [f"/gk/{o.code}/xxgk/" for o in (dept, county, city)] + [
        f"/gk/{dept.code}/fdzdgknr/",
        f"/gk/{dept.code}/rss.xml",
        f"/gk/{county.code}/xxgk/?org={dept.code}",
    ]
    for url in urls:
        assert "财政预算公开" not in cached(client, url)
    sibling_list = cached(client, f"/gk/{org_tree['sibling'].code}/xxgk/")
    # when a department publishes an item (this year: a year the lists' 发布年份 filter did not offer)
    published_item(dept, title="县财政局二〇二六年财政预算公开")
    year = f"{dt.date.today().year}年"
    for url in urls:
        assert "财政预算公开" in fresh(client, url)
    assert year in client.get(f"/gk/{city.code}/xxgk/").content.decode()
    # a sibling's pages are not retired
    assert client.get(f"/gk/{org_tree['sibling'].code}/xxgk/").content.decode() == sibling_list


def test_publishing_shows_at_once_on_the_site_home_and_the_organisations_home(client, org_tree):
    county, dept = org_tree["own"], org_tree["child"]
    for url in ("/", f"/gk/{dept.code}/", f"/gk/{county.code}/"):
        assert "县财政局二〇二六年财政预算公开" not in cached(client, url)
    published_item(dept, title="县财政局二〇二六年财政预算公开")
    # the site's home lists the newest items of every organisation; an organisation's home its own
    assert "县财政局二〇二六年财政预算公开" in fresh(client, "/")
    assert "县财政局二〇二六年财政预算公开" in fresh(client, f"/gk/{dept.code}/")


def test_withdrawing_removes_the_item_from_its_page_and_the_lists(client, org_tree):
    dept = org_tree["child"]
    item = published_item(dept, title="需撤回的通知")
    assert "需撤回的通知" in cached(client, f"/gk/{dept.code}/xxgk/{item.pk}/")
    assert "需撤回的通知" in cached(client, f"/gk/{org_tree['parent'].code}/xxgk/")
    pdf = f"/gk/{dept.code}/xxgk/{item.pk}/pdf/"
    assert client.get(pdf).content.startswith(b"%PDF")
    assert client.get(pdf)["X-Page-Cache"] == "hit"  # drawn once, then kept
    catalog_workflow.item_transition(actor=SYSTEM_TEST, item=item, step="withdraw", comment="内容有误")
    assert client.get(f"/gk/{dept.code}/xxgk/{item.pk}/").status_code == 404
    assert client.get(f"/gk/{dept.code}/xxgk/{item.pk}/pdf/").status_code == 404
    assert "需撤回的通知" not in fresh(client, f"/gk/{org_tree['parent'].code}/xxgk/")


def test_repealing_shows_on_the_item_page(client, org_tree):
    item = published_item(org_tree["own"], title="将废止的规定")
    page = f"/gk/{org_tree['own'].code}/xxgk/{item.pk}/"
    assert "（2026年" not in cached(client, page)
    catalog_workflow.item_transition(
        actor=SYSTEM_TEST, item=item, step="repeal", repealed_on=dt.date(2026, 3, 1)
    )
    assert "废止（2026年3月1日废止）" in fresh(client, page)


def test_marking_an_item_amended_shows_on_the_item_page(client, org_tree):
    item = published_item(org_tree["own"], title="已被修改的办法")
    page = f"/gk/{org_tree['own'].code}/xxgk/{item.pk}/"
    assert "<dd>有效</dd>" in cached(client, page)
    catalog_services.item_mark_amended(actor=SYSTEM_TEST, item=item, comment="已印发修订版")
    assert "<dd>已修改</dd>" in fresh(client, page)


def test_importing_a_published_item_shows_in_the_lists(client, org_tree):
    county = org_tree["own"]
    assert "旧门户迁移的文件" not in cached(client, f"/gk/{county.code}/xxgk/")
    catalog_services.item_import_published(
        actor=SYSTEM_TEST, org=county, index_no="000000000/2020-00001", title="旧门户迁移的文件",
        published_at=dt.datetime(2020, 1, 2, tzinfo=dt.UTC), statutory_item="a20_01", doc_kind=DocKind.OTHER,
    )  # fmt: skip
    assert "旧门户迁移的文件" in fresh(client, f"/gk/{county.code}/xxgk/")


def test_an_interpretation_published_below_shows_on_the_policy_page_above(client, org_tree):
    county, dept = org_tree["own"], org_tree["child"]
    policy = published_item(county, title="县人民政府关于促进就业的若干措施", doc_kind=DocKind.POLICY)
    page = f"/gk/{county.code}/xxgk/{policy.pk}/"
    assert "政策解读" not in cached(client, page).split("</dl>")[-1]
    published_item(dept, title="图解：促进就业若干措施", doc_kind=DocKind.INTERPRETATION, interprets=policy)
    assert "图解：促进就业若干措施" in fresh(client, page)


def test_a_disclosure_rule_shows_in_the_zhidu_column(client, org_tree):
    county = org_tree["own"]
    assert "信息公开保密审查办法" not in cached(client, f"/gk/{county.code}/zhidu/")
    published_item(county, title="信息公开保密审查办法", doc_kind=DocKind.DISCLOSURE_RULE)
    assert "信息公开保密审查办法" in fresh(client, f"/gk/{county.code}/zhidu/")


def test_renaming_an_organisation_shows_on_every_page(client, org_tree):
    county, dept = org_tree["own"], org_tree["child"]
    urls = ["/", f"/gk/{county.code}/", f"/gk/{county.code}/xxgk/", f"/gk/{dept.code}/zhinan/"]
    for url in urls:
        cached(client, url)
    org_services.org_update(actor=SYSTEM_TEST, org=dept, name="测试县财政和税务局")
    for url in urls:
        assert "测试县财政和税务局" in fresh(client, url)


def test_changing_contact_details_shows_in_the_guide_and_the_ysqgk_column(client, org_tree):
    dept = org_tree["child"]
    for url in (f"/gk/{dept.code}/zhinan/", f"/gk/{dept.code}/ysqgk/"):
        assert "0591-7654321" not in cached(client, url)
    org_services.org_update(
        actor=SYSTEM_TEST, org=dept, phone="0591-7654321", office_hours="工作日 9:00-17:00"
    )
    for url in (f"/gk/{dept.code}/zhinan/", f"/gk/{dept.code}/ysqgk/"):
        assert "0591-7654321" in fresh(client, url)


def test_a_new_organisation_and_a_deactivated_one_show_at_once(client, org_tree):
    county = org_tree["own"]
    cached(client, "/")
    cached(client, f"/gk/{county.code}/")
    new = org_services.org_create(
        actor=SYSTEM_TEST, name="测试县数据资源局", code=valid_org_code(12345678), parent=county,
        level=Level.COUNTY, kind=OrgKind.DEPARTMENT,
    )  # fmt: skip
    assert "测试县数据资源局" in fresh(client, f"/gk/{county.code}/")
    assert "测试县数据资源局" in fresh(client, "/")
    org_services.org_update(actor=SYSTEM_TEST, org=new, is_active=False)
    assert "测试县数据资源局" not in fresh(client, "/")
    assert client.get(f"/gk/{new.code}/").status_code == 404


def _publish_report(org, year: int, on: dt.date, report=None):
    report = report or report_services.report_create(actor=SYSTEM_TEST, org=org, year=year)
    for step in (report_workflow.report_submit, report_workflow.report_approve):
        report = step(actor=SYSTEM_TEST, report=report)
    return report_workflow.report_publish(actor=SYSTEM_TEST, report=report, published_on=on)


def test_publishing_a_report_and_its_correction_show_in_the_nianbao_pages(client, org_tree):
    county = org_tree["own"]
    column = f"/gk/{county.code}/nianbao/"
    assert "/nianbao/2025/" not in cached(client, column)
    first = _publish_report(county, 2025, dt.date(2026, 1, 20))
    assert f"/gk/{county.code}/nianbao/2025/" in fresh(client, column)
    assert "第2版" not in cached(client, f"/gk/{county.code}/nianbao/2025/")
    correction = report_workflow.report_correct(actor=SYSTEM_TEST, report=first, change_note="更正表三")
    # a correction in the works shows nowhere yet
    assert client.get(f"/gk/{county.code}/nianbao/2025/")["X-Page-Cache"] == "hit"
    _publish_report(county, 2025, dt.date(2026, 2, 1), report=correction)
    page = fresh(client, f"/gk/{county.code}/nianbao/2025/")
    assert "第2版" in page and "更正说明：更正表三" in page


def test_an_application_registered_late_for_a_reported_year_redraws_the_report_chart(client, org_tree):
    county = org_tree["own"]
    _publish_report(county, 2025, dt.date(2026, 1, 20))
    page = f"/gk/{county.code}/nianbao/2025/"
    before = cached(client, page)
    application_register(
        actor=SYSTEM_TEST, org=county, channel=Channel.IN_PERSON, submitted_on=dt.date(2025, 12, 30),
        applicant=ApplicantData(applicant_type=ApplicantType.NATURAL_PERSON, name="张三", phone="13800000000"),
        request=RequestData(info_title="2025年财政预算"), today=dt.date(2026, 1, 5),
    )  # fmt: skip
    after = fresh(client, page)
    assert after != before  # the 每月收到申请 chart counts it in 12月


def test_a_restored_backup_retires_every_page(client, org_tree):
    cached(client, "/")
    cached(client, f"/gk/{org_tree['own'].code}/xxgk/")
    rebuild_after_restore()
    fresh(client, "/")
    fresh(client, f"/gk/{org_tree['own'].code}/xxgk/")


def test_changes_after_the_commit_retire_what_was_cached_in_between(
    client, org_tree, django_capture_on_commit_callbacks
):
    dept = org_tree["child"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        published_item(dept, title="提交后再次失效")
    assert callbacks  # the bumps after the commit ran (besides the search index)
    assert "提交后再次失效" in fresh(client, f"/gk/{dept.code}/xxgk/")


def test_page_views_are_counted_on_cached_copies_and_304s(client, org_tree):
    dept = org_tree["child"]
    item = published_item(dept)
    url = f"/gk/{dept.code}/xxgk/{item.pk}/"
    etag = client.get(url)["ETag"]
    for _ in range(3):
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    client.get(f"/gk/{dept.code}/xxgk/")
    client.get(f"/gk/{dept.code}/xxgk/")
    column_visits_flush()
    counts = {v.column: v.count for v in ColumnVisit.objects.filter(org=dept)}
    assert counts == {"fdzdgknr": 7}


def test_a_cached_page_costs_no_database_query_and_its_views_are_written_in_one_batch(
    client, org_tree, django_assert_num_queries
):
    dept = org_tree["child"]
    item = published_item(dept)
    urls = ["/", f"/gk/{dept.code}/", f"/gk/{dept.code}/xxgk/", f"/gk/{dept.code}/xxgk/{item.pk}/",
            f"/gk/{dept.code}/zhidu/"]  # fmt: skip
    for url in urls:
        client.get(url)
    column_visits_flush()
    before = {v.column: v.count for v in ColumnVisit.objects.filter(org=dept)}
    with django_assert_num_queries(0):  # page views go to the process's buffer, not to the database
        for _ in range(20):
            for url in urls:
                assert client.get(url)["X-Page-Cache"] == "hit", url
    with CaptureQueriesContext(connection) as queries:
        assert column_visits_flush() == 60  # the item page and the lists count; the homes do not
    writes = [q["sql"] for q in queries if "INSERT" in q["sql"]]
    assert len(writes) == 1  # one UPSERT for all of them (besides the savepoint)
    after = {v.column: v.count for v in ColumnVisit.objects.filter(org=dept)}
    assert {c: after[c] - before.get(c, 0) for c in after} == {"fdzdgknr": 40, "zhidu": 20}


def test_a_cached_hit_never_writes_page_views_even_when_the_interval_has_passed(
    client, org_tree, monkeypatch, django_assert_num_queries
):
    # Given the page-view writer thread on (as in production) and cached pages
    monkeypatch.setattr(visits, "VISIT_FLUSH_IN_BACKGROUND", True)
    monkeypatch.setattr(visits, "VISIT_FLUSH_SECONDS", 3600.0)  # the thread's own clock: it stays asleep here
    dept = org_tree["child"]
    item = published_item(dept)
    urls = [f"/gk/{dept.code}/xxgk/", f"/gk/{dept.code}/xxgk/{item.pk}/", f"/gk/{dept.code}/zhidu/"]
    for url in urls:
        client.get(url)
    # When the clock says the interval has long passed
    real = time.monotonic
    monkeypatch.setattr(time, "monotonic", lambda: real() + 2 * 3600)
    # Then a hit still costs no query: the views wait for the thread (the request used to write them)
    with django_assert_num_queries(0):
        for _ in range(5):
            for url in urls:
                assert client.get(url)["X-Page-Cache"] == "hit", url
    assert visits._flusher is not None and visits._flusher.thread.is_alive()
    assert visits._visits_pending == 3 + 15


def test_a_logged_in_visitor_sees_the_live_page(client, org_tree, django_user_model):
    user = django_user_model.objects.create_user(username="visitor", password="Abcdefgh12!")
    client.force_login(user)
    url = f"/gk/{org_tree['own'].code}/xxgk/"
    client.get(url)
    response = client.get(url)
    assert "X-Page-Cache" not in response and "private" in response["Cache-Control"]


def test_a_list_page_out_of_range_or_with_bad_filters_is_not_kept(client, org_tree):
    county = org_tree["own"]
    for query in ("?page=7", "?year=1800", "?validity=bogus"):
        client.get(f"/gk/{county.code}/xxgk/{query}")
        assert "X-Page-Cache" not in client.get(f"/gk/{county.code}/xxgk/{query}"), query


def test_the_middleware_covers_the_portal_pages_and_not_downloads():
    from gongkai.core.pagecache import EVERYTHING
    from gongkai.portal.page_paths import page_scopes_of_path

    assert page_scopes_of_path("/") == (EVERYTHING, "site")
    assert page_scopes_of_path("/gk/abc123/xxgk/7/") == (EVERYTHING, "org:ABC123")
    for path in (
        "/search/",
        "/ysqgk/ABC/",
        "/gk/abc/xxgk/7/files/3/",
        "/gk/abc/nianbao/2025/report.pdf",
        "/admin/",
    ):
        assert page_scopes_of_path(path) is None, path


# --- The cold path (issue 22): a miss reuses what an earlier one looked up and rendered ------------------------
# The organisation, its ancestors, its tree and the 发布机构 options (core/pagecache/memo.py, under the generation
# every organisation change bumps), the 专栏 chrome ({% remember %}, keyed by everything it shows), the years of
# the 发布年份 filter (under the organisation's generation, which a publication bumps). The HTML is that of a
# rendering from scratch; a first miss makes as many queries as before, a later one fewer; each kind of change
# that alters what is reused shows on the next request.


def _pages(org_tree) -> list[str]:
    county, dept = org_tree["own"], org_tree["child"]
    item = published_item(dept, title="县财政局关于预算公开的通知", statutory_item="a20_07")
    published_item(county, title="县政府工作报告", published_at=dt.datetime(2021, 3, 1, tzinfo=dt.UTC))
    return [
        f"/gk/{county.code}/xxgk/",
        f"/gk/{county.code}/xxgk/?item=a20_07",
        f"/gk/{county.code}/xxgk/?org={dept.code}",
        f"/gk/{dept.code}/xxgk/{item.pk}/",
        f"/gk/{dept.code}/",
        f"/gk/{dept.code}/fdzdgknr/",
        f"/gk/{dept.code}/zhidu/",
        f"/gk/{dept.code}/zhinan/",
        f"/gk/{dept.code}/nianbao/",
        f"/gk/{dept.code}/ysqgk/",
    ]


def test_a_miss_that_reuses_an_earlier_ones_lookups_and_chrome_renders_the_same_html(
    client, org_tree, settings, monkeypatch
):
    urls = _pages(org_tree)
    settings.GONGKAI_PAGE_CACHE = False  # rendered from scratch: nothing remembered, nothing kept
    scratch = {url: client.get(url).content.decode() for url in urls}
    FRAGMENTS.clear()
    settings.GONGKAI_PAGE_CACHE = True
    first = {url: fresh(client, url) for url in urls}
    assert len(REMEMBERED) and len(FRAGMENTS)
    monkeypatch.setattr(copies.Copy, "valid", lambda self, *args: False)  # misses under the same generations
    again = {url: fresh(client, url) for url in urls}
    for url in urls:
        assert first[url] == scratch[url], url
        assert again[url] == scratch[url], url


def test_a_miss_costs_no_more_queries_and_a_later_one_reuses_the_organisation_and_its_tree(
    client, org_tree, django_assert_num_queries
):
    county, dept = org_tree["own"], org_tree["child"]
    item = published_item(dept, title="甲")
    published_item(county, title="乙")
    urls = [f"/gk/{county.code}/xxgk/", f"/gk/{dept.code}/xxgk/{item.pk}/"]
    with django_assert_num_queries(6):  # as many as before issue 22's cold-path work: nothing remembered yet
        fresh(client, urls[0])
    with django_assert_num_queries(5):
        fresh(client, urls[1])
    # a publication in the county retires its pages and the years of its lists, not its tree
    published_item(
        county, title="县政府二〇二六年预算公开", published_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    )
    with django_assert_num_queries(3):  # no organisation, ancestors or tree query; the years read again
        html = fresh(client, urls[0])
    assert "县政府二〇二六年预算公开" in html and '<option value="2026">2026年</option>' in html
    other = published_item(dept, title="丙")  # a miss of another page of the department: its ancestors reused
    with django_assert_num_queries(4):
        fresh(client, f"/gk/{dept.code}/xxgk/{other.pk}/")


def test_renaming_an_organisation_shows_in_the_lists_filters_and_the_breadcrumbs_below_it(client, org_tree):
    county, dept = org_tree["own"], org_tree["child"]
    urls = _pages(org_tree)
    for url in urls:
        fresh(client, url)
    org_services.org_update(actor=SYSTEM_TEST, org=dept, name="测试县财政和税务局")
    assert f'<option value="{dept.code}">测试县财政和税务局</option>' in fresh(client, urls[0])
    org_services.org_update(actor=SYSTEM_TEST, org=county, name="测试县人民政府办公室", short_name="测试县")
    item_page = fresh(client, urls[3])
    assert f'<a href="/gk/{county.code}/">测试县</a>' in item_page  # its breadcrumbs
    assert "测试县人民政府办公室主动公开信息" in fresh(client, urls[0])  # the county itself


def test_a_new_subordinate_and_a_deactivated_one_show_in_the_list_filter_at_once(client, org_tree):
    county = org_tree["own"]
    urls = _pages(org_tree)
    assert "测试县数据资源局" not in fresh(client, urls[0])
    new = org_services.org_create(
        actor=SYSTEM_TEST, name="测试县数据资源局", code=valid_org_code(12345678), parent=county,
        level=Level.COUNTY, kind=OrgKind.DEPARTMENT,
    )  # fmt: skip
    assert f'<option value="{new.code}">测试县数据资源局</option>' in fresh(client, urls[0])
    org_services.org_update(actor=SYSTEM_TEST, org=new, is_active=False)
    assert "测试县数据资源局" not in fresh(client, urls[0])


def test_a_new_level_shows_in_the_column_tree_of_the_organisations_pages(client, org_tree):
    dept = org_tree["child"]
    urls = _pages(org_tree)
    assert "市政建设" in fresh(client, urls[5])  # a county department's tree has the 第二十一条 items
    org_services.org_update(actor=SYSTEM_TEST, org=dept, level=Level.PROVINCE)
    assert "市政建设" not in fresh(client, urls[5])
