"""Form errors that people using a screen reader can find (issue 18, accessibility): the ids Django's
aria-describedby points to exist, a summary at the top links to each field, the title says 「错误」; the public
form's honeypot is out of the tab order, its fields tell browsers what to fill."""

from __future__ import annotations

import lxml.html
import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def _tree(response):
    return lxml.html.fromstring(response.content.decode())


def _described_targets_exist(tree):
    ids = set(tree.xpath("//@id"))
    for described in tree.xpath("//*[@aria-describedby]/@aria-describedby"):
        for target in described.split():
            assert target in ids, f"aria-describedby 指向不存在的元素：{target}"


def test_failed_public_submit_has_summary_ids_and_title(client, org_tree):
    url = reverse("applications_public:form", args=[org_tree["own"].code])
    tree = _tree(client.post(url, {"applicant_type": "natural", "name": ""}))
    assert tree.findtext(".//title").startswith("错误：")
    summary = tree.get_element_by_id("error-summary")
    assert summary.get("tabindex") == "-1" and summary.get("autofocus") is not None
    links = summary.xpath(".//a/@href")
    assert "#id_name" in links and "#id_info_title" in links and "#id_agree" in links
    # each field names its error and help text by id, and those elements are there
    name = tree.get_element_by_id("id_name")
    assert "id_name_error" in name.get("aria-describedby") and name.get("aria-invalid") == "true"
    assert tree.get_element_by_id("id_name_error").text_content().strip()
    _described_targets_exist(tree)


def test_public_form_fields_honeypot_and_consent(client, org_tree):
    tree = _tree(client.get(reverse("applications_public:form", args=[org_tree["own"].code])))
    assert not tree.findtext(".//title").startswith("错误")
    assert not tree.xpath("//*[@id='error-summary']")
    honeypot = tree.get_element_by_id("id_website")
    assert honeypot.get("tabindex") == "-1" and honeypot.getparent().get("aria-hidden") == "true"
    phone = tree.get_element_by_id("id_phone")
    assert phone.get("type") == "tel" and phone.get("autocomplete") == "tel"
    assert tree.get_element_by_id("id_name").get("autocomplete") == "name"
    assert tree.get_element_by_id("id_name").get("required") is not None
    # the consent checkbox sits inside its label: one large target
    agree = tree.get_element_by_id("id_agree")
    assert agree.getparent().tag == "label" and "本人承诺" in agree.getparent().text_content()
    _described_targets_exist(tree)


def test_status_page_and_staff_form_announce_errors(client, org_tree):
    tree = _tree(client.post(reverse("applications_public:status"), {"tracking_code": "", "secret": ""}))
    assert tree.findtext(".//title").startswith("错误：")
    assert tree.get_element_by_id("id_tracking_code_error") is not None
    client.force_login(staff(Role.CLERK, org_tree["own"]))
    tree = _tree(client.post(reverse("accounts:password_change"), {"old_password": "x"}))
    assert tree.findtext(".//title").startswith("错误：")
    assert tree.xpath("//*[@id='error-summary']//a")
    _described_targets_exist(tree)


def test_robots_txt_keeps_crawlers_out_of_the_back_office(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.content.decode()


def test_portal_pages_carry_a_meta_description(client):
    tree = _tree(client.get("/"))
    assert tree.xpath("//meta[@name='description']/@content")[0].strip()
