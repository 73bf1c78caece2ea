"""Public portal pages: the 专栏 navigation, the generated 指南, columns, search box."""

from __future__ import annotations

import pytest

from gongkai.orgs.tests.factories import OrganisationFactory
from gongkai.portal.columns import COLUMNS

pytestmark = pytest.mark.django_db


def test_home_lists_active_organisations(client, org_tree):
    # Given an inactive organisation beside the tree
    OrganisationFactory(name="已撤销机构", is_active=False)
    # When the public home page is opened
    response = client.get("/")
    # Then active organisations are listed and the inactive one is not
    html = response.content.decode()
    assert response.status_code == 200
    assert "测试县人民政府" in html and "已撤销机构" not in html
    assert 'role="search"' in html


def test_org_home_has_the_five_columns(client, org_tree):
    response = client.get(f"/gk/{org_tree['own'].code}/")
    html = response.content.decode()
    assert response.status_code == 200
    for label in (
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政府信息公开年报",
        "依申请公开",
    ):
        assert label in html
    assert next(c.label for c in COLUMNS) == "政府信息公开指南"


@pytest.mark.parametrize("slug", ["zhidu", "fdzdgknr", "nianbao", "ysqgk"])
def test_column_pages_render(client, org_tree, slug):
    response = client.get(f"/gk/{org_tree['own'].code}/{slug}/")
    assert response.status_code == 200


def test_unknown_column_and_org_are_404(client, org_tree):
    assert client.get(f"/gk/{org_tree['own'].code}/nope/").status_code == 404
    assert client.get("/gk/000000000/").status_code == 404


def test_guide_is_built_from_org_data_and_names_remedy_bodies(client, org_tree):
    org = OrganisationFactory(
        parent=org_tree["own"], name="测试县民政局", office_name="测试县民政局办公室", address="民政路1号",
        phone="0579-1111", fax="0579-2222", email="mz@example.gov.cn", postcode="339900",
        review_body="测试县人民政府", court="测试县人民法院",
    )  # fmt: skip
    html = client.get(f"/gk/{org.code}/zhinan/").content.decode()
    for text in ("测试县民政局办公室", "民政路1号", "0579-1111", "0579-2222", "mz@example.gov.cn", "339900"):
        assert text in html
    assert "测试县人民政府" in html and "测试县人民法院" in html
    assert "先申请行政复议" in html  # 行政复议法 第二十三条 (2024)


def test_guide_says_when_contact_details_are_missing(client, org_tree):
    org = OrganisationFactory(parent=org_tree["own"], name="测试县空白局", address="", phone="")
    html = client.get(f"/gk/{org.code}/zhinan/").content.decode()
    assert "<dt>办公地址</dt><dd>无</dd>" in html and "<dt>联系电话</dt><dd>无</dd>" in html
    assert "标注“无”的项目，本机关暂未提供。" in html


def test_search_page_echoes_query_safely(client, db):
    response = client.get("/search/", {"q": "<script>预算</script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>预算" not in html and "&lt;script&gt;预算" in html


def test_security_headers_on_public_pages(client, db):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_error_pages_are_in_chinese(client, db, settings):
    settings.DEBUG = False
    response = client.get("/gk/000000000/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
