"""The outside legal review of the generated letters: W1–W4 (wrong), I1–I13 (imprecise), S2–S6 (style)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from gongkai.applications.clocks import Consulted
from gongkai.applications.letters import letter_issue, letter_update
from gongkai.applications.models import Application, Letter
from gongkai.applications.selectors import consultation_delivery_pending
from gongkai.applications.services import consultations, fee_notices, replies, steps
from gongkai.applications.vocab import DeliveryForm, DeliveryMethod, FeeMethod, LetterKind, Outcome

from .conftest import request_data

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
ACT = "《中华人民共和国政府信息公开条例》"


def _reply_letter(a: Application) -> Letter:
    return Letter.objects.get(application=a, kind=LetterKind.REPLY)


# --- W1: 第三十五条 不予处理 only after asking for reasons ------------------------------------------------


def test_excessive_reply_needs_a_reasons_request_first(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    # given no request for reasons: 5.4 is refused
    with pytest.raises(ValidationError, match="须先要求申请人说明理由"):
        replies.application_reply(actor=clerk, application=a, outcome="5.4", date=D("2026-03-20"))
    # when reasons are requested with a deadline: the 要求说明理由通知书 is drafted with it
    with pytest.raises(ValidationError, match="说明理由的期限"):
        steps.reasons_request(actor=clerk, application=a, date=D("2026-03-03"))
    steps.reasons_request(actor=clerk, application=a, until=D("2026-03-10"), date=D("2026-03-03"))
    notice = a.letters.get(kind=LetterKind.REASONS_REQUEST)
    assert notice.title == "政府信息公开申请要求说明理由通知书"
    assert (
        "第三十五条" in notice.body and "请您于2026年3月10日（含当日）前向本机关说明申请理由" in notice.body
    )
    # then, before the deadline and without reasons, 5.4 is still refused
    with pytest.raises(ValidationError, match="尚未届满"):
        replies.application_reply(actor=clerk, application=a, outcome="5.4", date=D("2026-03-10"))
    # after the deadline it may be given, and the letter says the reasons never came
    replies.application_reply(actor=clerk, application=a, outcome="5.4", date=D("2026-03-11"))
    body = _reply_letter(a).body
    assert "本机关已于2026年3月3日要求您说明理由，您未在2026年3月10日前说明理由。" in body
    assert "且未能说明合理理由" not in body
    letter_issue(actor=clerk, letter=_reply_letter(a))


def test_excessive_reply_after_unsound_reasons_states_both_dates(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    steps.reasons_request(actor=clerk, application=a, until=D("2026-03-16"), date=D("2026-03-03"))
    steps.reasons_receive(actor=clerk, application=a, date=D("2026-03-06"), note="个人兴趣")
    replies.application_reply(actor=clerk, application=a, outcome="5.4", date=D("2026-03-09"))
    body = _reply_letter(a).body
    assert "本机关已于2026年3月3日要求您说明理由，您于2026年3月6日说明的理由经审查不合理。" in body
    assert f"根据{ACT}第三十五条的规定，本机关不予处理。" in body


def test_excessive_reply_is_refused_once_a_delay_was_set(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    steps.reasons_request(actor=clerk, application=a, until=D("2026-03-09"), date=D("2026-03-03"))
    steps.reasons_receive(actor=clerk, application=a, date=D("2026-03-05"))
    steps.reply_delay_set(
        actor=clerk, application=a, until=D("2026-05-29"), reason="量大", date=D("2026-03-06")
    )
    with pytest.raises(ValidationError, match="认为申请理由合理"):
        replies.application_reply(actor=clerk, application=a, outcome="5.4", date=D("2026-03-20"))


def test_excessive_letter_is_not_issued_when_its_request_was_lost(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    steps.reasons_request(actor=clerk, application=a, until=D("2026-03-09"), date=D("2026-03-03"))
    steps.reasons_receive(actor=clerk, application=a, date=D("2026-03-05"))
    replies.application_reply(actor=clerk, application=a, outcome="5.4", date=D("2026-03-20"))
    a.events.filter(kind__in=["reasons_requested", "reasons_given"]).delete()  # e.g. a data fix
    with pytest.raises(ValidationError, match="须先要求申请人说明理由"):
        letter_issue(actor=clerk, letter=_reply_letter(a))


# --- W2: the mandatory blocks are checked at issue ---------------------------------------------------


def test_issue_refuses_a_letter_whose_reasons_paragraph_was_deleted(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    replies.application_reply(
        actor=clerk, application=a, outcome="2", summary="身份证号码属于个人隐私。", withheld_grounds=["3.4"],
        date=D("2026-03-20"),
    )  # fmt: skip
    letter = _reply_letter(a)
    letter_update(actor=clerk, letter=letter, body=letter.body.replace("身份证号码属于个人隐私。\n", ""))
    with pytest.raises(ValidationError, match="「答复要点或理由」"):
        letter_issue(actor=clerk, letter=letter)
    # the withheld-part sentence with its article is mandatory too
    letter_update(
        actor=clerk, letter=letter, body=_reply_letter(a).body.replace("第十五条的规定不予公开", "规定")
    )
    with pytest.raises(ValidationError, match="不予公开的决定、理由及其依据条款"):
        letter_issue(actor=clerk, letter=letter)


def test_issue_refuses_a_weakened_review_first_paragraph(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    replies.application_reply(
        actor=clerk, application=a, outcome="3.6", summary="过程性信息。", date=D("2026-03-20")
    )
    letter = _reply_letter(a)
    assert "应当先向" in letter.body
    letter_update(actor=clerk, letter=letter, body=letter.body.replace("应当先向", "可以向"))
    with pytest.raises(ValidationError, match="救济途径（行政复议、行政诉讼）"):
        letter_issue(actor=clerk, letter=Letter.objects.get(pk=letter.pk))
    # restoring the text makes it issuable; other edits are free
    letter_update(actor=clerk, letter=letter, body=letter.body.replace("可以向", "应当先向") + "\n附件：无")
    letter_issue(actor=clerk, letter=Letter.objects.get(pk=letter.pk))


def test_issue_refuses_a_letter_without_the_decision_sentence(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    replies.application_reply(actor=clerk, application=a, outcome="4.1", basis="36.4", date=D("2026-03-20"))
    letter = _reply_letter(a)
    letter_update(actor=clerk, letter=letter, body=letter.body.replace("第三十六条第四项", "有关"))
    with pytest.raises(ValidationError, match="答复决定及其依据条款"):
        letter_issue(actor=clerk, letter=letter)


# --- W3: consultation delivery ------------------------------------------------------------------------


def test_consultation_delivery_recorded_later_starts_the_period(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    # given a co-producer consulted by post on Wed 3/4, receipt unknown
    with pytest.raises(ValidationError, match="牵头制作机关"):
        consultations.consultation_send(
            actor=clerk,
            application=a,
            party="测试县发展和改革局",
            consulted=Consulted.AGENCY,
            date=D("2026-03-04"),
        )
    a = consultations.consultation_send(
        actor=clerk, application=a, party="测试县发展和改革局", consulted=Consulted.AGENCY, date=D("2026-03-04"),
        lead_confirmed=True,
    )  # fmt: skip
    # then 待确认送达: no reply due date, the pause stays, no 视为同意公开
    assert consultation_delivery_pending(a) and a.reply_due is None
    assert any("待确认送达" in step for step in a.deadline_steps)
    assert not any("视为同意公开" in step for step in a.deadline_steps)
    with pytest.raises(ValidationError, match="早于发出日期"):
        consultations.consultation_delivery(
            actor=clerk, application=a, party="测试县发展和改革局", delivered=D("2026-03-03")
        )
    with pytest.raises(ValidationError, match="尚未确认送达"):
        consultations.consultation_delivery(
            actor=clerk, application=a, party="某公司", delivered=D("2026-03-06")
        )
    # when its receipt on Fri 3/6 is recorded: 15 working days from 3/9 → 3/27; the reply clock resumes then
    a = consultations.consultation_delivery(
        actor=clerk, application=a, party="测试县发展和改革局", delivered=D("2026-03-06"), note="EMS签收"
    )
    assert not consultation_delivery_pending(a)
    assert any("2026年3月6日（星期五）送达" in step and "2026年3月27日" in step for step in a.deadline_steps)
    # paused 3/4–3/27: 3/3 (1), 3/30–4/3 (6), 清明 4/4–6, 4/7–10 (10), 4/13–17 (15), 4/20–24 (20)
    assert a.reply_due == D("2026-04-24")
    with pytest.raises(ValidationError, match="尚未确认送达"):
        consultations.consultation_delivery(
            actor=clerk, application=a, party="测试县发展和改革局", delivered=D("2026-03-06")
        )


def test_consultation_delivery_through_the_api(client, register, office):
    a = register("2026-03-02")
    client.force_login(office["clerk"])
    c = client
    url = f"/api/applications/{a.tracking_code}/events"
    sent = {"kind": "consultation_sent", "party": "某公司", "date": "2026-03-04"}
    pending = c.post(url, sent, content_type="application/json")
    assert pending.status_code == 201 and pending.json()["consultation_delivery"] == "待确认送达"
    assert pending.json()["reply_due"] is None
    delivered = {"kind": "consultation_delivered", "party": "某公司", "delivered": "2026-03-05"}
    response = c.post(url, delivered, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["reply_due"] is not None and response.json()["consultation_delivery"] == ""


# --- W4: no fee notice after the reply deadline ---------------------------------------------------------


def test_fee_notice_after_the_reply_deadline_is_refused(register, office):
    a = register("2026-03-02")  # reply due 2026-03-30
    assert a.reply_due == D("2026-03-30")
    with pytest.raises(ValidationError, match="应当在政府信息公开申请处理期限内发出"):
        fee_notices.fee_notify(
            actor=office["clerk"], application=a, method=FeeMethod.PER_PAGE, pages=150, date=D("2026-03-31")
        )
    with override_settings(GONGKAI_FEE_NOTICE_WITHIN_REPLY_PERIOD=False):
        fee_notices.fee_notify(
            actor=office["clerk"], application=a, method=FeeMethod.PER_PAGE, pages=150, date=D("2026-03-31")
        )


# --- I3: 6.3 ---------------------------------------------------------------------------------------------


def test_other_reply_needs_its_content_and_a_withdrawal_letter_states_it(register, office):
    from gongkai.applications.letters import letter_draft

    clerk = office["clerk"]
    a = register("2026-03-02")
    with pytest.raises(ValidationError, match="其他"):
        replies.application_reply(actor=clerk, application=a, outcome="6.3", date=D("2026-03-20"))
    b = register("2026-03-02")
    steps.application_withdraw(actor=clerk, application=b, date=D("2026-03-05"))
    letter = letter_draft(actor=clerk, application=Application.objects.get(pk=b.pk), kind=LetterKind.REPLY)
    assert "您已于2026年3月5日撤回申请，本机关终止办理。" in letter.body
    assert "作如下处理：" not in letter.body
    letter_issue(actor=clerk, letter=letter)


# --- I4 and I13: consultations ------------------------------------------------------------------------------


def test_other_agency_letter_has_no_deemed_consent(register, office):
    a = register("2026-03-02")
    consultations.consultation_send(
        actor=office["clerk"], application=a, party="测试县公安局", consulted=Consulted.OTHER_AGENCY,
        date=D("2026-03-04"), delivered=D("2026-03-04"),
    )  # fmt: skip
    letter = a.letters.get(kind=LetterKind.OTHER_AGENCY_CONSULTATION)
    assert "第三十三条第三款" in letter.body and "视为同意" not in letter.body
    assert "第三十四条" not in letter.body and "共同制作" not in letter.body


def test_third_party_objection_adds_article_32_to_a_34_reply(register, office):
    clerk = office["clerk"]
    a, b = register("2026-03-02"), register("2026-03-02")
    for app, objected in ((a, True), (b, False)):
        consultations.consultation_send(actor=clerk, application=app, party="某公司", date=D("2026-03-03"))
        consultations.consultation_answer(
            actor=clerk, application=app, party="某公司", date=D("2026-03-06"), objected=objected
        )
        replies.application_reply(
            actor=clerk, application=app, outcome="3.4", summary="商业秘密。", date=D("2026-03-20")
        )
    assert f"根据{ACT}第十五条、第三十二条的规定" in _reply_letter(a).body
    assert f"根据{ACT}第十五条的规定" in _reply_letter(b).body and "第三十二条" not in _reply_letter(b).body


def test_objection_only_for_third_parties(register, office):
    a = register("2026-03-02")
    consultations.consultation_send(
        actor=office["clerk"],
        application=a,
        party="某局",
        consulted=Consulted.OTHER_AGENCY,
        date=D("2026-03-03"),
    )
    with pytest.raises(ValidationError, match="第三方"):
        consultations.consultation_answer(
            actor=office["clerk"], application=a, party="某局", date=D("2026-03-05"), objected=True
        )


# --- I11: 决定公开告知书（第三方） ----------------------------------------------------------------------------


def test_disclosure_decision_tells_the_third_party_content_and_reasons(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    with pytest.raises(ValidationError, match="书面征求意见"):
        consultations.third_party_disclosure_notice(
            actor=clerk, application=a, party="某公司", content="合同金额", reasons="公益"
        )
    consultations.consultation_send(actor=clerk, application=a, party="某公司", date=D("2026-03-03"))
    consultations.consultation_answer(
        actor=clerk, application=a, party="某公司", date=D("2026-03-06"), objected=True
    )
    with pytest.raises(ValidationError, match="内容和理由"):
        consultations.third_party_disclosure_notice(
            actor=clerk, application=a, party="某公司", content="", reasons="公益"
        )
    letter = consultations.third_party_disclosure_notice(
        actor=clerk,
        application=a,
        party="某公司",
        content="项目合同的金额和工期",
        reasons="涉及重大公共资金使用",
    )
    assert letter.kind == LetterKind.DISCLOSURE_DECISION and letter.recipient == "某公司："
    assert "第三十二条" in letter.body and "不公开可能对公共利益造成重大影响，决定予以公开" in letter.body
    assert "决定公开的政府信息内容：项目合同的金额和工期。" in letter.body
    assert "理由：涉及重大公共资金使用。" in letter.body


# --- I5, S3: the fee notice ------------------------------------------------------------------------------------


def test_fee_notice_prints_the_method_once_and_the_payment_method(register, office):
    a = register("2026-03-02")
    fee_notices.fee_notify(
        actor=office["clerk"], application=a, method=FeeMethod.PER_PAGE, pages=150, date=D("2026-03-05")
    )
    body = a.letters.get(kind=LetterKind.FEE_NOTICE).body
    assert body.count("按量计收") == 1 and "计收方式：按量计收：本件共 150 页" in body
    assert "缴纳方式：缴纳方式请与本机关联系（见下方联系方式）。" in body
    assert "不计入答复期限" not in body


@override_settings(
    GONGKAI_FEE_NOTICE_STATES_PAUSE=True, GONGKAI_FEE_PAYMENT_METHOD="请通过非税收入缴款码缴纳"
)
def test_fee_notice_settings(register, office):
    a = register("2026-03-02")
    fee_notices.fee_notify(
        actor=office["clerk"], application=a, method=FeeMethod.PER_PAGE, pages=150, date=D("2026-03-05")
    )
    body = a.letters.get(kind=LetterKind.FEE_NOTICE).body
    assert "自本通知发出之日至您缴纳费用之日，不计入答复期限；" in body
    assert "缴纳方式：请通过非税收入缴款码缴纳。" in body


# --- I6, I7, I8: 6.2, 4.3 and the 补正 notice ----------------------------------------------------------------


def test_unpaid_letter_states_receipt_and_deadline(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    fee_notices.fee_notify(
        actor=clerk, application=a, method=FeeMethod.PER_PAGE, pages=150, date=D("2026-03-05")
    )
    a.refresh_from_db()
    fee_notices.fee_unpaid(actor=clerk, application=a, date=D("2026-04-09"))
    body = _reply_letter(a).body
    assert (
        "本机关已于2026年3月5日向您发出收费通知，您于2026年3月5日收到，缴费期限至2026年4月2日届满，"
        "您逾期未按收费通知要求缴纳费用。"
    ) in body


def test_still_unclear_letter_and_correction_notice(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    steps.correction_request(
        actor=clerk, application=a, items="请写明文号", until=D("2026-03-16"), date=D("2026-03-03")
    )
    notice = a.letters.get(kind=LetterKind.CORRECTION)
    assert "请您于2026年3月16日（含当日）前对以下事项作出补正" in notice.body
    steps.correction_receive(actor=clerk, application=a, date=D("2026-03-10"))
    replies.application_reply(actor=clerk, application=a, outcome="4.3", date=D("2026-03-20"))
    body = _reply_letter(a).body
    assert (
        f"本机关已于2026年3月3日依照{ACT}第三十条的规定告知您补正申请，并于2026年3月10日收到您补正后的申请；"
        "补正后申请内容仍不明确，本机关无法确定您所需的政府信息，无法提供。"
    ) in body
    assert body.count("特此告知") == 1


# --- S2, S4 ----------------------------------------------------------------------------------------------


def test_referral_letter_says_so_once(register, office):
    a = register("2026-03-02")
    replies.application_reply(
        actor=office["clerk"], application=a, outcome="4.1", basis="36.5", summary="户籍信息由公安机关制作。",
        date=D("2026-03-20"),
    )  # fmt: skip
    body = _reply_letter(a).body
    assert f"根据{ACT}第三十六条第五项的规定，现告知如下，理由如下：" in body and body.count("特此告知") == 1


def test_disclosed_letter_says_how_the_information_is_provided(register, office):
    a = register(
        "2026-03-02",
        request=request_data(delivery_form=DeliveryForm.PAPER, delivery_method=DeliveryMethod.POST),
    )
    replies.application_reply(
        actor=office["clerk"], application=a, outcome=Outcome.DISCLOSED, date=D("2026-03-20")
    )
    body = _reply_letter(a).body
    assert (
        f"根据{ACT}第四十条的规定，本机关按照您申请时选择的获取方式和载体形式提供上述政府信息："
        "以纸质件形式邮寄至您申请时填写的通信地址。"
    ) in body
