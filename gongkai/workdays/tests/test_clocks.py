"""Statutory clocks over an application's events (《条例》第三十至三十四条), hand-computed."""

from __future__ import annotations

import pytest

from gongkai.workdays.clocks import ClockInputError, ClockState, Consulted, EventKind, compute_clock

from .factories import d, event, received

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
        # Third party asked Mon 3/10, answered Mon 3/17: 3/11–3/17 (5 working days) not counted.
        # 3/4–7 (4), 3/10 (5), 3/18–21 (9), 3/24–28 (14), 3/31–4/3 (18), 清明 4/4–4/6, 4/7 (19), 4/8 (20).
        (
            [
                event(K.CONSULTATION_SENT, "2025-03-10", party="某公司"),
                event(K.CONSULTATION_ANSWERED, "2025-03-17", party="某公司"),
            ],
            "2025-04-08",
            "2025-03-17",
        ),
        # No answer: the pause runs to the 15th working day after sending, 3/31.
        # 3/4–7 (4), 3/10 (5), 4/1–3 (8), 4/7–11 (13), 4/14–18 (18), 4/21 (19), 4/22 (20).
        ([event(K.CONSULTATION_SENT, "2025-03-10", party="某公司")], "2025-04-22", "2025-03-31"),
        # A late answer (4/2) still resumes the clock at the 15-day expiry.
        (
            [
                event(K.CONSULTATION_SENT, "2025-03-10", party="某公司"),
                event(K.CONSULTATION_ANSWERED, "2025-04-02", party="某公司"),
            ],
            "2025-04-22",
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
    # then 3/11–3/19 (7 working days) are paused once: 3/4–7 (4), 3/10 (5), 3/20–21 (7), 3/24–28 (12),
    # 3/31–4/3 (16), 4/7–10 (20)
    assert report.reply_due is not None and report.reply_due.due == d("2025-04-10")
    assert any("第三十四条" in s for s in report.steps)


def test_fee_notice_until_payment_is_not_counted():
    paid = compute_clock(
        [received("2025-03-03"), event(K.FEE_NOTICE_SENT, "2025-03-10"), event(K.FEE_PAID, "2025-03-17")]
    )
    assert paid.reply_due is not None and paid.reply_due.due == d("2025-04-08")  # as the consultation above
    unpaid = compute_clock([received("2025-03-03"), event(K.FEE_NOTICE_SENT, "2025-03-10")])
    assert unpaid.state == ClockState.AWAITING_FEE and unpaid.reply_due is None
    assert unpaid.days_used == 5  # 3/4–3/7 and the day of the notice
    # payment within 20 working days of the notice: 3/11–14 (4), 3/17–21 (9), 3/24–28 (14), 3/31–4/3 (18),
    # 清明 4/4, 4/7 (19), 4/8 (20)
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
    assert report.reply_due is not None and report.reply_due.due == d("2027-01-07")
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
