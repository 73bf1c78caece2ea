"""Services: intake, the status machine and its event log, deadlines, fees, replies, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.applications import crypto
from gongkai.applications.models import Application, FeeNotice, Letter, Status
from gongkai.applications.services import consultations, extensions, fee_notices, machine, replies, steps
from gongkai.applications.vocab import Channel, FeeMethod, LetterKind, Outcome
from gongkai.core.models import AuditEntry
from gongkai.orgs.models import Organisation

from .conftest import applicant

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db


def audit_count(application: Application) -> int:
    return AuditEntry.objects.filter(
        object_type="applications.application", object_id=str(application.pk)
    ).count()


@pytest.mark.parametrize(
    ("channel", "dates", "expected"),
    [
        (Channel.IN_PERSON, {"submitted_on": "2026-02-10"}, "2026-02-10"),
        (Channel.POST, {"submitted_on": "2026-02-05", "signed_for_on": "2026-02-09"}, "2026-02-09"),
        (Channel.ORDINARY_MAIL, {"confirmed_on": "2026-02-11"}, "2026-02-11"),
        (Channel.INTERNET, {"submitted_on": "2026-02-07", "confirmed_on": "2026-02-09"}, "2026-02-09"),
        (Channel.FAX, {"confirmed_on": "2026-02-12"}, "2026-02-12"),
    ],
)
def test_register_receipt_date_follows_article_31(register, channel, dates, expected):
    # given a channel and its dates, when registered
    a = register(channel=channel, **{k: D(v) for k, v in dates.items()})
    # then the receipt date is the 第三十一条 deciding date and the first event is 收到申请
    assert a.received_on == D(expected)
    assert list(a.events.values_list("kind", flat=True)) == ["received"]
    assert a.status == Status.REGISTERED


def test_register_post_without_signed_for_date_is_refused_and_writes_nothing(register):
    with pytest.raises(ValidationError) as exc:
        register(channel=Channel.POST, submitted_on=D("2026-02-05"))
    assert "签收日期" in str(exc.value)
    assert Application.objects.count() == 0


def test_register_computes_deadlines_with_explanation(register):
    # given received 2026-02-10 (spec §6.3 worked example)
    a = register("2026-02-10")
    # then 补正告知 by 2026-02-26 and reply by 2026-03-16, each explained in Chinese
    assert a.correction_notice_due == D("2026-02-26")
    assert a.reply_due == D("2026-03-16")
    assert any("第三十三条" in step for step in a.deadline_steps)
    assert not a.deadline_provisional


def test_register_encrypts_id_and_phone(register):
    a = register()
    raw = Application.objects.filter(pk=a.pk).values("id_number_enc", "phone_enc").get()
    assert "11010519491231002X" not in raw["id_number_enc"]
    assert crypto.decrypt(raw["id_number_enc"]) == "11010519491231002X"
    assert crypto.decrypt(raw["phone_enc"]) == "13800138000"
    assert crypto.mask(a.id_number_tail) == "****002X"


def test_register_rejects_bad_resident_id(register):
    with pytest.raises(ValidationError, match="校验位"):
        register(applicant=applicant(id_number="110105194912310021"))


def test_register_requires_permission(register, office):
    with pytest.raises(PermissionDenied):
        register(actor=office["outsider"])
    with pytest.raises(PermissionDenied):
        register(actor=office["supervisor"])


def test_tracking_codes_are_sequential_per_year(register):
    a, b = register("2026-02-10"), register("2026-02-11")
    assert a.tracking_code == "YS2026000001"
    assert b.tracking_code == "YS2026000002"


def test_correction_flow_restarts_the_clock(register, office):
    clerk = office["clerk"]
    a = register("2026-02-10")
    # when 补正 is requested and later received
    a = steps.correction_request(
        actor=clerk, application=a, items="请说明项目名称", until=D("2026-03-06"), date=D("2026-02-12")
    )
    assert a.status == Status.AWAITING_CORRECTION
    assert a.reply_due is None  # waiting for the applicant
    assert a.letters.filter(kind=LetterKind.CORRECTION).count() == 1
    a = steps.correction_receive(actor=clerk, application=a, date=D("2026-03-02"))
    # then the reply period runs 20 working days from the corrected application
    assert a.status == Status.IN_PROGRESS
    assert a.reply_due == D("2026-03-30")
    # and a second 补正 is refused (一次性告知)
    with pytest.raises(ValidationError, match="一次性"):
        steps.correction_request(
            actor=clerk, application=a, items="再补", until=D("2026-04-06"), date=D("2026-03-03")
        )


def test_deemed_abandoned_only_after_the_deadline(register, office):
    clerk = office["clerk"]
    a = register("2026-02-10")
    steps.correction_request(
        actor=clerk, application=a, items="请说明", until=D("2026-03-06"), date=D("2026-02-12")
    )
    with pytest.raises(ValidationError, match="尚未届满"):
        steps.correction_abandoned(actor=clerk, application=a, date=D("2026-03-06"))
    a = steps.correction_abandoned(actor=clerk, application=a, date=D("2026-03-09"))
    assert (a.status, a.outcome, a.closed_on) == (Status.ABANDONED, Outcome.NO_CORRECTION, D("2026-03-09"))
    assert a.letters.filter(kind=LetterKind.REPLY).exists()


def test_extension_needs_approver_and_moves_the_due_date(register, office):
    # The named-approver flow: the organisation does not apply 双人审核 (see test_four_eyes.py for the rule).
    Organisation.objects.filter(pk=office["org"].pk).update(four_eyes=False)
    clerk = office["clerk"]
    a = register("2026-02-10")
    with pytest.raises(ValidationError, match="批准人"):
        extensions.extension_approve(
            actor=clerk, application=a, days=20, approved_by=" ", reason="量大", date=D("2026-03-10")
        )
    a = extensions.extension_approve(
        actor=clerk, application=a, days=20, approved_by="李主任", reason="量大", date=D("2026-03-10")
    )
    assert a.reply_due == D("2026-04-14")
    assert any("李主任" in step for step in a.deadline_steps)
    assert a.letters.filter(kind=LetterKind.EXTENSION).count() == 1
    with pytest.raises(ValidationError):
        extensions.extension_approve(
            actor=clerk, application=a, days=1, approved_by="李主任", reason="再延", date=D("2026-03-11")
        )


def test_consultation_pauses_the_reply_clock(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    before = a.reply_due
    a = consultations.consultation_send(actor=clerk, application=a, party="某公司", date=D("2026-03-04"))
    a = consultations.consultation_answer(actor=clerk, application=a, party="某公司", date=D("2026-03-11"))
    # 2026-03-04 … 03-11: six working days stopped — the sending day too, like the fee pause — so the due date
    # moves six working days later (清明 4月4日至6日 skipped)
    assert a.reply_due == D("2026-04-08") and before == D("2026-03-30")
    assert a.letters.filter(kind=LetterKind.CONSULTATION).get().recipient == "某公司："
    with pytest.raises(ValidationError, match="没有向"):
        consultations.consultation_answer(actor=clerk, application=a, party="另一公司", date=D("2026-03-12"))


def test_fee_notice_paid_then_reply(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    notice = fee_notices.fee_notify(
        actor=clerk, application=a, method=FeeMethod.PER_PAGE, pages=150, date=D("2026-03-05")
    )
    a.refresh_from_db()
    assert notice.amount == 1700 and "(100−30)×10" in notice.computation
    assert a.status == Status.AWAITING_FEE and a.fee_due is not None and a.reply_due is None
    with pytest.raises(ValidationError, match="一种计收方式"):
        fee_notices.fee_notify(
            actor=clerk, application=a, method=FeeMethod.PER_APPLICATION, date=D("2026-03-06")
        )
    a = fee_notices.fee_paid(actor=clerk, application=a, date=D("2026-03-10"))
    assert a.status == Status.IN_PROGRESS and a.reply_due is not None
    assert FeeNotice.objects.get().state == FeeNotice.State.PAID


def test_fee_per_application_free_for_first_ten_is_refused(register, office):
    a = register("2026-03-02")
    with pytest.raises(ValidationError, match="不收费"):
        fee_notices.fee_notify(
            actor=office["clerk"], application=a, method=FeeMethod.PER_APPLICATION, date=D("2026-03-05")
        )


def test_fee_per_application_counts_the_month(register, office):
    # given the same applicant's 11th application in March
    for _ in range(10):
        register("2026-03-02")
    a = register("2026-03-03")
    notice = fee_notices.fee_notify(
        actor=office["clerk"], application=a, method=FeeMethod.PER_APPLICATION, date=D("2026-03-05")
    )
    assert (notice.quantity, notice.amount) == (11, 100)


def test_fee_unpaid_closes_with_outcome_6_2(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    fee_notices.fee_notify(
        actor=clerk, application=a, method=FeeMethod.PER_PAGE, pages=40, date=D("2026-03-05")
    )
    a.refresh_from_db()
    with pytest.raises(ValidationError, match="尚未届满"):
        fee_notices.fee_unpaid(actor=clerk, application=a, date=a.fee_due)
    a = fee_notices.fee_unpaid(actor=clerk, application=a, date=a.fee_due + dt.timedelta(days=1))
    assert (a.status, a.outcome) == (Status.ABANDONED, Outcome.FEE_UNPAID)


# What each reply needs besides its outcome and reasons (services.replies.reply_requirements).
REPLY_DETAILS = {
    "2": {"withheld_grounds": ["3.4"]},
    "3.8": {"other_procedure": "不动产登记资料查询，向某县不动产登记中心申请"},
    "4.1": {"basis": "36.4"},
}


@pytest.mark.parametrize("outcome", sorted(replies.REPLY_OUTCOMES - {Outcome.STILL_UNCLEAR}))
def test_reply_sets_exactly_one_outcome_and_drafts_the_letter(register, office, outcome):
    a = register("2026-03-02")
    if outcome == Outcome.EXCESSIVE:
        steps.reasons_request(
            actor=office["clerk"], application=a, until=D("2026-03-10"), date=D("2026-03-03")
        )
    a = replies.application_reply(
        actor=office["clerk"],
        application=a,
        outcome=outcome,
        summary="说明",
        date=D("2026-03-20"),
        **REPLY_DETAILS.get(outcome, {}),
    )
    assert (a.status, a.outcome, a.closed_on) == (Status.REPLIED, outcome, D("2026-03-20"))
    letter = Letter.objects.get(application=a, kind=LetterKind.REPLY)
    assert "11010519491231002X" not in letter.body and "002X" not in letter.body
    assert "行政复议" in letter.body


@pytest.mark.parametrize("outcome", [Outcome.NO_CORRECTION, Outcome.FEE_UNPAID, "9.9"])
def test_reply_refuses_outcomes_from_other_paths(register, office, outcome):
    a = register("2026-03-02")
    with pytest.raises(ValidationError):
        replies.application_reply(actor=office["clerk"], application=a, outcome=outcome, date=D("2026-03-20"))
    a.refresh_from_db()
    assert a.status == Status.REGISTERED and a.outcome == ""


def test_still_unclear_needs_a_received_correction(register, office):
    a = register("2026-03-02")
    with pytest.raises(ValidationError, match="补正"):
        replies.application_reply(
            actor=office["clerk"], application=a, outcome=Outcome.STILL_UNCLEAR, date=D("2026-03-20")
        )


def test_withdraw_closes_with_6_3_and_close_archives(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    a = steps.application_withdraw(actor=clerk, application=a, date=D("2026-03-04"))
    assert (a.status, a.outcome, a.closed_on) == (Status.WITHDRAWN, Outcome.OTHER, D("2026-03-04"))
    a = steps.application_close(actor=clerk, application=a, date=D("2026-03-05"))
    assert a.status == Status.CLOSED
    with pytest.raises(ValidationError, match="已办结"):
        replies.application_reply(actor=clerk, application=a, outcome=Outcome.DISCLOSED, date=D("2026-03-06"))


def test_every_change_is_audited(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    extensions.extension_approve(  # 双人审核: the reviewer approves the extension in the system
        actor=office["reviewer"],
        application=a,
        days=5,
        approved_by="李主任",
        reason="量大",
        date=D("2026-03-10"),
    )
    replies.application_reply(
        actor=clerk,
        application=a,
        outcome=Outcome.PARTIAL,
        summary="涉及个人隐私",
        withheld_grounds=["3.4"],
        date=D("2026-03-20"),
    )
    assert audit_count(a) == 3  # created, extended, replied
    assert a.events.count() == 3


def test_dates_before_receipt_or_in_the_future_are_refused(register, office):
    a = register("2026-03-02")
    with pytest.raises(ValidationError, match="早于"):
        replies.application_reply(actor=office["clerk"], application=a, outcome="1", date=D("2026-03-01"))
    with pytest.raises(ValidationError, match="晚于今天"):
        replies.application_reply(
            actor=office["clerk"], application=a, outcome="1", date=dt.date.today() + dt.timedelta(days=2)
        )


def test_status_table_covers_every_status():
    assert set(machine.ALLOWED_TRANSITIONS) == set(Status.values)
    assert machine.ALLOWED_TRANSITIONS[Status.CLOSED] == frozenset()
