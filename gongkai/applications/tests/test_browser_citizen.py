"""Browser journey of the citizen side (issue 18, defect 4), in Debian's Chromium: submit online → print the 回执
with the 答复期限 → (the office asks for a 补正) → answer the 补正 online → (the office replies and issues the
告知书) → download it. Screenshots of the 回执, the 待补正 page and the page after the reply at 1280 and 375 px
are kept in test-artifacts/ (the ones in docs/screenshots/ come from here)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.utils import timezone

from gongkai.applications import letters
from gongkai.applications.models import Application, Status
from gongkai.applications.services import replies, steps
from gongkai.applications.vocab import LetterKind, Outcome
from gongkai.catalog.tests.factories import pdf_with_text
from gongkai.workdays.arithmetic import add_workdays, invalidate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"  # beside the conftest's own screenshots


@pytest.fixture(autouse=True)
def _calendar():
    invalidate()  # transactional tests flush the calendar tables
    yield
    invalidate()


def cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def shoot(page, name: str) -> None:
    """Full-page screenshots at 1280 and 375 px; at 375 px nothing may scroll sideways."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for width, suffix in ((1280, "1280"), (375, "375")):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (name, width)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{suffix}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def submit_online(page, live_server, org) -> None:
    """From the organisation's 依申请公开 column through the online form; the 承诺 checkbox sits inside its label,
    right before the words, one target of at least 44×44 px, and a click on the words ticks it."""
    page.goto(f"{live_server.url}/gk/{org.code}/ysqgk/")
    page.get_by_role("link", name="在线提交政府信息公开申请").click()
    page.get_by_label("申请人类型").select_option("natural")
    page.get_by_label("姓名或名称").fill("赵六")
    page.locator("#id_id_type").select_option("resident_id")
    page.locator("#id_id_number").fill("11010519491231002X")
    page.get_by_label("联系电话").fill("13700000000")
    page.get_by_label("电子邮箱").fill("z@example.org")
    page.get_by_label("所需信息的名称").fill("某小区规划许可证")
    page.get_by_label("获取信息的方式").select_option("email")
    consent = page.get_by_label("本人承诺所填信息真实有效")
    label = page.locator("label.check", has=consent)
    box, text, tick = label.bounding_box(), label.locator("span").first.bounding_box(), consent.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert 0 <= text["x"] - (tick["x"] + tick["width"]) <= 16 and abs(text["y"] - tick["y"]) < 24
    label.locator("span").first.click()
    assert consent.is_checked()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/done/$"))


def print_receipt(page) -> None:
    """The 打印 button (shown by the self-hosted script) calls the browser's print; printed, the 回执 keeps the
    facts and the counting, without the site's header, search box and buttons."""
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.get_by_role("button", name="打印回执").click()
    assert page.evaluate("window.__printed") == 1
    shoot(page, "citizen-receipt")
    page.emulate_media(media="print")
    assert not page.locator("form.searchbox").is_visible() and not page.locator(".print-actions").is_visible()
    assert (
        page.locator("#reply-due").is_visible()
        and page.locator("details.deadline-explained li").first.is_visible()
    )
    page.screenshot(path=str(ARTIFACTS / "citizen-receipt-print.png"), full_page=True)
    page.emulate_media(media="screen")


def look_up(page, live_server, code: str, secret: str) -> None:
    page.goto(f"{live_server.url}/ysqgk/status/")
    page.get_by_label("申请编号").fill(code)
    page.get_by_label("查询码").fill(secret)
    page.get_by_role("button", name="查询").click()


def test_citizen_submits_prints_the_receipt_corrects_online_and_downloads_the_reply(
    page, live_server, office
):
    org, clerk = office["org"], office["clerk"]
    today = timezone.localdate()
    # given a citizen who submits online
    submit_online(page, live_server, org)
    # then the 回执: codes, the day received, the 答复期限 and how it was counted; it prints
    a = Application.objects.get()
    assert page.locator("h1").inner_text() == "政府信息公开申请回执"
    code, secret = (
        page.locator("#tracking-code").inner_text().strip(),
        page.locator("#secret").inner_text().strip(),
    )
    assert code == a.tracking_code
    assert page.locator("#reply-due").inner_text() == cn(add_workdays(today, 20)) == cn(a.reply_due)
    assert page.locator("details.deadline-explained ol.steps li").count() == len(a.deadline_steps)
    print_receipt(page)

    # when the office asks for a 补正 (through the services) and issues the 补正告知书
    until = add_workdays(today, 10)
    steps.correction_request(actor=clerk, application=a, items="请写明规划许可证的文号。\n请上传身份证明。",
                             until=until)  # fmt: skip
    letters.letter_issue(actor=clerk, letter=a.letters.get(kind=LetterKind.CORRECTION))
    # then the citizen's status page says what to correct and by when
    look_up(page, live_server, code, secret)
    assert page.locator("#public-status").inner_text() == "待补正"
    assert "请写明规划许可证的文号。" in page.locator("#correction-items").inner_text()
    assert page.locator("#correction-until").inner_text().startswith(cn(until))
    assert page.get_by_role("link", name="下载补正告知书").is_visible()
    shoot(page, "citizen-status-correction")

    # when the citizen answers the 补正 online, with a file
    page.get_by_label("补正内容").fill("规划许可证文号为建字第2025-018号。")
    page.locator("#id_attachments").set_input_files(
        files=[{"name": "身份证明.pdf", "mimeType": "application/pdf", "buffer": pdf_with_text("身份证明")}]
    )
    page.get_by_role("button", name="提交补正").click()
    # then it is the 补正 received: back at work, the 20 working days from today
    page.wait_for_selector("ul.messages")
    assert "补正已提交" in page.locator("ul.messages").inner_text()
    assert page.locator("#public-status").inner_text() == "办理中"
    a.refresh_from_db()
    assert a.status == Status.IN_PROGRESS and a.attachments.filter(purpose="correction").count() == 1
    assert page.locator("#reply-due").inner_text() == cn(a.reply_due) == cn(add_workdays(today, 20))

    # when the office replies 部分公开 and issues the 答复告知书 (through the services)
    a = replies.application_reply(actor=clerk, application=a, outcome=Outcome.PARTIAL,
                                  summary="第3页涉及个人隐私，已作区分处理。", withheld_grounds=["3.4"])  # fmt: skip
    reply = letters.letter_issue(actor=clerk, letter=a.letters.get(kind=LetterKind.REPLY))
    # then the status page gives the result in plain words, not the statistics wording
    page.reload()
    assert page.locator("#public-status").inner_text() == "已答复"
    assert page.locator("#public-outcome").inner_text() == "部分公开（不予公开的部分及其理由见答复告知书）"
    assert "只计这一情形" not in page.content()
    shoot(page, "citizen-status-replied")
    # and the issued 答复告知书 downloads under its name
    with page.expect_download() as download:
        page.get_by_role("link", name="下载答复告知书").click()
    assert unquote(download.value.suggested_filename) == f"{org.name}{reply.title}（{reply.number}）.pdf"
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
