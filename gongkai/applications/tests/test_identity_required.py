"""A citizen's online application carries the 身份证明 of 《条例》第二十九条第二款第一项 (证件类型 and 证件号码): the
public form and the public API refuse it without, in Chinese, and store nothing; an organisation's application and
the staff's registration of a visit or a letter (补正 covers papers that lack it) are not held to it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.applications.tests.conftest import applicant

pytestmark = pytest.mark.django_db

FORM = {
    "applicant_type": "natural", "name": "赵六", "phone": "13700000000", "email": "z@example.org",
    "info_title": "某小区规划许可", "delivery_form": "electronic", "delivery_method": "email", "agree": "on",
}  # fmt: skip
BASIS = "申请人为自然人的，应当提供身份证明（《中华人民共和国政府信息公开条例》第二十九条第二款第一项）"


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()  # the public form's per-address submission limit
    yield
    cache.clear()


def test_the_online_form_refuses_a_citizen_without_identity_papers(client, office):
    # given the public form of an organisation
    url = reverse("applications_public:form", args=[office["org"].code])
    # when a citizen submits it without 证件类型 and 证件号码
    response = client.post(url, FORM)
    html = response.content.decode()
    # then the form comes back with a Chinese error on each field, and nothing is stored
    assert response.status_code == 200 and not Application.objects.exists()
    assert f"请选择证件类型。{BASIS}。" in html and f"请填写证件号码。{BASIS}。" in html
    assert 'href="#id_id_type"' in html and 'href="#id_id_number"' in html  # in the error summary too
    # and the form says beforehand that a citizen must fill them
    assert "申请人为自然人的必填" in client.get(url).content.decode()
    # a number without its type is still refused
    half = client.post(url, FORM | {"id_number": "11010519491231002X"})
    assert half.status_code == 200 and "请选择证件类型" in half.content.decode()
    assert not Application.objects.exists()
    # a citizen with both is registered, the number kept (encrypted, its tail shown)
    whole = client.post(url, FORM | {"id_type": "resident_id", "id_number": "11010519491231002X"})
    assert whole.status_code == 302
    a = Application.objects.get()
    assert a.id_type == "resident_id" and a.id_number_tail == "002X"
    # an organisation (法人或其他组织) is not asked for a citizen's papers
    company = client.post(url, FORM | {"applicant_type": "commercial", "name": "某公司"})
    assert company.status_code == 302 and Application.objects.count() == 2


def test_the_public_api_refuses_a_citizen_without_identity_papers_staff_registration_does_not(
    client, office, register
):
    url = f"/api/applications/public/{office['org'].code}"
    person = {"applicant_type": "natural", "name": "赵六", "phone": "13700000000"}
    # when a citizen's submission through the API lacks the papers
    refused = client.post(url, {"applicant": person, "request": {"info_title": "某规划"}}, "application/json")
    # then it is refused field by field in Chinese and nothing is stored
    assert refused.status_code == 400 and not Application.objects.exists()
    errors = refused.json()["errors"]
    assert errors["id_type"] == [f"请选择证件类型。{BASIS}。"]
    assert errors["id_number"] == [f"请填写证件号码。{BASIS}。"]
    # with them, it is accepted
    papers = person | {"id_type": "resident_id", "id_number": "11010519491231002X"}
    accepted = client.post(
        url, {"applicant": papers, "request": {"info_title": "某规划"}}, "application/json"
    )
    assert accepted.status_code == 201 and Application.objects.count() == 1
    # the service: a letter whose writer gave no papers is registered (补正 can ask for them)
    a = register(applicant=applicant(id_type="", id_number=""))
    assert a.pk and a.id_type == "" and a.id_number_tail == ""
    # and the counter's registration page likewise
    client.force_login(office["clerk"])
    data = {
        "org": office["org"].pk, "channel": "in_person", "submitted_on": "2026-03-02", "applicant_type": "natural",
        "name": "李四", "phone": "13900000000", "info_title": "某道路工程招标文件", "delivery_form": "paper",
        "delivery_method": "pickup",
    }  # fmt: skip
    response = client.post(reverse("applications:register"), data)
    assert response.status_code == 302 and Application.objects.count() == 3
