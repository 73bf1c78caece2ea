"""The 指南 carries every item of 《条例》第十二条第二款, generated from the organisation's and the catalogue's own data."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from gongkai.backoffice import demo as base_demo
from gongkai.catalog.index_numbers import org_code9
from gongkai.catalog.vocab import DocKind, Topic
from gongkai.orgs.models import Level, Organisation, OrgKind
from gongkai.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def guide(client, org: Organisation) -> str:
    response = client.get(f"/gk/{org.code}/zhinan/")
    assert response.status_code == 200
    return response.content.decode()


def field(html: str, label: str) -> str:
    """The value shown for one contact item (``<dt>label</dt><dd>value</dd>``)."""
    match = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", html, re.S)
    assert match, f"{label} missing"
    return match.group(1)


@pytest.fixture
def demo_county(monkeypatch):
    """The demo tree (organisations and staff only: the other apps' demo records are not needed here)."""
    monkeypatch.setattr(base_demo, "DEMO_APPS", ())
    base_demo.load_demo(password="Demo#Password2026")
    return Organisation.objects.get(name="青山县人民政府")


def test_demo_county_guide_has_the_classification_system_and_the_online_channel(client, demo_county):
    # Given the demo county / When its 指南 is opened
    html = guide(client, demo_county)
    # Then it has the classification from the catalogue's own vocabularies …
    assert "一、政府信息的分类" in html
    assert "行政法规、规章和规范性文件（第二十条第一项）" in html  # running-text citation, no brackets
    assert "第二十条第（" not in html
    assert "市政建设（第二十一条）" in html  # a county government: 第二十一条 items too
    assert all(label in html for label in Topic.labels)
    assert all(label in html for label in DocKind.labels)
    # … the arrangement system: the 索引号 scheme with this organisation's own prefix
    assert "二、政府信息的编排体系" in html
    code9 = org_code9(demo_county)
    assert f"{code9}/{timezone.localdate().year}-00001" in html
    # … and the online channel: the deployment's public application URL, and the 互联网联系方式
    assert "三、获取方式" in html
    online = f"http://testserver/ysqgk/{demo_county.code}/"
    assert f"在本平台在线提交（{online}）" in html
    assert "http://testserver/ysqgk/status/" in html
    assert "信件、数据电文在内的书面形式（《条例》第二十九条第一款）" in html
    assert demo_county.email and f"电子邮件：发送至 {demo_county.email}" in html
    assert online in field(html, "互联网联系方式")


FULL = {
    "office_name": "测试县民政局政务公开办公室",
    "address": "民政路1号",
    "office_hours": "工作日 8:30-17:30",
    "phone": "0579-1111",
    "fax": "0579-2222",
    "email": "mz@example.gov.cn",
    "website": "https://mz.example.gov.cn",
    "postcode": "339900",
}


@pytest.mark.parametrize(
    ("element", "check"),
    [
        ("分类", lambda html, org: "一、政府信息的分类" in html and "按主题分类" in html),
        ("编排体系", lambda html, org: "二、政府信息的编排体系" in html and org_code9(org) in html),
        (
            "获取方式",
            lambda html, org: (
                "三、获取方式" in html and "（一）主动公开" in html and "（二）依申请公开" in html
            ),
        ),
        ("名称", lambda html, org: field(html, "名称") == FULL["office_name"]),
        ("办公地址", lambda html, org: field(html, "办公地址") == FULL["address"]),
        ("办公时间", lambda html, org: field(html, "办公时间") == FULL["office_hours"]),
        ("联系电话", lambda html, org: field(html, "联系电话") == FULL["phone"]),
        ("传真号码", lambda html, org: field(html, "传真号码") == FULL["fax"]),
        (
            "互联网联系方式",
            lambda html, org: (
                FULL["email"] in field(html, "互联网联系方式")
                and FULL["website"] in field(html, "互联网联系方式")
                and f"/ysqgk/{org.code}/" in field(html, "互联网联系方式")
            ),
        ),
    ],
)
def test_every_article_12_paragraph_2_element_is_in_the_guide(client, org_tree, element, check):
    # Given an organisation with every contact detail / When its 指南 is opened / Then the element is there
    org = OrganisationFactory(parent=org_tree["own"], name="测试县民政局", **FULL)
    assert check(guide(client, org), org), element


@pytest.mark.parametrize(
    ("level", "kind"),
    [
        (Level.PROVINCE, OrgKind.GOVERNMENT),
        (Level.CITY, OrgKind.DEPARTMENT),
        (Level.COUNTY, OrgKind.AGENCY),
        (Level.TOWNSHIP, OrgKind.GOVERNMENT),
        (Level.COUNTY, OrgKind.OTHER),
    ],
)
def test_an_organisation_without_contact_details_still_shows_every_element_as_none(client, level, kind):
    # Given an organisation with no contact details at all
    org = OrganisationFactory(name="测试空白机构", level=level, kind=kind)
    html = guide(client, org)
    # Then every 第十二条第二款 element is still there, the missing ones as 「无」 (never left out)
    for heading in (
        "一、政府信息的分类",
        "二、政府信息的编排体系",
        "三、获取方式",
        "四、政府信息公开工作机构",
    ):
        assert heading in html
    assert field(html, "名称") == "测试空白机构"
    for label in ("办公地址", "办公时间", "联系电话", "传真号码"):
        assert field(html, label) == "无", label
    assert field(html, "互联网联系方式").startswith("电子邮箱：无；网站：无；在线申请：")
    assert "标注“无”的项目，本机关暂未提供。" in html
    # And the channels that need a missing detail are not offered; the online channel always is
    assert "电子邮件：发送至" not in html and "传真：发送至" not in html
    assert f"在本平台在线提交（http://testserver/ysqgk/{org.code}/）" in html


def test_content_items_follow_the_level(client):
    township = OrganisationFactory(name="测试乡人民政府", level=Level.TOWNSHIP, kind=OrgKind.GOVERNMENT)
    province = OrganisationFactory(name="测试省人民政府", level=Level.PROVINCE, kind=OrgKind.GOVERNMENT)
    assert "宅基地使用情况审核（第二十一条）" in guide(client, township)
    html = guide(client, province)
    assert (
        "（第二十一条）" not in html
        and "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息（第二十条第十五项）" in html
    )


def test_the_request_column_names_the_online_channel(client, org_tree):
    org = org_tree["child"]
    html = client.get(f"/gk/{org.code}/ysqgk/").content.decode()
    assert "在本平台在线提交申请" in html
    assert f"http://testserver/ysqgk/{org.code}/" in field(html, "互联网联系方式")


def test_guide_names_the_review_body_as_the_letters_do_and_the_review_first_rule(client, org_tree):
    # given a county department with no 复议机关 set: the letters derive the county government
    dept = org_tree["child"]
    Organisation.objects.filter(pk=dept.pk).update(review_body="")
    dept.refresh_from_db()
    html = guide(client, dept)
    assert field(html, "行政复议机关") == org_tree["own"].name
    assert "第二十三条第一款第四项" in html and "部分公开的，对其中不予公开的部分同样适用" in html
    assert "可以依照《政府信息公开信息处理费管理办法》" in html
