"""Statutory clocks over an application's events (《条例》第三十至三十四条), hand-computed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.applications.clocks import (
    ClockEvent,
    ClockInputError,
    ClockState,
    Consulted,
    EventKind,
    compute_clock,
)
from gongkai.workdays.arithmetic import is_workday
from gongkai.workdays.tests.factories import d

from .clock_factories import event, received

pytestmark = pytest.mark.django_db

K = EventKind


def test_plain_application_has_correction_and_reply_deadlines():
    # given an application received on Tuesday 2026-02-10 (春节 2/15–2/23, 2/14 and 2/28 worked)
    report = compute_clock([received("2026-02-10")])
    # then 补正 must be notified by 2/26 and the reply is due 3/16 (statutory-rules §6.3)
    assert report.correction_notice_due.due == d("2026-02-26")
    assert report.reply_due is not None and report.reply_due.due == d("2026-03-16")
    assert report.state == ClockState.RUNNING and not report.provisional
    assert report.reply_due.steps[0].startswith("收到申请之日：2026年2月10日（星期二）")
    assert (
        report.reply_due.steps[-1]
        == "答复期限：收到申请之日后第 20 个计入的工作日，即2026年3月16日（星期一）。"
    )


def test_same_day_reply_is_recorded_as_on_the_spot():
    report = compute_clock([received("2026-03-02"), event(K.ANSWERED, "2026-03-02")])
    assert report.same_day and report.on_time and report.state == ClockState.ANSWERED
    assert any("当场答复（第三十三条第一款）" in s for s in report.steps)


def test_correction_restarts_the_reply_period():
    # given received Mon 3/2, 补正 notice Thu 3/5, corrected application Fri 3/20 (清明 2026: 4/4–4/6)
    report = compute_clock(
        [
            received("2026-03-02"),
            event(K.CORRECTION_REQUESTED, "2026-03-05", until=d("2026-03-20")),
            event(K.CORRECTION_RECEIVED, "2026-03-20"),
        ]
    )
    # then the 20 days run from 3/20: 3/23–27 (5), 3/30–4/3 (10), 4/7–10 (14), 4/13–17 (19), 4/20 (20)
    assert report.start == d("2026-03-20")
    assert report.reply_due is not None and report.reply_due.due == d("2026-04-20")
    assert any("自收到补正后的申请之日起重新计算（第三十条）" in s for s in report.steps)
    assert report.warnings == ()


def test_waiting_for_a_correction_has_no_reply_date_and_says_when_it_lapses():
    report = compute_clock(
        [received("2026-03-02"), event(K.CORRECTION_REQUESTED, "2026-03-05", until=d("2026-03-20"))],
        today=d("2026-03-23"),
    )
    assert report.state == ClockState.AWAITING_CORRECTION and report.reply_due is None
    assert any("视为放弃申请" in s for s in report.steps)


def test_late_or_repeated_correction_notices_are_flagged():
    # 7 working days after Mon 3/2 is Wed 3/11; a notice on 3/12 is late, a second one breaks 一次性告知
    report = compute_clock(
        [
            received("2026-03-02"),
            event(K.CORRECTION_REQUESTED, "2026-03-12"),
            event(K.CORRECTION_REQUESTED, "2026-03-13"),
        ]
    )
    assert report.correction_notice_due.due == d("2026-03-11")
    assert any("晚于收到申请后 7 个工作日" in w for w in report.warnings)
    assert any("一次性告知" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("events", "due", "paused_until"),
    [
        # Third party asked (and served) Mon 3/10, answered Mon 3/17: 3/10–3/17 (6 working days) not counted — the
        # sending day neither, like the fee pause (S5). 3/4–7 (4), 3/18–21 (8), 3/24–28 (13), 3/31–4/3 (17),
        # 清明 4/4–4/6, 4/7–9 (20).
        (
            [
                event(K.CONSULTATION_SENT, "2025-03-10", party="某公司", delivered=d("2025-03-10")),
                event(K.CONSULTATION_ANSWERED, "2025-03-17", party="某公司"),
            ],
            "2025-04-09",
            "2025-03-17",
        ),
        # No answer: the pause runs to the 15th working day after receipt, 3/31.
        # 3/4–7 (4), 4/1–3 (7), 4/7–11 (12), 4/14–18 (17), 4/21–23 (20).
        (
            [event(K.CONSULTATION_SENT, "2025-03-10", party="某公司", delivered=d("2025-03-10"))],
            "2025-04-23",
            "2025-03-31",
        ),
        # A late answer (4/2) still resumes the clock at the 15-day expiry.
        (
            [
                event(K.CONSULTATION_SENT, "2025-03-10", party="某公司", delivered=d("2025-03-10")),
                event(K.CONSULTATION_ANSWERED, "2025-04-02", party="某公司"),
            ],
            "2025-04-23",
            "2025-03-31",
        ),
    ],
)
def test_consultation_time_is_not_counted(events, due, paused_until):
    report = compute_clock([received("2025-03-03"), *events])
    assert report.reply_due is not None and report.reply_due.due == d(due)
    assert report.consultations[0].answer_due.due == d("2025-03-31")
    assert report.consultations[0].paused_until == d(paused_until)
    assert any("不计入答复期限（第三十三条第三款）" in s for s in report.steps)


def test_overlapping_consultations_pause_once():
    # given a third party (3/10–3/17) and another agency (3/12–3/19) consulted at the same time
    report = compute_clock(
        [
            received("2025-03-03"),
            event(K.CONSULTATION_SENT, "2025-03-10", party="某公司"),
            event(K.CONSULTATION_SENT, "2025-03-12", party="县财政局", consulted=Consulted.AGENCY),
            event(K.CONSULTATION_ANSWERED, "2025-03-17", party="某公司"),
            event(K.CONSULTATION_ANSWERED, "2025-03-19", party="县财政局"),
        ]
    )
    # then 3/10–3/19 (8 working days) are paused once: 3/4–7 (4), 3/20–21 (6), 3/24–28 (11),
    # 3/31–4/3 (15), 4/7–11 (20)
    assert report.reply_due is not None and report.reply_due.due == d("2025-04-11")
    assert any("第三十四条" in s for s in report.steps)


def test_consultation_period_runs_from_receipt_and_waits_for_it():
    # W3: a request posted Mon 3/10 whose receipt day is not known yet, no answer
    sent = event(K.CONSULTATION_SENT, "2025-03-10", party="县财政局", consulted=Consulted.AGENCY)
    pending = compute_clock([received("2025-03-03"), sent], today=d("2025-04-30"))
    # then 待确认送达: no answer period, no reply due date, the pause stays open, never 视为同意公开
    assert pending.consultation_delivery_pending and pending.state == ClockState.CONSULTATION_PENDING
    assert pending.reply_due is None and pending.consultations[0].answer_due is None
    assert not pending.consultations[0].deemed_consent
    assert not any("视为同意公开" in s for s in pending.steps)
    assert any("待确认送达" in s for s in pending.steps)
    assert pending.days_used == 4  # 3/4–7
    # when its receipt on Thu 3/13 is recorded later: 15 working days from 3/14 → 4/3
    served = event(K.CONSULTATION_DELIVERED, "2025-03-13", party="县财政局")
    early = compute_clock([received("2025-03-03"), sent, served], today=d("2025-04-03"))
    assert early.consultations[0].answer_due.due == d("2025-04-03")
    assert not early.consultations[0].deemed_consent  # on the last day: not yet
    assert not any("视为同意公开" in s for s in early.steps)
    late = compute_clock([received("2025-03-03"), sent, served], today=d("2025-04-07"))
    assert late.consultations[0].deemed_consent
    assert any("逾期未提出意见，视为同意公开（第三十四条）" in s for s in late.steps)
    # the reply clock was stopped 3/10–4/3: 3/4–7 (4), 4/7–11 (9), 4/14–18 (14), 4/21–25 (19), Sun 4/27 (20, 调休)
    assert late.reply_due is not None and late.reply_due.due == d("2025-04-27")


def test_other_agency_and_third_party_are_never_deemed_to_consent():
    for consulted in (Consulted.THIRD_PARTY, Consulted.OTHER_AGENCY):
        report = compute_clock(
            [
                received("2025-03-03"),
                event(
                    K.CONSULTATION_SENT,
                    "2025-03-10",
                    party="甲",
                    consulted=consulted,
                    delivered=d("2025-03-10"),
                ),
            ],
            today=d("2025-05-30"),
        )
        assert not report.consultations[0].deemed_consent
        assert not any("视为同意" in s for s in report.steps)


def test_a_delivery_without_a_pending_consultation_is_refused():
    with pytest.raises(ClockInputError, match="尚未确认送达的征求意见"):
        compute_clock([received("2025-03-03"), event(K.CONSULTATION_DELIVERED, "2025-03-10", party="甲")])


def test_fee_notice_until_payment_is_not_counted():
    # Issue 13: the sending day no longer counts (the letter says "自本通知发出之日至您缴纳费用之日，不计入答复
    # 期限"); before, 3/10 still counted and the reply was due 4/8 — one working day too early.
    paid = compute_clock(
        [received("2025-03-03"), event(K.FEE_NOTICE_SENT, "2025-03-10"), event(K.FEE_PAID, "2025-03-17")]
    )
    # 3/4–3/7 (4); 3/10–3/17 paused; 3/18–21 (8), 3/24–28 (13), 3/31–4/3 (17), 清明 4/4–6, 4/7–9 (20)
    assert paid.reply_due is not None and paid.reply_due.due == d("2025-04-09")
    unpaid = compute_clock(
        [received("2025-03-03"), event(K.FEE_NOTICE_SENT, "2025-03-10", delivered=d("2025-03-10"))]
    )
    assert unpaid.state == ClockState.AWAITING_FEE and unpaid.reply_due is None
    assert unpaid.days_used == 4  # 3/4–3/7; the day of the notice is paused (it counted before issue 13)
    # payment within 20 working days after receipt (handed over 3/10): 3/11–14 (4), 3/17–21 (9), 3/24–28 (14),
    # 3/31–4/3 (18), 清明 4/4, 4/7 (19), 4/8 (20)
    assert unpaid.fee_payment_due is not None and unpaid.fee_payment_due.due == d("2025-04-08")


def test_extension_adds_up_to_twenty_days_from_the_original_due_date():
    # given received 2025-09-26 and an approved extension of 20 working days (statutory-rules §6.3)
    report = compute_clock(
        [received("2025-09-26"), event(K.EXTENDED, "2025-10-20", days=20, approved_by="张主任")]
    )
    assert report.original_due == d("2025-10-30")
    assert report.reply_due is not None and report.reply_due.due == d("2025-11-27")
    assert any("张主任" in s and "第三十三条第二款" in s for s in report.steps)
    assert report.warnings == ()


def test_extension_decided_after_the_deadline_is_flagged():
    report = compute_clock(
        [received("2025-09-26"), event(K.EXTENDED, "2025-10-31", days=5, approved_by="张主任")]
    )
    assert any("晚于原答复期限" in w for w in report.warnings)


def test_late_answer_and_overdue():
    late = compute_clock([received("2026-02-10"), event(K.ANSWERED, "2026-03-17")])
    assert late.on_time is False and any("超过答复期限 1 个工作日" in s for s in late.steps)
    open_ = compute_clock([received("2026-02-10")], today=d("2026-03-17"))
    assert open_.overdue and open_.days_used == 21


def test_a_reply_period_reaching_2027_is_provisional():
    # 12/11 (1), 12/14–18 (6), 12/21–25 (11), 12/28–31 (15), 1/1 (16), 1/4–7 (20)
    report = compute_clock([received("2026-12-10")])
    assert report.reply_due is not None and report.reply_due.due == d("2027-01-08")
    assert report.provisional and report.reply_due.provisional
    assert any("2027年的节假日安排尚未公布" in s for s in report.reply_due.steps)


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([], "缺少「收到申请」"),
        ([received("2026-03-02"), received("2026-03-03")], "只能有一条"),
        ([received("2026-03-02"), event(K.ANSWERED, "2026-03-01")], "早于收到申请之日"),
        ([received("2026-03-02"), event(K.EXTENDED, "2026-03-10", days=21, approved_by="张")], "1 至 20"),
        ([received("2026-03-02"), event(K.EXTENDED, "2026-03-10", days=0, approved_by="张")], "1 至 20"),
        ([received("2026-03-02"), event(K.EXTENDED, "2026-03-10", days=10)], "负责人同意"),
        (
            [
                received("2026-03-02"),
                event(K.EXTENDED, "2026-03-10", days=15, approved_by="张"),
                event(K.EXTENDED, "2026-03-20", days=10, approved_by="张"),
            ],
            "合计不得超过 20",
        ),
        ([received("2026-03-02"), event(K.CORRECTION_RECEIVED, "2026-03-10")], "之前没有「发出补正通知」"),
        (
            [received("2026-03-02"), event(K.CONSULTATION_ANSWERED, "2026-03-10", party="甲")],
            "没有向其发出征求意见",
        ),
        ([received("2026-03-02"), event(K.FEE_PAID, "2026-03-10")], "之前没有「发出收费通知」"),
        ([received("2026-03-02"), event("reopened", "2026-03-10")], "无法识别的事件类型"),
    ],
)
def test_contradictory_event_logs_are_refused_in_chinese(events, message):
    with pytest.raises(ClockInputError, match=message):
        compute_clock(events)


def test_events_after_the_answer_are_ignored_with_a_warning():
    report = compute_clock(
        [
            received("2026-02-10"),
            event(K.ANSWERED, "2026-03-02"),
            event(K.EXTENDED, "2026-03-05", days=20, approved_by="张主任"),
        ]
    )
    assert report.reply_due is not None and report.reply_due.due == d("2026-03-16")  # no extension applied
    assert report.on_time and report.days_used == 10  # 2/11–13 (3), 2/14 (4), 2/24–27 (8), 2/28 (9), 3/2 (10)
    assert report.warnings == ("答复之后仍记录了「延长答复期限」，计算期限时不予考虑。",)


# --- issue 13: fee payment counted from receipt; the fee pause; 第三十五条 delayed reply ----------------


def test_posted_fee_notice_is_payable_20_working_days_after_it_was_signed_for():
    # given a notice posted Tue 2026-03-10 and signed for Fri 2026-03-13 (清明 2026: 4/4–4/6)
    report = compute_clock(
        [
            received("2026-03-02"),
            event(K.FEE_NOTICE_SENT, "2026-03-10", delivery="邮寄"),
            event(K.FEE_NOTICE_DELIVERED, "2026-03-13"),
        ]
    )
    # then counting starts 3/14: 3/16–20 (5), 3/23–27 (10), 3/30–4/3 (15), 4/7–10 (19), 4/13 (20)
    assert report.fee_payment_due is not None and report.fee_payment_due.due == d("2026-04-13")
    assert not report.fee_delivery_pending
    first = report.fee_payment_due.steps[0]
    assert first.startswith("申请人收到收费通知之日：2026年3月13日（星期五）。期限为 20 个工作日")
    assert "四川省财政厅、四川省发展改革委" in first and "省级实施文件" in first
    assert "民法典》第二百零一条" in first
    assert any("清明节 2026年4月4日至4月6日放假" in s for s in report.fee_payment_due.steps)
    # counting from the sending day (the old rule) would have given 4/8
    assert report.fee_payment_due.due != d("2026-04-08")


def test_fee_notice_with_unknown_receipt_day_has_no_payment_deadline():
    report = compute_clock(
        [received("2026-03-02"), event(K.FEE_NOTICE_SENT, "2026-03-10", delivery="邮寄")],
        today=d("2026-06-30"),
    )
    assert report.state == ClockState.AWAITING_FEE and report.fee_payment_due is None
    assert report.fee_delivery_pending
    assert any("待确认送达" in s and "不能认定申请人逾期未缴费" in s for s in report.steps)


def test_fee_pause_excludes_the_sending_day():
    # given received Mon 2026-03-02, notice sent Wed 3/4 and paid Wed 3/4 (same day)
    report = compute_clock(
        [received("2026-03-02"), event(K.FEE_NOTICE_SENT, "2026-03-04"), event(K.FEE_PAID, "2026-03-04")]
    )
    # then only 3/4 is paused: 3/3 (1), 3/5–6 (3), 3/9–13 (8), 3/16–20 (13), 3/23–27 (18), 3/30–31 (20)
    assert report.reply_due is not None and report.reply_due.due == d("2026-03-31")
    plain = compute_clock([received("2026-03-02")])
    assert plain.reply_due is not None and plain.reply_due.due == d("2026-03-30")
    assert any("自发出收费通知之日至缴费之日（2026年3月4日）不计入答复期限" in s for s in report.steps)


def test_fee_notice_delivered_twice_or_before_sending_is_refused():
    with pytest.raises(ClockInputError, match="尚未确认送达"):
        compute_clock(
            [
                received("2026-03-02"),
                event(K.FEE_NOTICE_SENT, "2026-03-10", delivered=d("2026-03-10")),
                event(K.FEE_NOTICE_DELIVERED, "2026-03-12"),
            ]
        )
    with pytest.raises(ClockInputError, match="早于发出日期"):
        compute_clock(
            [received("2026-03-02"), event(K.FEE_NOTICE_SENT, "2026-03-10", delivered=d("2026-03-09"))]
        )


def test_article_35_agency_set_deadline_replaces_the_reply_due_date():
    # given received 2026-03-02 (due 3/30), reasons asked 3/5 and given 3/10, later date set 3/12
    report = compute_clock(
        [
            received("2026-03-02"),
            event(K.REASONS_REQUESTED, "2026-03-05"),
            event(K.REASONS_GIVEN, "2026-03-10"),
            event(K.DELAY_SET, "2026-03-12", until=d("2026-05-29")),
        ]
    )
    # then the reply is due on the agency's date, explained, and asking for reasons paused nothing
    assert report.reply_due is not None and report.reply_due.due == d("2026-05-29")
    assert report.delayed_to == d("2026-05-29") and report.original_due == d("2026-03-30")
    assert report.reply_due.rule == "第三十五条" and not report.reply_due.provisional
    assert any("要求申请人说明理由（第三十五条）" in s and "答复期限照常计算" in s for s in report.steps)
    assert any(
        s.startswith("延迟答复：2026年3月12日（星期四）本机关认为申请人说明的理由合理")
        and "确定延迟答复的合理期限为2026年5月29日（星期五）" in s
        and "按第三十三条计算为2026年3月30日（星期一）" in s
        for s in report.reply_due.steps
    )
    assert report.warnings == ()


def test_article_35_deadline_needs_reasons_and_a_later_date():
    with pytest.raises(ClockInputError, match="之前没有「申请人说明理由」"):
        compute_clock([received("2026-03-02"), event(K.DELAY_SET, "2026-03-12", until=d("2026-05-29"))])
    with pytest.raises(ClockInputError, match="之前没有「要求申请人说明理由」"):
        compute_clock([received("2026-03-02"), event(K.REASONS_GIVEN, "2026-03-10")])
    early = compute_clock(
        [
            received("2026-03-02"),
            event(K.REASONS_REQUESTED, "2026-03-05"),
            event(K.REASONS_GIVEN, "2026-03-10"),
            event(K.DELAY_SET, "2026-03-12", until=d("2026-03-20")),
        ]
    )
    assert any("不属于第三十五条规定的延迟答复" in w for w in early.warnings)


def test_next_day_step_cites_the_civil_code_by_analogy_not_article_33():
    report = compute_clock([received("2026-02-10")])
    first = report.steps[0]
    assert (
        "该日不计入，自次日起计算（条例未规定期间的计算方法，参照《中华人民共和国民法典》第二百零一条"
        in first
    )
    assert "自次日起计算（第三十三条第二款）" not in first


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sent=st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2030, 12, 31)),
    lag=st.integers(min_value=0, max_value=40),
)
def test_payment_deadline_is_the_20th_working_day_strictly_after_receipt(sent, lag):
    receipt = sent + dt.timedelta(days=lag)
    report = compute_clock(
        [
            ClockEvent(K.RECEIVED, sent),
            ClockEvent(K.FEE_NOTICE_SENT, sent, delivery="邮寄"),
            ClockEvent(K.FEE_NOTICE_DELIVERED, receipt),
        ]
    )
    assert report.fee_payment_due is not None
    due = report.fee_payment_due.due
    # the deadline is a working day, and exactly 20 working days lie in (receipt, due]
    day, counted = receipt, 0
    while day < due:
        day += dt.timedelta(days=1)
        counted += is_workday(day)
    assert is_workday(due) and counted == 20
