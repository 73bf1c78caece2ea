"""Issue 13: the fee-payment period runs from the day after the applicant receives the notice; 待确认送达;
the fee pause leaves out the sending day; 第三十五条 delayed reply date. Real calendar (清明 2026: 4/4–4/6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.applications.models import FeeNotice, Letter, Status
from gongkai.applications.reminders import due_by_assignee
from gongkai.applications.services import fee_notices, machine, steps
from gongkai.applications.vocab import FeeMethod, LetterKind, Outcome
from gongkai.core.models import AuditEntry

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db
POST = FeeNotice.Delivery.POST


def posted_notice(register, office, **kw):
    """Received Mon 2026-03-02; a 收费通知 posted Tue 2026-03-10."""
    a = register("2026-03-02")
    fee_notices.fee_notify(
        actor=office["clerk"],
        application=a,
        method=FeeMethod.PER_PAGE,
        pages=40,
        date=D("2026-03-10"),
        delivery=POST,
        **kw,
    )
    a.refresh_from_db()
    return a


def test_posted_notice_signed_for_on_friday_is_payable_until_april_13(register, office):
    clerk = office["clerk"]
    a = posted_notice(register, office)
    # while the signed-for date is unknown there is no payment deadline and no 视为放弃
    assert a.status == Status.AWAITING_FEE and a.fee_due is None
    assert any("待确认送达" in step for step in a.deadline_steps)
    with pytest.raises(ValidationError, match="待确认送达"):
        fee_notices.fee_unpaid(actor=clerk, application=a, date=D("2026-06-30"))
    # when the clerk records the signed-for date, Fri 2026-03-13
    notice = fee_notices.fee_notice_receipt(actor=clerk, application=a, received_on=D("2026-03-13"))
    a.refresh_from_db()
    # then counting starts 3/14 and ends on the 20th working day, Mon 4/13 (the sending day would give 4/8)
    assert a.fee_due == D("2026-04-13") and notice.due_on == D("2026-04-13")
    assert FeeNotice.objects.get().received_on == D("2026-03-13")
    assert any(
        step.startswith("申请人收到收费通知之日：2026年3月13日（星期五）") and "省级实施文件" in step
        for step in a.deadline_steps
    )
    assert AuditEntry.objects.filter(
        object_type="applications.feenotice", changes__has_key="received_on"
    ).exists()
    # the application is not closed as 视为放弃 on the last day, only after it
    with pytest.raises(ValidationError, match="尚未届满"):
        fee_notices.fee_unpaid(actor=clerk, application=a, date=D("2026-04-13"))
    a = fee_notices.fee_unpaid(actor=clerk, application=a, date=D("2026-04-14"))
    assert (a.status, a.outcome) == (Status.ABANDONED, Outcome.FEE_UNPAID)


def test_receipt_day_is_checked_and_recorded_once(register, office):
    clerk = office["clerk"]
    a = posted_notice(register, office)
    with pytest.raises(ValidationError, match="不能早于发出日期"):
        fee_notices.fee_notice_receipt(actor=clerk, application=a, received_on=D("2026-03-09"))
    fee_notices.fee_notice_receipt(actor=clerk, application=a, received_on=D("2026-03-12"))
    with pytest.raises(ValidationError, match="不能重复记录"):
        fee_notices.fee_notice_receipt(actor=clerk, application=a, received_on=D("2026-03-13"))


def test_online_notice_confirmed_at_sending_counts_from_that_day(register, office):
    a = register("2026-03-02")
    fee_notices.fee_notify(
        actor=office["clerk"],
        application=a,
        method=FeeMethod.PER_PAGE,
        pages=40,
        date=D("2026-03-10"),
        delivery=FeeNotice.Delivery.ONLINE,
        received_on=D("2026-03-10"),
    )
    a.refresh_from_db()
    # 3/11–13 (3), 3/16–20 (8), 3/23–27 (13), 3/30–4/3 (18), 清明 4/4–6, 4/7 (19), 4/8 (20)
    assert a.fee_due == D("2026-04-08")


def test_in_person_notice_is_received_when_handed_over_and_the_letter_gives_both_rule_and_date(
    register, office
):
    a = register("2026-03-02")
    notice = fee_notices.fee_notify(
        actor=office["clerk"], application=a, method=FeeMethod.PER_PAGE, pages=40, date=D("2026-03-10")
    )
    assert notice.delivery == FeeNotice.Delivery.IN_PERSON and notice.received_on == D("2026-03-10")
    assert notice.due_on == D("2026-04-08")
    letter = Letter.objects.get(application=a, kind=LetterKind.FEE_NOTICE)
    assert "请自收到本通知次日起20个工作日内缴纳，即至2026年4月8日止" in letter.body
    # I5: the unverified pause is not stated as law unless configured; the payment method is printed
    assert "不计入答复期限" not in letter.body
    assert "缴纳方式：缴纳方式请与本机关联系（见下方联系方式）。" in letter.body
    with pytest.raises(ValidationError, match="当面送达"):
        fee_notices.fee_notify(
            actor=office["clerk"],
            application=register("2026-03-02"),
            method=FeeMethod.PER_PAGE,
            pages=40,
            date=D("2026-03-10"),
            received_on=D("2026-03-11"),
        )


def test_posted_notice_letter_states_the_rule_without_a_date(register, office):
    a = posted_notice(register, office)
    letter = Letter.objects.get(application=a, kind=LetterKind.FEE_NOTICE)
    assert "请自收到本通知次日起20个工作日内缴纳。" in letter.body and "即至" not in letter.body


def test_fee_pause_leaves_out_the_sending_day(register, office):
    # given received Mon 2026-03-02 (due 3/30 without a fee), notice handed over and paid on Wed 3/4
    clerk = office["clerk"]
    a = register("2026-03-02")
    assert a.reply_due == D("2026-03-30")
    fee_notices.fee_notify(
        actor=clerk, application=a, method=FeeMethod.PER_PAGE, pages=40, date=D("2026-03-04")
    )
    a = fee_notices.fee_paid(actor=clerk, application=a, date=D("2026-03-04"))
    # then 3/4 does not count: the reply is due one working day later
    assert a.reply_due == D("2026-03-31")


def test_unknown_receipt_shows_pending_and_reminds_the_clerk(client, register, office):
    a = posted_notice(register, office)
    lines = due_by_assignee(today=D("2026-03-20"))
    assert any(
        a.tracking_code in line and "收费通知送达日期待确认" in line for line in lines[office["clerk"].email]
    )
    client.force_login(office["clerk"])
    detail = client.get(reverse("applications:detail", args=[a.pk])).content.decode()
    assert '<strong id="fee-due">待确认送达</strong>' in detail
    listing = client.get(reverse("applications:list")).content.decode()
    assert "待缴费（待确认送达）" in listing
    # the staff page records the signed-for date
    response = client.post(
        reverse("applications:act", args=[a.pk, "fee_received"]),
        {"fee_received-received_on": "2026-03-13", "fee_received-note": "挂号信回执"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.fee_due == D("2026-04-13")
    assert not any(
        "收费通知送达日期待确认" in line
        for line in due_by_assignee(today=D("2026-03-20")).get(office["clerk"].email, [])
    )


def test_api_records_posted_notice_and_its_receipt(client, register, office):
    a = register("2026-03-02")
    client.force_login(office["clerk"])
    url = f"/api/applications/{a.tracking_code}/events"
    r = client.post(
        url,
        {
            "kind": "fee_notice_sent",
            "date": "2026-03-10",
            "method": "per_page",
            "pages": 40,
            "delivery": "post",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert (r.json()["fee_delivery"], r.json()["fee_due"]) == ("待确认送达", None)
    r = client.post(
        url, {"kind": "fee_notice_delivered", "received_on": "2026-03-13"}, content_type="application/json"
    )
    assert r.status_code == 201, r.content
    assert (r.json()["fee_delivery"], r.json()["fee_due"]) == ("", "2026-04-13")


def test_notice_sent_before_delivery_was_recorded_counts_from_its_migrated_receipt_day(register, office):
    # given a notice whose event predates the delivery fields (migration 0003: received_on = sent_on)
    a = register("2026-03-02")
    fee_notices.fee_notify(
        actor=office["clerk"], application=a, method=FeeMethod.PER_PAGE, pages=40, date=D("2026-03-10")
    )
    event = a.events.get(kind="fee_notice_sent")
    event.data = {k: v for k, v in event.data.items() if k not in ("delivery", "delivered")}
    event.save()
    a.refresh_from_db()
    a.fee_due = None
    # when the deadlines are recomputed, then the payment deadline still stands (not 待确认送达)
    machine.refresh_deadlines(a)
    assert a.fee_due == D("2026-04-08")


# --- 第三十五条: reasons, then an agency-set later reply date ------------------------------------------


def test_article_35_delayed_reply_date_replaces_the_due_date(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    with pytest.raises(ValidationError, match="须先要求申请人说明理由"):
        steps.reply_delay_set(
            actor=clerk, application=a, until=D("2026-05-29"), reason="量大", date=D("2026-03-12")
        )
    with pytest.raises(ValidationError, match="没有尚待申请人说明的理由"):
        steps.reasons_receive(actor=clerk, application=a, date=D("2026-03-05"))
    steps.reasons_request(actor=clerk, application=a, until=D("2026-03-12"), date=D("2026-03-05"))
    a = steps.reasons_receive(actor=clerk, application=a, date=D("2026-03-10"), note="课题研究需要")
    assert a.reply_due == D("2026-03-30")  # asking for reasons stops nothing
    with pytest.raises(ValidationError, match="应晚于按第三十三条计算的答复期限"):
        steps.reply_delay_set(
            actor=clerk, application=a, until=D("2026-03-27"), reason="量大", date=D("2026-03-12")
        )
    a = steps.reply_delay_set(
        actor=clerk,
        application=a,
        until=D("2026-05-29"),
        reason="所涉信息达三百余件，需逐件检索审查",
        date=D("2026-03-12"),
    )
    assert a.reply_due == D("2026-05-29") and a.status == Status.IN_PROGRESS
    assert any(step.startswith("延迟答复：2026年3月12日（星期四）") for step in a.deadline_steps)
    letter = Letter.objects.get(application=a, kind=LetterKind.DELAY)
    assert letter.title == "政府信息公开申请延迟答复告知书"
    assert "第三十五条" in letter.body and "2026年5月29日" in letter.body
    assert "所涉信息达三百余件，需逐件检索审查" in letter.body and "2026年3月5日" in letter.body
    with pytest.raises(ValidationError, match="已确定延迟答复期限"):
        steps.reply_delay_set(
            actor=clerk, application=a, until=D("2026-06-30"), reason="量大", date=D("2026-03-13")
        )


def test_event_details_show_labels_never_codes():
    from gongkai.applications.models import ApplicationEvent

    event = ApplicationEvent(
        data={"delivery": "post", "channel": "internet", "method": "per_page", "days": 20}
    )
    text = event.details
    assert "送达方式：邮寄" in text and "渠道：互联网渠道" in text and "延长工作日：20" in text
    assert "post" not in text and "internet" not in text and "per_page" not in text


def test_pending_receipt_is_listed_on_both_dashboards_until_recorded(client, register, office):
    from gongkai.applications.selectors import due_soon_and_overdue

    a = posted_notice(register, office)
    summary = due_soon_and_overdue(office["clerk"], today=D("2026-03-20"))
    assert [(i.application.pk, i.due) for i in summary.receipt_pending] == [(a.pk, D("2026-03-10"))]
    assert all(i.application.pk != a.pk for i in summary.overdue)  # no deadline runs: never "overdue"
    client.force_login(office["clerk"])
    page = client.get(reverse("applications:dashboard")).content.decode()
    assert "收费通知待确认送达（1）" in page and a.tracking_code in page
    assert 'id="stat-receipt-pending">1<' in client.get("/admin/").content.decode()
    fee_notices.fee_notice_receipt(actor=office["clerk"], application=a, received_on=D("2026-03-13"))
    assert not due_soon_and_overdue(office["clerk"], today=D("2026-03-20")).receipt_pending


def test_a_provisional_payment_deadline_never_closes_the_application(register, office, monkeypatch):
    # given a posted notice signed for on 03-13, due 04-13 — and suppose that period reached a year whose
    # holidays are not loaded yet (the calendar table itself is tested in workdays/tests/test_table.py)
    a = posted_notice(register, office)
    fee_notices.fee_notice_receipt(actor=office["clerk"], application=a, received_on=D("2026-03-13"))
    a.refresh_from_db()
    monkeypatch.setattr(fee_notices, "is_provisional", lambda start, end: True)
    # when the clerk tries to close it as 视为放弃 after that date / then it is refused: the date is 暂定
    with pytest.raises(ValidationError, match="暂定"):
        fee_notices.fee_unpaid(actor=office["clerk"], application=a, date=D("2026-04-14"))
    a.refresh_from_db()
    assert a.status == Status.AWAITING_FEE
