"""The look of a real 政府信息公开专栏 (issue 18): header, breadcrumbs, column tree, home pages, footer, search
filters scoped to the 专栏, the 无障碍声明, print, and pages that are the same for every visitor (cacheable)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from django.test import override_settings

from gongkai.catalog import workflow
from gongkai.catalog.tests.factories import published_item
from gongkai.catalog.vocab import DocKind, StatutoryItem
from gongkai.core.actors import SYSTEM_TEST

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def _tree(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


def _texts(tree, xpath):
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


@override_settings(
    GONGKAI_SITE_HOST="测试市人民政府办公室", GONGKAI_SITE_PHONE="0571-87654321", GONGKAI_SITE_EMAIL="web@example.gov.cn",
    GONGKAI_SITE_ID_CODE="3301000001", GONGKAI_SITE_ICP="浙ICP备12345678号", GONGKAI_SITE_PSB="浙公网安备33010002000001号",
)  # fmt: skip
def test_footer_names_the_host_contact_and_registrations_from_settings(client, org_tree):
    tree = _tree(client, f"/gk/{org_tree['own'].code}/")
    footer = " ".join(tree.xpath("//footer")[0].text_content().split())
    for text in ("主办单位：测试市人民政府办公室", "电话 0571-87654321", "web@example.gov.cn", "网站标识码：3301000001",
                 "浙ICP备12345678号", "浙公网安备33010002000001号"):  # fmt: skip
        assert text in footer
    assert tree.xpath("//footer//a[@href='/wuzhangai/']")
    assert tree.xpath("//meta[@name='SiteIDCode']/@content") == ["3301000001"]


@override_settings(GONGKAI_SITE_ICP="", GONGKAI_SITE_PSB="", GONGKAI_SITE_ID_CODE="")
def test_footer_leaves_out_what_is_not_set(client, db):
    footer = " ".join(_tree(client, "/").xpath("//footer")[0].text_content().split())
    assert "网站标识码" not in footer and "备" not in footer.replace("无障碍", "")
    assert not _tree(client, "/").xpath("//meta[@name='SiteIDCode']")


def test_production_settings_never_show_the_demo_registrations(tmp_path):
    # The production settings, loaded as a deployment loads them: every footer fact that has a demo value in
    # base.py is empty unless the environment states it.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_SITE_")}
    env.update(
        GONGKAI_SECRET_KEY="s" * 60, GONGKAI_AUDIT_KEY="k", GONGKAI_ALLOWED_HOSTS="gk.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", GONGKAI_VAR_DIR=str(tmp_path / "var"),
        GONGKAI_SITE_HOST="某某市人民政府办公室",
    )  # fmt: skip
    code = (
        "import json, config.settings.base as base, config.settings.production as production; "
        "print(json.dumps({name: getattr(production, name) for name in base.DEMO_SITE_FOOTER}))"
    )
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout)
    assert {"GONGKAI_SITE_ID_CODE", "GONGKAI_SITE_ICP", "GONGKAI_SITE_PSB", "GONGKAI_SITE_HOST"} <= set(facts)
    assert facts.pop("GONGKAI_SITE_HOST") == "某某市人民政府办公室"
    assert set(facts.values()) == {""}


def test_header_has_the_site_the_organisation_and_a_search_scoped_to_the_column(client, org_tree):
    own = org_tree["own"]
    tree = _tree(client, f"/gk/{own.code}/zhidu/")
    brand = " ".join(tree.xpath("//header[@class='masthead']//a[@class='brand']")[0].text_content().split())
    assert "政府信息公开平台" in brand and "测试县人民政府政府信息公开专栏" in brand
    assert tree.xpath("//header//img[@class='emblem']/@alt") == [""]
    form = tree.xpath("//header//form[@role='search']")[0]
    assert form.xpath(".//input[@name='org']/@value") == [own.code]


def test_breadcrumbs_lead_from_the_home_page_through_the_tree_to_the_item(client, org_tree):
    own = org_tree["own"]
    item = published_item(
        own, title="测试县城乡居民最低生活保障实施办法", statutory_item=StatutoryItem.A20_11
    )
    tree = _tree(client, f"/gk/{own.code}/xxgk/{item.pk}/")
    crumbs = _texts(tree, "//nav[@aria-label='当前位置']//li")
    assert crumbs == ["首页", org_tree["parent"].display_name, f"{own.display_name}政府信息公开专栏", "法定主动公开内容",
                      "测试县城乡居民最低生活保障实施办法"]  # fmt: skip
    assert _texts(tree, "//nav[@aria-label='当前位置']//*[@aria-current='page']") == [crumbs[-1]]
    # the column tree shows 法定主动公开内容's items, the item's own marked
    side = tree.xpath("//nav[@aria-label='栏目导航']")[0]
    current = _texts(side, ".//a[@aria-current]")
    assert "法定主动公开内容" not in current and any("扶贫、教育、医疗" in t for t in current)
    assert "《条例》第二十一条" in side.text_content()  # a county's level has 第二十一条 items
    # and the item page has its 打印 button (shown by the script) and its own description
    assert tree.xpath("//button[@data-print]")
    assert tree.xpath("//meta[@name='description']/@content")[0].startswith(item.summary[:10])


def test_column_page_breadcrumb_ends_at_the_column(client, org_tree):
    tree = _tree(client, f"/gk/{org_tree['own'].code}/nianbao/")
    assert _texts(tree, "//nav[@aria-label='当前位置']//*[@aria-current='page']") == ["政府信息公开年报"]
    assert _texts(tree, "//nav[@aria-label='政府信息公开专栏栏目']//a[@aria-current='page']") == [
        "政府信息公开年报"
    ]


def test_home_pages_show_the_newest_of_each_column_and_the_application_entrance(client, org_tree):
    own = org_tree["own"]
    published_item(own, title="测试县2026年财政预算", statutory_item=StatutoryItem.A20_07)
    published_item(own, title="测试县政府信息公开工作制度", doc_kind=DocKind.DISCLOSURE_RULE)
    site = _tree(client, "/")
    assert "测试县2026年财政预算" in " ".join(_texts(site, "//section[@aria-labelledby='p-newest']//li"))
    assert "测试县政府信息公开工作制度" in " ".join(_texts(site, "//section[@aria-labelledby='p-zhidu']//li"))
    assert site.xpath("//section[@aria-labelledby='apply-title']//a[@href='/ysqgk/status/']")
    # the site's entrance asks which organisation, then goes to its form
    options = site.xpath("//select[@id='apply-org']/option/@value")
    assert own.code in options
    assert client.get("/shenqing/", {"org": own.code.lower()})["Location"] == f"/ysqgk/{own.code}/"
    # no organisation is preselected: the list opens on 「请选择受理机关」, and sent so it asks again
    placeholder = site.xpath("//select[@id='apply-org']/option")[0]
    assert (placeholder.get("value"), placeholder.text, placeholder.get("selected")) == (
        "",
        "请选择受理机关",
        "selected",
    )
    for sent, error in (("", "请选择受理机关。"), ("NOPE", "所选机关不存在或已停用，请重新选择受理机关。")):
        response = client.get("/shenqing/", {"org": sent})
        again = lxml.html.fromstring(response.content.decode())
        assert response.status_code == 200 and again.findtext(".//title").startswith("错误：")
        assert _texts(again, "//p[@id='apply-org-error']") == [error]
        assert own.code in again.xpath("//select[@id='apply-org'][@aria-invalid='true']/option/@value")
    directory = " ".join(_texts(site, "//section[@aria-labelledby='p-directory']"))
    assert all(o.name in directory for o in org_tree.values())
    column = _tree(client, f"/gk/{own.code}/")
    apply = column.xpath("//section[@aria-labelledby='apply-title']")[0]
    assert apply.xpath(f".//a[@href='/ysqgk/{own.code}/']") and "在线提交申请" in apply.text_content()
    assert "测试县2026年财政预算" in " ".join(_texts(column, "//section[@aria-labelledby='p-fdzdgknr']//li"))
    assert org_tree["child"].name in column.text_content()  # 下级机构


def test_search_filters_by_unit_category_year_and_validity_within_the_column(
    client, org_tree, django_capture_on_commit_callbacks
):
    own, child, sibling = org_tree["own"], org_tree["child"], org_tree["sibling"]
    with django_capture_on_commit_callbacks(execute=True):
        budget = published_item(own, title="财政预算公开说明", statutory_item=StatutoryItem.A20_07,
                                published_at=dt.datetime(2025, 3, 1, tzinfo=TZ))  # fmt: skip
        old = published_item(child, title="财政专项资金管理办法", statutory_item=StatutoryItem.A20_01,
                             published_at=dt.datetime(2024, 6, 1, tzinfo=TZ))  # fmt: skip
        published_item(sibling, title="邻县财政预算公开", statutory_item=StatutoryItem.A20_07)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.item_transition(actor=SYSTEM_TEST, item=old, step="repeal", comment="已被新办法替代")

    def found(**params):
        tree = _tree(client, "/search/?" + "&".join(f"{k}={v}" for k, v in {"q": "财政", **params}.items()))
        return {t for t in _texts(tree, "//ol[@class='results']//h2")}

    # within the county's 专栏: its tree only (the sibling county's item is not found)
    assert found(org=own.code) == {"财政预算公开说明", "财政专项资金管理办法"}
    assert "邻县财政预算公开" in found()  # the whole site
    assert found(org=own.code, unit=child.code) == {"财政专项资金管理办法"}
    assert found(org=own.code, unit=own.code) == {"财政预算公开说明"}  # 本级 only
    assert found(org=own.code, item="a20_07") == {"财政预算公开说明"}
    assert found(org=own.code, year="2024") == {"财政专项资金管理办法"}
    assert found(org=own.code, validity="repealed") == {"财政专项资金管理办法"}
    assert found(org=own.code, validity="valid", year="2025") == {"财政预算公开说明"}
    assert budget.pk
    # the page is the 专栏's (its columns and breadcrumbs), and says what it searched
    tree = _tree(client, f"/search/?q=财政&org={own.code}&item=a20_07")
    assert tree.xpath("//nav[@aria-label='政府信息公开专栏栏目']")
    assert "检索范围：测试县人民政府及下属机构" in " ".join(
        tree.xpath("//form[@aria-label='检索条件']")[0].text_content().split()
    )
    assert tree.xpath("//select[@name='item']/option[@selected]/@value") == ["a20_07"]
    assert len(tree.xpath("//form[@aria-label='检索条件']//input[@name='q']")) == 1
    # a hand-edited filter is ignored, not an error
    assert client.get(f"/search/?q=财政&org={own.code}&year=abc").status_code == 200


def test_accessibility_statement(client, db):
    tree = _tree(client, "/wuzhangai/")
    text = tree.text_content()
    assert tree.xpath("//h1")[0].text_content() == "无障碍声明"
    for part in ("长者模式", "朗读", "键盘", "GB/T 37668", "适老化", "已知的不足", "联系电话"):
        assert part in text


def test_anonymous_pages_are_the_same_for_every_visitor(client, org_tree):
    """Whole pages may be cached: no per-visitor token, name or mode in an anonymous page's HTML (长者模式 is
    switched in the browser)."""
    from django.test import Client

    own = org_tree["own"]
    item = published_item(own)
    for url in ("/", f"/gk/{own.code}/", f"/gk/{own.code}/xxgk/", f"/gk/{own.code}/xxgk/{item.pk}/",
                f"/gk/{own.code}/zhinan/", "/wuzhangai/", "/search/?q=%E5%88%B6%E5%BA%A6"):  # fmt: skip
        first = Client().get(url)
        second = Client(HTTP_COOKIE="gk.elder=1").get(url)
        assert first.content == second.content, url
        assert b"csrfmiddlewaretoken" not in first.content and "Set-Cookie" not in first.headers, url
        # the 长者模式 switch is in the page (shown by the script), in the flow, not an overlay toolbar
        tree = lxml.html.fromstring(first.content.decode())
        assert tree.xpath("//button[@data-elder-toggle][@aria-pressed='false']"), url
