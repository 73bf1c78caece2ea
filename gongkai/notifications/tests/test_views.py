"""The outbox page: scoped to the organisations the user may view; 重新发送 for those who may act; the
applicant's choice on the public form and on staff registration."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from gongkai.notifications.models import Message, Preference
from gongkai.notifications.vocab import MessageStatus, NoticeChannel

pytestmark = pytest.mark.django_db


def test_outbox_lists_only_visible_organisations_and_offers_retry_to_handlers(
    client, register, office, org_tree
):
    a = register(notify=NoticeChannel.EMAIL)
    Message.objects.update(
        status=MessageStatus.FAILED, next_attempt_at=None, last_error="SMTPRecipientsRefused"
    )
    url = reverse("notifications:outbox")
    client.force_login(office["clerk"])
    page = client.get(url).content.decode()
    assert a.tracking_code in page and "失败" in page and "重新发送" in page and "z***@example.org" in page
    assert "zhangsan@example.org" not in page
    client.force_login(office["supervisor"])  # 上级 supervisor: sees the row, may not resend
    page = client.get(url).content.decode()
    assert a.tracking_code in page and "重新发送" not in page
    client.force_login(office["outsider"])  # a clerk of the neighbouring county: nothing
    assert a.tracking_code not in client.get(url).content.decode()


def test_retry_from_the_page_sends_at_once(client, register, office):
    register(notify=NoticeChannel.EMAIL)
    message = Message.objects.get()
    Message.objects.update(status=MessageStatus.FAILED, next_attempt_at=None)
    retry = reverse("notifications:retry", args=[message.pk])
    client.force_login(office["outsider"])
    assert client.post(retry).status_code == 404
    client.force_login(office["supervisor"])
    assert client.post(retry).status_code == 403
    client.force_login(office["clerk"])
    response = client.post(retry, follow=True)
    assert "当前状态：已发送" in response.content.decode()
    assert len(mail.outbox) == 1


def _public_form(org, **fields):
    data = {
        "applicant_type": "natural", "name": "李四", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "", "email": "",
        "address": "某市某路2号",
        "info_title": "某项目批复", "delivery_form": "electronic", "delivery_method": "post", "agree": "on",
    }  # fmt: skip
    data.update(fields)
    return data


def test_public_form_offers_the_choice_and_explains_a_missing_contact(client, office):
    org = office["org"]
    url = reverse("applications_public:form", args=[org.code])
    page = client.get(url).content.decode()
    assert "办理进展通知方式" in page and "短信" in page and "不通知" in page
    response = client.post(url, _public_form(org, notify="sms"))
    assert response.status_code == 200 and "选择短信通知的，请填写手机号码。" in response.content.decode()
    response = client.post(url, _public_form(org, notify="sms", phone="13900139000"))
    assert response.status_code == 302
    preference = Preference.objects.get()
    assert preference.channel == NoticeChannel.SMS
    assert Message.objects.get().topic == "受理"


def test_api_submission_takes_the_choice_and_refuses_a_missing_contact(client, office):
    org = office["org"]
    applicant = {
        "applicant_type": "natural",
        "name": "王五",
        "address": "某路3号",
        "notify": "email",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
    }
    url = f"/api/applications/public/{org.code}"
    refused = client.post(
        url, {"applicant": applicant, "request": {"info_title": "某规划"}}, "application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["email"] == ["选择电子邮件通知的，请填写电子邮箱。"]
    applicant["email"] = "wangwu@example.org"
    r = client.post(url, {"applicant": applicant, "request": {"info_title": "某规划"}}, "application/json")
    assert r.status_code == 201
    assert Message.objects.get().topic == "受理" and Preference.objects.get().channel == NoticeChannel.EMAIL
