"""Staff pages and public pages: scoping, applicant privacy, journeys through HTTP, abuse control."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications.models import Application, Letter, Status
from gongkai.applications.reply_letter import reply_blocks
from gongkai.applications.services import replies

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "sees_record", "sees_applicant"),
    [
        ("clerk", True, True),
        ("reviewer", True, True),
        ("county_admin", True, True),
        ("supervisor", True, False),
        ("outsider", False, False),
    ],
)
def test_detail_scoping_and_applicant_privacy(client, office, register, who, sees_record, sees_applicant):
    # given an application of the department
    a = register()
    # when each kind of staff opens it
    response = login(client, office[who]).get(reverse("applications:detail", args=[a.pk]))
    # then only the organisation's staff and its 公开办管理员 see the applicant; the list masks numbers
    assert response.status_code == (200 if sees_record else 404)
    if sees_record:
        body = response.content.decode()
        assert ("张三" in body) is sees_applicant
        assert "11010519491231002X" not in body
        assert ("****002X" in body) is sees_applicant


def test_reveal_shows_full_numbers_only_to_applicant_scope(client, office, register):
    a = register()
    url = reverse("applications:detail", args=[a.pk]) + "?reveal=1"
    assert "11010519491231002X" in login(client, office["clerk"]).get(url).content.decode()
    assert "11010519491231002X" not in login(client, office["supervisor"]).get(url).content.decode()


def test_list_hides_applicant_names_outside_scope(client, office, register):
    register()
    body = login(client, office["supervisor"]).get(reverse("applications:list")).content.decode()
    assert "YS2026000001" in body and "张三" not in body and "仅办理机关可见" in body


def test_register_page_creates_application(client, office):
    data = {
        "org": office["org"].pk, "channel": "post", "submitted_on": "2026-03-01", "signed_for_on": "2026-03-03",
        "applicant_type": "commercial", "name": "某公司", "contact_person": "王经理", "phone": "0595-1234567",
        "info_title": "某道路工程招标文件", "delivery_form": "paper", "delivery_method": "post", "address": "某路2号",
    }  # fmt: skip
    response = login(client, office["clerk"]).post(reverse("applications:register"), data)
    a = Application.objects.get()
    assert response.status_code == 302 and a.received_on == D("2026-03-03")


def test_register_page_reports_receipt_rule_in_chinese(client, office):
    data = {
        "org": office["org"].pk, "channel": "post", "submitted_on": "2026-03-01", "applicant_type": "natural",
        "name": "李四", "phone": "13900000000", "info_title": "x", "delivery_form": "paper", "delivery_method": "pickup",
    }  # fmt: skip
    response = login(client, office["clerk"]).post(reverse("applications:register"), data)
    assert response.status_code == 200 and "签收日期" in response.content.decode()
    assert not Application.objects.exists()


def test_action_reply_and_letter_download(client, office, register):
    a = register("2026-03-02")
    c = login(client, office["clerk"])
    response = c.post(
        reverse("applications:act", args=[a.pk, "reply"]),
        {
            "reply-outcome": "2",
            "reply-summary": "第3页涉及个人隐私，已作区分处理。",
            "reply-withheld_grounds": ["3.4"],
            "reply-date": "2026-03-20",
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == Status.REPLIED and a.outcome == "2"
    letter = Letter.objects.get(application=a, kind="reply")
    docx = c.get(reverse("applications:letter_download", args=[letter.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "第三十七条" in text and "第十五条" in text and "测试市人民政府" in text and "002X" not in text


def test_action_refused_for_supervisor(client, office, register):
    a = register("2026-03-02")
    response = login(client, office["supervisor"]).post(
        reverse("applications:act", args=[a.pk, "reply"]), {"reply-outcome": "1", "reply-date": "2026-03-20"}
    )
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.status == Status.REGISTERED


def test_letter_edit_then_issue_freezes(client, office, register):
    a = register("2026-03-02")
    replies.application_reply(actor=office["clerk"], application=a, outcome="1", date=D("2026-03-20"))
    letter = Letter.objects.get(application=a)
    c = login(client, office["clerk"])
    url = reverse("applications:letter", args=[letter.pk])
    # a body stripped of the mandatory blocks is saved as a draft but not issued (W2)
    fields = {"number": "X〔2026〕1号", "title": letter.title, "recipient": "张三：", "body": "第一段\n第二段",
              "signatory": letter.signatory, "dated": "2026-03-20"}  # fmt: skip
    assert c.post(url, fields).status_code == 302
    # issuing is irreversible: without the confirmation box ticked nothing happens
    response = c.post(url, {"issue": "1"}, follow=True)
    letter.refresh_from_db()
    assert not letter.is_issued and "出具前请勾选确认" in response.content.decode()
    response = c.post(url, {"issue": "1", "confirm": "1"}, follow=True)
    letter.refresh_from_db()
    assert not letter.is_issued and "答复告知书正文缺少以下必备内容" in response.content.decode()
    body = "\n".join(text for _, text in reply_blocks(letter.application)) + "\n第二段"
    assert c.post(url, {**fields, "body": body}).status_code == 302
    assert c.post(url, {"issue": "1", "confirm": "1"}).status_code == 302
    letter.refresh_from_db()
    assert letter.is_issued and letter.body == body
    c.post(url, {**fields, "body": "改"})
    letter.refresh_from_db()
    assert letter.body == body


def test_dashboard_shows_overdue(client, office, register):
    register("2026-02-10")  # reply due 2026-03-16: overdue today
    body = login(client, office["clerk"]).get(reverse("applications:dashboard")).content.decode()
    assert "已逾期（1）" in body and "YS2026000001" in body


def test_ledger_page_import_and_export(client, office, django_capture_on_commit_callbacks):
    c = login(client, office["clerk"])
    data = "收到日期,申请渠道,申请人类型,申请人,申请内容,办理结果,答复日期\n2026-03-02,当面提交,自然人,张三,甲,予以公开,2026-03-10\n"
    upload = SimpleUploadedFile("a.csv", data.encode())
    with django_capture_on_commit_callbacks(execute=True):  # the import is a job (eager: no broker)
        response = c.post(
            reverse("applications:ledger"), {"org": office["org"].pk, "kind": "applications", "file": upload}
        )
    assert "已导入 1 条" in c.get(response["Location"]).content.decode()
    export = c.get(reverse("applications:ledger_export", args=[office["org"].code, "applications", "csv"]))
    assert "予以公开" in export.content.decode("utf-8-sig")


# --- public ------------------------------------------------------------------------------------

PUBLIC = {
    "applicant_type": "natural", "name": "赵六", "id_type": "resident_id", "id_number": "11010519491231002X",
    "phone": "13700000000", "email": "z@example.org", "info_title": "某小区规划许可", "delivery_form": "electronic",
    "delivery_method": "email", "agree": "on",
}  # fmt: skip


def test_public_submit_and_status(client, office):
    org = office["org"]
    pdf = SimpleUploadedFile("id.pdf", b"%PDF-1.4 test\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        reverse("applications_public:form", args=[org.code]), {**PUBLIC, "attachments": [pdf]}
    )
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    a = Application.objects.get()
    assert a.tracking_code in done and a.channel == "internet" and a.attachments.count() == 1
    secret = done.split('id="secret">')[1].split("<")[0]
    status = client.post(
        reverse("applications_public:status"), {"tracking_code": a.tracking_code, "secret": secret}
    )
    assert "已登记" in status.content.decode()
    wrong = client.post(
        reverse("applications_public:status"), {"tracking_code": a.tracking_code, "secret": "x"}
    )
    assert "不正确" in wrong.content.decode() and "已登记" not in wrong.content.decode()


def test_public_honeypot_stores_nothing(client, office):
    response = client.post(
        reverse("applications_public:form", args=[office["org"].code]), {**PUBLIC, "website": "http://spam"}
    )
    assert response.status_code == 200 and not Application.objects.exists()


def test_public_rate_limit_per_ip(client, office, settings):
    url = reverse("applications_public:form", args=[office["org"].code])
    for _ in range(5):
        assert client.post(url, PUBLIC).status_code == 302
    response = client.post(url, PUBLIC)
    assert response.status_code == 429 and Application.objects.count() == 5


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evil.pdf", b"MZ\x90\x00 not a pdf", "不受支持"),
        ("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "超过"),
    ],
)
def test_public_attachment_checked(client, office, name, content, message):
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        reverse("applications_public:form", args=[office["org"].code]), {**PUBLIC, "attachments": [upload]}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Application.objects.exists()


def test_portal_column_links_to_online_form(client, office):
    org = office["org"]
    body = client.get(f"/gk/{org.code}/ysqgk/").content.decode()
    assert reverse("applications_public:form", args=[org.code]) in body


def test_assign_action_names_the_clerk(client, office, register):
    a = register("2026-03-02", actor=office["county_admin"])
    response = login(client, office["county_admin"]).post(
        reverse("applications:act", args=[a.pk, "assign"]), {"assign-assignee": office["clerk"].pk}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.assignee == office["clerk"] and a.status == Status.IN_PROGRESS


def test_register_page_email_channel_is_internet_with_note(client, office):
    data = {
        "org": office["org"].pk, "channel": "email", "confirmed_on": "2026-03-04", "applicant_type": "natural",
        "name": "李四", "email": "l@example.org", "info_title": "x", "delivery_form": "electronic", "delivery_method": "email",
    }  # fmt: skip
    assert login(client, office["clerk"]).post(reverse("applications:register"), data).status_code == 302
    a = Application.objects.get()
    assert (a.channel, a.channel_note, a.received_on) == ("internet", "电子邮件", D("2026-03-04"))


def test_status_lookups_are_limited_after_many_failures(client):
    url = reverse("applications_public:status")
    for _ in range(20):
        client.post(url, {"tracking_code": "YS2026000001", "secret": "guess"})
    assert client.post(url, {"tracking_code": "YS2026000001", "secret": "guess"}).status_code == 429


def test_outcomes_are_shown_in_words_without_row_numbers_or_counting_notes():
    from gongkai.applications.forms import ReplyForm
    from gongkai.applications.models import Application

    a = Application(outcome="2")
    assert a.outcome_display == "部分公开"  # not 「部分公开（区分处理的，只计这一情形，不计其他情形）」
    assert Application(outcome="4.1").outcome_display == "无法提供：本机关不掌握相关政府信息"
    html = str(ReplyForm()["outcome"])
    assert "4.1" not in html.replace('value="4.1"', "") and "只计这一情形" not in html
    assert '<optgroup label="不予公开">' in html


def test_applicant_line_has_no_doubled_separator(client, office, register):
    # issue 18, defect 8: 「电话 ****3456；；」 when the e-mail was not given
    from .conftest import applicant

    a = register(applicant=applicant(email="", address="某路1号"))
    body = login(client, office["clerk"]).get(reverse("applications:detail", args=[a.pk])).content.decode()
    assert "；；" not in body and "电话 ****8000" in body


def test_register_page_keeps_a_scanned_letter_through_the_upload_guards(client, office):
    # issue 18, defect 8: a letter received by post is registered with its scan
    data = {
        "org": office["org"].pk, "channel": "post", "submitted_on": "2026-03-01", "signed_for_on": "2026-03-03",
        "applicant_type": "commercial", "name": "某公司", "contact_person": "王经理", "phone": "0595-1234567",
        "info_title": "某道路工程招标文件", "delivery_form": "paper", "delivery_method": "post", "address": "某路2号",
    }  # fmt: skip
    c = login(client, office["clerk"])
    fake = SimpleUploadedFile("信函.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = c.post(reverse("applications:register"), {**data, "attachments": [fake]})
    assert response.status_code == 200 and not Application.objects.exists()
    assert "文件类型不受支持" in response.content.decode()
    scan = SimpleUploadedFile("信函.pdf", b"%PDF-1.4 test\n%%EOF\n", content_type="application/pdf")
    response = c.post(reverse("applications:register"), {**data, "attachments": [scan]})
    a = Application.objects.get()
    assert response.status_code == 302 and [x.name for x in a.attachments.all()] == ["信函.pdf"]
