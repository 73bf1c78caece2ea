"""Tests for the generated paragraphs: facts from the records that agree with the tables."""

import datetime as dt

import pytest

from gongkai.applications.tests.factories import ApplicationFactory, RemedyCaseFactory
from gongkai.applications.vocab import ApplicantType, Channel
from gongkai.orgs.tests.factories import OrganisationFactory
from gongkai.reports import definitions as d
from gongkai.reports.checks import check_document
from gongkai.reports.compute import compute_report
from gongkai.reports.narrative import generated_paragraphs, html_to_text
from gongkai.reports.tests.factories import FeeNoticeFactory

pytestmark = pytest.mark.django_db


def test_paragraphs_state_the_records_and_agree_with_the_tables():
    # given a year with applications by two channels, one replied late, one carried over, and a review case
    org = OrganisationFactory()
    day = dt.date(2022, 3, 1)
    first = ApplicationFactory(
        org=org, received_on=day, channel=Channel.INTERNET, replied=True, reply_due=dt.date(2022, 3, 29)
    )
    ApplicationFactory(
        org=org,
        received_on=day,
        channel=Channel.POST,
        applicant_type=ApplicantType.COMMERCIAL,
        outcome="2",
        closed_on=dt.date(2022, 5, 1),
        reply_due=dt.date(2022, 3, 29),
    )
    ApplicationFactory(org=org, received_on=dt.date(2022, 12, 28), channel=Channel.INTERNET)
    RemedyCaseFactory(org=org, filed_on=dt.date(2022, 6, 1))
    FeeNoticeFactory(application=first)
    doc = compute_report(org, 2022).doc
    # when the paragraphs are generated
    text = generated_paragraphs(org, 2022, "self", doc)
    # then they state the facts
    assert "共收到政府信息公开申请3件，上年结转0件，其中自然人2件、商业企业1件" in text["三"]
    assert "邮寄1件" in text["三"] and "互联网渠道2件" in text["三"]
    assert "超过法定期限答复1件" in text["三"]
    assert "“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”1件" in text["三"]
    assert "被申请行政复议1件" in text["四"]
    assert "收取信息处理费1笔，共计100.00元" in text["六"]
    # and inserted into the sections they raise no finding
    doc["sections"] = {n: "无。" for n in d.SECTION_NUMBERS} | text
    assert [f for f in check_document(doc) if f.cells[0].startswith("sections")] == []


def test_no_fee_paragraph():
    org = OrganisationFactory()
    doc = compute_report(org, 2022).doc
    assert generated_paragraphs(org, 2022, "self", doc)["六"] == "2022年，未收取政府信息公开信息处理费。"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>一段</p><p>二段 &amp; 三</p>", "一段\n二段 & 三"),
        ("<ul><li>甲</li><li>乙</li></ul>", "甲\n乙"),
        ("第一行<br>第二行", "第一行\n第二行"),
        (
            "<table><tr><th>项目</th><th>数量</th></tr><tr><td>规章</td><td>3</td></tr></table>",
            "项目\t数量\n规章\t3",
        ),
        ("", ""),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text
