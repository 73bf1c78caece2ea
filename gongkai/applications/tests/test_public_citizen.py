"""The citizen side (issue 18, defect 4): the printable 回执 with the 答复期限 and how it was counted; while 待补正
the status page says what to correct and by when, and takes the 补正 online (recorded as the 补正 received:
the reply period restarts, audited, the handling staff mailed); after the reply the result in the applicant's
words and the issued 告知书 to download, named after the organisation, the letter and its number."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import letters
from gongkai.applications.clocks import EventKind
from gongkai.applications.models import Application, AttachmentPurpose, Status
from gongkai.applications.public_texts import PUBLIC_OUTCOMES, public_outcome
from gongkai.applications.services import intake, replies, steps
from gongkai.applications.services.public_correction import correction_submit_public
from gongkai.applications.tests.conftest import applicant, request_data
from gongkai.applications.vocab import LetterKind, Outcome
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry
from gongkai.workdays.arithmetic import add_workdays

pytestmark = pytest.mark.django_db

PUBLIC = {
    "applicant_type": "natural", "name": "赵六", "id_type": "resident_id", "id_number": "11010519491231002X",
    "phone": "13700000000", "email": "z@example.org", "info_title": "某小区规划许可", "delivery_form": "electronic", "delivery_method": "email", "agree": "on",
    "notify": "email",
}  # fmt: skip


def cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def pdf(name="补正材料.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test\n%%EOF\n", content_type="application/pdf")


def submitted(office, *, today=None):
    """An online application and its 查询码."""
    return intake.application_submit_public(
        org=office["org"], applicant=applicant(), request=request_data(), uploads=[], today=today
    )


def proved(a, secret) -> Client:
    """A browser session that proved the application with 申请编号＋查询码."""
    client = Client()
    client.post(reverse("applications_public:status"), {"tracking_code": a.tracking_code, "secret": secret})
    return client


def ask_correction(office, a, *, until=None, days=None, date=None):
    steps.correction_request(
        actor=office["clerk"], application=a, items="请写明所需信息的文号和形成时间。\n请补充身份证明。",
        until=until, days=days, date=date or a.received_on,
    )  # fmt: skip
    a.refresh_from_db()
    return a


# --- the 回执 --------------------------------------------------------------------------------------


def test_the_receipt_shows_codes_receipt_day_due_date_and_how_it_was_counted(client, office):
    org = office["org"]
    # when a citizen submits the online form
    response = client.post(reverse("applications_public:form", args=[org.code]), PUBLIC)
    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    a = Application.objects.get()
    today = timezone.localdate()
    # then the 回执 names the application, the codes, the day received and the 答复期限 (20 working days)
    assert "<h1>政府信息公开申请回执</h1>" in html
    assert a.tracking_code in html and 'id="secret">' in html
    assert re.search(r'id="received-on">' + cn(today), html)
    assert a.reply_due == add_workdays(today, 20)
    assert f'id="reply-due">{cn(a.reply_due)}</strong>' in html
    # with how the date was counted, the rule, and how to follow the application
    assert all(step in html for step in a.deadline_steps) and "第三十三条" in html
    assert "http://testserver/ysqgk/status/" in html and "电子邮件通知您" in html
    # and a print button (shown by the self-hosted script) and print styles
    assert "data-print" in html and "portal/portal.js" in html
    # the 查询码 is shown once: the page again leads to the lookup
    assert client.get(response["Location"])["Location"] == reverse("applications_public:status")
    # and this browser may open the status page of the application without typing the codes again
    status = client.get(reverse("applications_public:status_detail", args=[a.tracking_code]))
    assert status.status_code == 200 and 'id="public-status"' in status.content.decode()


def test_the_status_page_of_an_application_needs_the_codes(office):
    a, _ = submitted(office)
    response = Client().get(reverse("applications_public:status_detail", args=[a.tracking_code]))
    assert response.status_code == 302 and response["Location"] == reverse("applications_public:status")


# --- 待补正 -----------------------------------------------------------------------------------------


def test_while_awaiting_correction_the_page_says_what_to_correct_and_by_when(office):
    a, secret = submitted(office)
    until = add_workdays(a.received_on, 10)
    a = ask_correction(office, a, until=until)
    notice = letters.letter_issue(actor=SYSTEM_TEST, letter=a.letters.get(kind=LetterKind.CORRECTION))
    html = proved(a, secret).get(reverse("applications_public:status_detail", args=[a.tracking_code])).content
    html = html.decode()
    assert 'id="public-status" class="status">待补正' in html.replace("</span>", "")
    assert "请写明所需信息的文号和形成时间。<br>请补充身份证明。" in html
    assert f'id="correction-until"><strong>{cn(until)}</strong>（含当日）前' in html
    assert reverse("applications_public:letter", args=[notice.pk]) in html  # the issued 补正告知书
    assert "在线提交补正" in html and 'name="text"' in html and 'name="attachments"' in html
    assert 'id="reply-due"' not in html  # the reply period waits for the 补正


def test_a_period_in_working_days_waits_for_the_receipt_of_the_notice(office):
    a, secret = submitted(office)
    a = ask_correction(office, a, days=10)
    html = proved(a, secret).get(reverse("applications_public:status_detail", args=[a.tracking_code])).content
    assert "自您收到补正告知书之日起10个工作日内" in html.decode()


def test_the_correction_sent_online_is_the_correction_received_and_restarts_the_clock(
    office, django_capture_on_commit_callbacks
):
    a, secret = submitted(office)
    a = ask_correction(office, a, until=add_workdays(a.received_on, 10))
    citizen = proved(a, secret)
    url = reverse("applications_public:status_detail", args=[a.tracking_code])
    mail.outbox.clear()
    entry_count_before = AuditEntry.objects.count()
    # when the applicant sends the 补正 with a file
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post(
            url, {"text": "文号为青府发〔2025〕3号，2025年5月印发。", "attachments": [pdf()]}
        )
    assert response.status_code == 302 and response["Location"] == url
    a.refresh_from_db()
    today = timezone.localdate()
    # then the application is back at work and the 20 working days run from today (第三十条)
    assert a.status == Status.IN_PROGRESS and a.reply_due == add_workdays(today, 20)
    event = a.events.get(kind=EventKind.CORRECTION_RECEIVED)
    assert (event.date, event.actor, event.data) == (today, None, {"online": True, "attachments": 1})
    assert entry_count_before < AuditEntry.objects.count()
    assert event.note == "文号为青府发〔2025〕3号，2025年5月印发。"
    assert a.attachments.get(purpose=AttachmentPurpose.CORRECTION).name == "补正材料.pdf"
    # and the step is audited as the public's
    entry = AuditEntry.objects.filter(object_type="applications.application", object_id=str(a.pk)).latest(
        "id"
    )
    assert entry.changes["status"] == [Status.AWAITING_CORRECTION, Status.IN_PROGRESS] and entry.actor is None
    assert entry.changes["event"][1]["kind"] == EventKind.CORRECTION_RECEIVED
    # and the handling clerks are mailed (nobody is assigned: the office's clerks)
    assert len(mail.outbox) == 1 and office["clerk"].email in mail.outbox[0].to
    assert a.tracking_code in mail.outbox[0].subject and "在线提交了补正" in mail.outbox[0].body
    # and the page says so, with the new due date
    page = citizen.get(url).content.decode()
    assert "补正已提交" in page and cn(a.reply_due) in page and 'id="corrected-on">' + cn(today) in page
    assert "在线提交补正" not in page
    # and a second 补正 is refused (一次性)
    again = citizen.post(url, {"text": "再补充一点"}, follow=True)
    assert "不需要补正" in again.content.decode()
    assert a.events.filter(kind=EventKind.CORRECTION_RECEIVED).count() == 1


def test_an_assigned_application_mails_its_assignee_only(office, django_capture_on_commit_callbacks):
    a, _ = submitted(office)
    a = ask_correction(office, a, until=add_workdays(timezone.localdate(), 5))
    a = steps.application_assign(actor=office["clerk"], application=a, assignee=office["clerk"])
    assert a.status == Status.AWAITING_CORRECTION
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        correction_submit_public(application=a, text="补充说明")
    assert [m.to for m in mail.outbox] == [[office["clerk"].email]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "请填写补正内容，或上传补正材料。"),
        ({"text": "x", "attachments": [SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")]}, "不受支持"),
    ],
)
def test_a_bad_correction_changes_nothing_and_says_why(office, data, message):
    a, secret = submitted(office)
    a = ask_correction(office, a, until=add_workdays(a.received_on, 10))
    citizen = proved(a, secret)
    response = citizen.post(reverse("applications_public:status_detail", args=[a.tracking_code]), data)
    html = response.content.decode()
    assert response.status_code == 200 and message in html and 'id="error-summary"' in html
    assert "<title>错误：" in html
    a.refresh_from_db()
    assert a.status == Status.AWAITING_CORRECTION and not a.attachments.exists()


def test_after_the_correction_period_the_online_correction_is_closed(office):
    received = add_workdays(timezone.localdate(), -15)
    a, secret = submitted(office, today=received)
    a = ask_correction(office, a, until=add_workdays(received, 5))
    citizen = proved(a, secret)
    url = reverse("applications_public:status_detail", args=[a.tracking_code])
    page = citizen.get(url).content.decode()
    assert 'id="correction-closed"' in page and "补正期限" in page and 'name="text"' not in page
    citizen.post(url, {"text": "迟到的补正"})
    a.refresh_from_db()
    assert a.status == Status.AWAITING_CORRECTION
    with pytest.raises(ValidationError, match="已过"):
        correction_submit_public(application=a, text="迟到的补正")


# --- after the reply --------------------------------------------------------------------------------


def test_after_the_reply_the_citizen_reads_the_result_in_plain_words_and_downloads_the_letter(office):
    a, secret = submitted(office)
    a = replies.application_reply(
        actor=office["clerk"], application=a, outcome=Outcome.PARTIAL, summary="第3页涉及个人隐私。",
        withheld_grounds=["3.4"],
    )  # fmt: skip
    letter = a.letters.get(kind=LetterKind.REPLY)
    letter.number = "测财信公〔2026〕7号"
    letter.save()
    letters.letter_issue(actor=office["clerk"], letter=letter)
    citizen = proved(a, secret)
    html = citizen.get(reverse("applications_public:status_detail", args=[a.tracking_code])).content.decode()
    assert 'id="public-outcome">部分公开（不予公开的部分及其理由见答复告知书）' in html
    assert "只计这一情形" not in html and "区分处理的" not in html
    url = reverse("applications_public:letter", args=[letter.pk])
    assert url in html
    response = citizen.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    name = unquote(response["Content-Disposition"].split("filename*=UTF-8''", 1)[1])
    assert name == "测试县财政局政府信息公开申请答复告知书（测财信公〔2026〕7号）.pdf"
    # and the API's public status gives the same words beside the 表三 label
    api = Client().post("/api/applications/public-status", {"tracking_code": a.tracking_code, "secret": secret},
                        content_type="application/json").json()  # fmt: skip
    assert api["outcome_text"] == "部分公开（不予公开的部分及其理由见答复告知书）" and api["outcome"] == "2"


def test_the_citizen_pages_show_no_code_and_no_english_word(client, office):
    from gongkai.backoffice.tests.test_no_codes_shown import problems, visible_text, vocabulary_codes

    codes = vocabulary_codes()
    receipt = client.get(
        client.post(reverse("applications_public:form", args=[office["org"].code]), PUBLIC)["Location"]
    )
    a = Application.objects.get()
    ask_correction(office, a, until=add_workdays(a.received_on, 10))
    url = reverse("applications_public:status_detail", args=[a.tracking_code])
    waiting = client.get(url)
    client.post(url, {"text": "补充说明", "attachments": [pdf()]})
    a = replies.application_reply(
        actor=office["clerk"], application=a, outcome=Outcome.NOT_HELD, basis="36.4"
    )
    letters.letter_issue(actor=office["clerk"], letter=a.letters.get(kind=LetterKind.REPLY))
    replied = client.get(url)
    for page in (receipt, waiting, replied):
        assert page.status_code == 200 and problems(visible_text(page.content.decode()), codes) == []
    assert "经检索，您申请的政府信息不存在" in replied.content.decode()


def test_every_outcome_has_plain_words_without_the_statistics_notes():
    assert set(PUBLIC_OUTCOMES) == set(Outcome.values)
    for text in PUBLIC_OUTCOMES.values():
        assert not any(s in text for s in ("只计这一情形", "三安全一稳定", "三类", "四类", "（一）", "1."))
    assert public_outcome("4.1", "36.5").startswith("无法提供：不属于本机关负责公开")
    assert public_outcome("1", "36.1").startswith("予以公开：该信息已经主动公开")
    assert public_outcome("") == ""


def test_staff_letter_downloads_are_named_after_organisation_letter_and_number(client, office):
    a, _ = submitted(office)
    a = ask_correction(office, a, until=add_workdays(a.received_on, 10))
    letter = a.letters.get(kind=LetterKind.CORRECTION)
    client.force_login(office["clerk"])

    def name(fmt):
        response = client.get(reverse("applications:letter_download", args=[letter.pk, fmt]))
        return unquote(response["Content-Disposition"].split("filename*=UTF-8''", 1)[1])

    # a draft says so; without a 文号 the 申请编号 stands in
    assert name("pdf") == f"测试县财政局政府信息公开申请补正告知书（{letter.number}）（草稿）.pdf"
    letter.number = ""
    letter.save()
    assert name("pdf") == f"测试县财政局政府信息公开申请补正告知书（{a.tracking_code}）（草稿）.pdf"
    letter.number = "测财信补〔2026〕1号"
    letter.save()
    letters.letter_issue(actor=office["clerk"], letter=letter)
    assert name("docx") == "测试县财政局政府信息公开申请补正告知书（测财信补〔2026〕1号）.docx"
    assert client.get(reverse("applications:letter_download", args=[letter.pk, "exe"])).status_code == 404
