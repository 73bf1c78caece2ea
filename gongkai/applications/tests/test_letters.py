"""Letters: the right article per outcome, the 2024 复议前置 rule, editing until issued, DOCX and PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongkai.applications.letters import letter_update, render_docx, render_pdf
from gongkai.applications.models import Letter
from gongkai.applications.reply_letter import remedy_paragraph
from gongkai.applications.services import consultations, extensions, fee_notices, replies, steps
from gongkai.applications.vocab import OUTCOME_ARTICLES, FeeMethod, LetterKind

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


REASONS = {"summary": "理由"}


# Running-text citation style 「第三十六条第二项」 (legal-basis.md §6; the old 「第（二）项」 expectations were wrong).
@pytest.mark.parametrize(
    ("outcome", "article", "details"),
    [("1", "第三十六条第二项", {}), ("2", "第三十七条", {**REASONS, "withheld_grounds": ["3.6"]}),
     ("3.1", "第十四条", REASONS), ("3.4", "第十五条", REASONS), ("3.6", "第十六条第二款", REASONS),
     ("4.1", "第三十六条第四项", {"basis": "36.4"}), ("4.2", "第三十八条", {}), ("5.1", "第三十九条第一款", {}),
     ("5.4", "第三十五条", {})],
)  # fmt: skip
def test_reply_letter_cites_the_article(register, office, outcome, article, details):
    a = register("2026-03-02")
    if outcome == "5.4":  # W1: only after asking for reasons
        steps.reasons_request(
            actor=office["clerk"], application=a, until=D("2026-03-10"), date=D("2026-03-03")
        )
    replies.application_reply(
        actor=office["clerk"], application=a, outcome=outcome, date=D("2026-03-20"), **details
    )
    letter = Letter.objects.get(application=a, kind=LetterKind.REPLY)
    assert article in letter.body and OUTCOME_ARTICLES[outcome].split("、")[0] in letter.body
    assert "第（" not in letter.body


@pytest.mark.parametrize(
    ("outcome", "on", "review_first"),
    [
        ("3.6", "2024-01-01", True),
        ("3.6", "2023-12-29", False),
        ("1", "2026-03-20", False),
        ("4.1", "2026-03-20", False),
    ],
)
def test_remedy_paragraph_2024_rule(register, office, outcome, on, review_first):
    a = register("2026-03-02")
    a.outcome = outcome
    text = remedy_paragraph(a, on=D(on))
    assert ("应当先向测试市人民政府申请行政复议" in text) is review_first
    # I2: the court is named only for the direct suit; after 复议 「依法向人民法院提起行政诉讼」
    assert ("测试县人民法院" in text) is not review_first
    if not review_first:
        assert "六个月内向测试县人民法院提起行政诉讼" in text
    else:
        assert "十五日内依法向人民法院提起行政诉讼" in text


def test_all_letter_kinds_are_drafted_without_id_numbers(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    consultations.consultation_send(actor=clerk, application=a, party="某公司", date=D("2026-03-03"))
    consultations.consultation_answer(actor=clerk, application=a, party="某公司", date=D("2026-03-05"))
    extensions.extension_approve(  # 双人审核: the reviewer approves the extension in the system
        actor=office["reviewer"], application=a, days=5, reason="量大", date=D("2026-03-06")
    )
    fee_notices.fee_notify(
        actor=clerk, application=a, method=FeeMethod.PER_PAGE, pages=120, date=D("2026-03-09")
    )
    fee_notices.fee_paid(actor=clerk, application=a, date=D("2026-03-12"))
    replies.application_reply(actor=clerk, application=a, outcome="1", date=D("2026-03-20"))
    letters = {letter.kind: letter for letter in a.letters.all()}
    assert set(letters) == {"consultation", "extension", "fee_notice", "reply"}
    assert "第三十二条" in letters["consultation"].body and "张三" not in letters["consultation"].body
    assert "第三十三条第二款" in letters["extension"].body
    assert (
        "1100.00元" in letters["fee_notice"].body
        and "(100−30)×10 + (120−100)×20" in letters["fee_notice"].body
    )
    for letter in letters.values():
        assert "11010519491231002X" not in letter.body and "13800138000" not in letter.body


def test_correction_letter_and_renderings(register, office):
    a = register("2026-03-02")
    steps.correction_request(
        actor=office["clerk"], application=a, items="请写明文号", until=D("2026-03-20"), date=D("2026-03-04")
    )
    letter = a.letters.get()
    assert "第三十条" in letter.body and "2026年3月20日" in letter.body
    assert render_pdf(letter)[:5] == b"%PDF-"
    assert render_docx(letter)[:2] == b"PK"


def test_issued_letter_is_frozen(register, office):
    from gongkai.applications.letters import letter_issue

    a = register("2026-03-02")
    replies.application_reply(actor=office["clerk"], application=a, outcome="1", date=D("2026-03-20"))
    letter = a.letters.get()
    # an edit that keeps the mandatory blocks (W2) may be issued
    letter_update(actor=office["clerk"], letter=letter, body=letter.body + "\n附：政府信息一份")
    letter_issue(actor=office["clerk"], letter=letter)
    with pytest.raises(ValidationError, match="已出具"):
        letter_update(actor=office["clerk"], letter=letter, body="再改")
