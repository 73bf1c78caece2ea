"""What a reply must state (issue 13): 复议前置 for 部分公开's withheld part, reasons with their article, the
第三十六条第一/四/五/七项 letters, 第三十四条 consultation, the derived 复议机关, and the README outcome table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from gongkai.applications.clocks import Consulted
from gongkai.applications.letters import letter_issue, letter_update
from gongkai.applications.models import Application, Letter
from gongkai.applications.reply_letter import REPLY_GIST, outcome_table, remedy_paragraph
from gongkai.applications.services import consultations, replies, steps
from gongkai.applications.vocab import REVIEW_FIRST_SCOPE, LetterKind, Outcome, ReplyBasis
from gongkai.orgs.models import Level, OrgKind
from gongkai.orgs.review_bodies import derived_review_body, review_body_name
from gongkai.orgs.tests.factories import OrganisationFactory
from gongkai.reports.compute import table3_counts
from gongkai.reports.definitions import FORMATS

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
REVIEW_FIRST = "根据《中华人民共和国行政复议法》第二十三条第一款第四项和第二款的规定，应当先向"
README = Path(__file__).resolve().parents[1] / "README.md"


def _reply(office, a, outcome, **kw):
    replies.application_reply(
        actor=office["clerk"], application=a, outcome=outcome, date=D("2026-03-20"), **kw
    )
    return Letter.objects.get(application=a, kind=LetterKind.REPLY)


# --- 1 and 5: 部分公开 ---------------------------------------------------------------------------


def test_partial_reply_without_reasons_cannot_be_issued(register, office):
    # given an application in progress
    a = register("2026-03-02")
    # when it is answered 部分公开 without reasons, or without the 第十四至十六条 ground of the withheld part
    with pytest.raises(ValidationError, match="须写明不予公开的理由"):
        replies.application_reply(
            actor=office["clerk"], application=a, outcome="2", withheld_grounds=["3.4"], date=D("2026-03-20")
        )
    with pytest.raises(ValidationError, match="不予公开部分所依据的情形"):
        replies.application_reply(
            actor=office["clerk"], application=a, outcome="2", summary="涉及个人隐私", date=D("2026-03-20")
        )
    # then nothing was recorded, and no letter drafted
    a.refresh_from_db()
    assert (a.outcome, a.closed_on, a.letters.count()) == ("", None, 0)


@pytest.mark.parametrize("outcome", ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7"])
def test_every_withholding_reply_needs_reasons(register, office, outcome):
    a = register("2026-03-02")
    with pytest.raises(ValidationError, match="须写明不予公开的理由"):
        replies.application_reply(actor=office["clerk"], application=a, outcome=outcome, date=D("2026-03-20"))
    letter = _reply(office, a, outcome, summary="具体理由甲")
    assert "不予公开。理由如下：" in letter.body and "具体理由甲" in letter.body
    assert REVIEW_FIRST in letter.body


def test_a_letter_whose_reasons_were_lost_is_not_issued(register, office):
    # given a 部分公开 reply whose recorded reasons were later emptied (e.g. by a data fix)
    a = register("2026-03-02")
    letter = _reply(office, a, "2", summary="涉及个人隐私", withheld_grounds=["3.4"])
    Application.objects.filter(pk=a.pk).update(reply_summary="")
    # then issuing the letter is refused with the same message
    with pytest.raises(ValidationError, match="须写明不予公开的理由"):
        letter_issue(actor=office["clerk"], letter=letter)


def test_partial_letter_states_review_first_for_the_withheld_part(register, office):
    a = register("2026-03-02")
    letter = _reply(office, a, "2", summary="身份证号码属于个人隐私。", withheld_grounds=["3.6", "3.4"])
    body = letter.body
    # the reasons with their article, per ground, in 表三 order
    assert "其中涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害的内容，根据《中华人民共和国政府信息公开条例》第十五条的规定不予公开。" in body  # fmt: skip
    assert "第十六条第二款的规定不予公开" in body and "身份证号码属于个人隐私。" in body
    assert body.index("第十五条") < body.index("第十六条第二款")
    # 复议前置 for the withheld part, the general remedy for the rest
    assert f"如对本答复中不予公开的部分不服，{REVIEW_FIRST}测试市人民政府申请行政复议" in body
    assert "对本答复的其他内容不服的，可以自收到本告知书之日起六十日内向测试市人民政府申请行政复议，或者自收到本告知书之日起六个月内向测试县人民法院提起行政诉讼。" in body  # fmt: skip
    letter_issue(actor=office["clerk"], letter=letter)


def test_remedy_after_review_covers_a_review_body_that_does_not_decide(register, office):
    a = register("2026-03-02")
    a.outcome = "3.6"
    text = remedy_paragraph(a, on=D("2026-03-20"))
    assert "可以自收到本告知书之日起六十日内提出（《中华人民共和国行政复议法》第二十条）" in text
    assert "可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼" in text
    assert "行政复议机关逾期不作决定的，可以自复议期满之日起十五日内依法向人民法院提起行政诉讼" in text
    assert "第四十五条" in text and "六十日内作出" not in text
    # I1: 复议法第三十四条 (不予受理、驳回申请); I2: no court named after 复议 (the 复议机关 may be a co-defendant)
    assert (
        "行政复议机关决定不予受理、驳回申请的，可以自收到决定书之日起十五日内依法向人民法院提起行政诉讼"
        "（《中华人民共和国行政复议法》第三十四条）。"
    ) in text
    assert "测试县人民法院" not in text
    # before 2024-01-01 the general remedy, for 部分公开 too
    a.outcome = "2"
    assert REVIEW_FIRST not in remedy_paragraph(a, on=D("2023-12-29"))


# --- 3: 表三（四）1 covers 第三十六条第四项 and 第五项 ---------------------------------------------------


def test_not_held_needs_its_basis(register, office):
    a = register("2026-03-02")
    with pytest.raises(ValidationError, match="须选择答复依据"):
        replies.application_reply(actor=office["clerk"], application=a, outcome="4.1", date=D("2026-03-20"))
    with pytest.raises(ValidationError, match="不适用于"):
        replies.application_reply(
            actor=office["clerk"], application=a, outcome="4.1", basis="36.1", date=D("2026-03-20")
        )
    with pytest.raises(ValidationError, match="须说明理由"):
        replies.application_reply(
            actor=office["clerk"], application=a, outcome="4.1", basis="36.5", date=D("2026-03-20")
        )
    letter = _reply(office, a, "4.1", basis=ReplyBasis.NOT_EXIST)
    assert "第三十六条第四项" in letter.body and "告知您该政府信息不存在" in letter.body
    assert REVIEW_FIRST not in letter.body


def test_referral_letter_names_the_responsible_agency_and_counts_in_row_4_1(register, office, org_tree):
    # given a responsible agency in the deployment with its contact details
    police = OrganisationFactory(
        name="测试县公安局", parent=org_tree["own"], level=Level.COUNTY, kind=OrgKind.DEPARTMENT,
        office_name="测试县公安局办公室", phone="0571-110", address="测试县人民路1号",
    )  # fmt: skip
    # when one application is answered 第三十六条第五项 picking that agency, one 第四项, one 第五项 with none known
    a, b, c = register("2026-03-02"), register("2026-03-03"), register("2026-03-04")
    letter = _reply(
        office, a, "4.1", basis="36.5", summary="户籍信息由公安机关制作和保存。", referral_org=police
    )
    _reply(office, b, "4.1", basis="36.4")
    unknown = _reply(office, c, "4.1", basis="36.5", summary="本机关不负责该信息。")
    # then the referral letter says why and names the agency with its contact
    assert (
        "不属于本机关负责公开的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第五项的规定"
        in letter.body
    )
    assert "户籍信息由公安机关制作和保存。" in letter.body
    assert "负责公开该政府信息的行政机关为测试县公安局，联系方式：测试县公安局办公室，电话：0571-110，地址：测试县人民路1号。" in letter.body  # fmt: skip
    assert "该政府信息不存在" not in letter.body and "负责公开该政府信息的行政机关为" not in unknown.body
    a.refresh_from_db()
    assert (a.basis, a.referral_org, a.referral_name) == ("36.5", police, "测试县公安局")
    # and all three count in 表三（四）1 through the report
    spec = FORMATS["2021"]
    rows = table3_counts(office["org"], 2026, "2021", "self")
    assert rows[spec.outcome_rows["4.1"]][-1] == 3


def test_referral_name_needs_a_contact(register, office):
    a = register("2026-03-02")
    with pytest.raises(ValidationError, match="联系方式"):
        replies.application_reply(
            actor=office["clerk"], application=a, outcome="4.1", basis="36.5", summary="理由",
            referral_name="某局", date=D("2026-03-20"),
        )  # fmt: skip


# --- 4: 3.8 is not a 第十四至十六条 refusal -------------------------------------------------------------


def test_other_procedure_letter_names_the_procedure_without_review_first(register, office):
    a = register("2026-03-02")
    with pytest.raises(ValidationError, match=r"其他法定查询途径|依照办理的法律、行政法规规定的途径"):
        replies.application_reply(actor=office["clerk"], application=a, outcome="3.8", date=D("2026-03-20"))
    letter = _reply(office, a, "3.8", other_procedure="不动产登记资料查询，向测试县不动产登记中心申请")
    assert "第三十六条第七项" in letter.body
    assert "办理途径：不动产登记资料查询，向测试县不动产登记中心申请。" in letter.body
    assert REVIEW_FIRST not in letter.body and "不予公开" not in letter.body
    assert "如对本答复不服，可以自收到本告知书之日起六十日内" in letter.body
    assert "3.8" not in REVIEW_FIRST_SCOPE


# --- 10: 第三十六条第一项 ---------------------------------------------------------------------------------


def test_already_published_tells_how_to_obtain_it(register, office):
    a = register("2026-03-02")
    with pytest.raises(ValidationError, match="获取该政府信息的方式、途径"):
        replies.application_reply(
            actor=office["clerk"], application=a, outcome="1", basis="36.1", date=D("2026-03-20")
        )
    letter = _reply(office, a, "1", basis="36.1", access_route="测试县人民政府网站“政府信息公开”专栏")
    assert "已经主动公开" in letter.body and "第三十六条第一项" in letter.body
    assert "获取该政府信息的方式、途径：测试县人民政府网站“政府信息公开”专栏。" in letter.body
    assert "现向您提供" not in letter.body


# --- 8: 第三十四条 ---------------------------------------------------------------------------------------


def test_co_producing_agency_gets_the_article_34_letter(register, office):
    a = register("2026-03-02")
    consultations.consultation_send(
        actor=office["clerk"],
        application=a,
        party="测试县发展和改革局",
        consulted=Consulted.AGENCY,
        date=D("2026-03-03"),
        lead_confirmed=True,
    )
    consultations.consultation_send(
        actor=office["clerk"], application=a, party="某公司", date=D("2026-03-03")
    )
    agency = a.letters.get(kind=LetterKind.AGENCY_CONSULTATION)
    third = a.letters.get(kind=LetterKind.CONSULTATION)
    assert agency.recipient == "测试县发展和改革局："
    assert "第三十四条" in agency.body and "逾期未提出意见的，视为同意公开" in agency.body
    assert "本机关为牵头制作机关" in agency.body
    assert "第三十二条" not in agency.body and "商业秘密" not in agency.body
    assert "第三十二条" in third.body and "视为同意公开" not in third.body


# --- 11: the 复议机关 from the org tree (行政复议法第二十四条) --------------------------------------------------


def test_review_body_is_derived_from_the_org_tree(org_tree):
    city, county, dept = org_tree["parent"], org_tree["own"], org_tree["child"]
    town = OrganisationFactory(
        name="某镇人民政府", parent=county, level=Level.TOWNSHIP, kind=OrgKind.GOVERNMENT
    )
    street = OrganisationFactory(
        name="某街道办事处", parent=county, level=Level.TOWNSHIP, kind=OrgKind.AGENCY
    )
    station = OrganisationFactory(
        name="测试县财政局某所", parent=dept, level=Level.COUNTY, kind=OrgKind.AGENCY
    )
    city_dept = OrganisationFactory(name="测试市某局", parent=city, level=Level.CITY, kind=OrgKind.DEPARTMENT)
    other = OrganisationFactory(name="某事业单位", parent=county, level=Level.COUNTY, kind=OrgKind.OTHER)
    expected = {dept: county, county: city, town: county, street: county, station: county, city_dept: city,
                city: None, other: None}  # fmt: skip
    for org, body in expected.items():
        assert derived_review_body(org) == body, org.name
    # the configured value always wins
    dept.review_body = "另设的复议机关"
    assert review_body_name(dept) == "另设的复议机关"
    dept.review_body = ""
    assert review_body_name(dept) == "测试县人民政府"


def test_letter_names_the_derived_review_body_or_is_not_issued(register, office, org_tree):
    # given the county department without a configured 复议机关: the county government is named
    dept = office["org"]
    dept.review_body = ""
    dept.save()
    a = register("2026-03-02")
    letter = _reply(office, a, "3.6", summary="过程性信息")
    assert f"{REVIEW_FIRST}测试县人民政府申请行政复议" in letter.body
    letter_issue(actor=office["clerk"], letter=letter)
    # given an organisation whose 复议机关 cannot be derived (its parent government is missing)
    dept.parent = None
    dept.save()
    b = register("2026-03-03")
    letter = _reply(office, b, "1")
    assert "【行政复议机关未设置】" in letter.body
    with pytest.raises(ValidationError, match="请在机构管理中设置本机关的「行政复议机关」"):
        letter_issue(actor=office["clerk"], letter=letter)
    # once it is set, a draft still holding the placeholder must be corrected first
    dept.review_body = "测试县人民政府"
    dept.save()
    with pytest.raises(ValidationError, match="请改为行政复议机关的名称"):
        letter_issue(actor=office["clerk"], letter=Letter.objects.get(pk=letter.pk))
    letter_update(
        actor=office["clerk"],
        letter=letter,
        body=letter.body.replace("【行政复议机关未设置】", "测试县人民政府"),
    )
    letter_issue(actor=office["clerk"], letter=Letter.objects.get(pk=letter.pk))


# --- the demo ----------------------------------------------------------------------------------


def test_every_demo_partial_letter_states_review_first_and_reasons_with_article():
    from gongkai.backoffice.demo import load_demo

    load_demo(password="Demo#Pass2026x")
    partial = Application.objects.filter(outcome=Outcome.PARTIAL, imported=False)
    assert partial.exists()
    for a in partial:
        letter = a.letters.get(kind=LetterKind.REPLY)
        assert "如对本答复中不予公开的部分不服" in letter.body and REVIEW_FIRST in letter.body, (
            a.tracking_code
        )
        assert "对不予公开的部分说明理由如下：其中" in letter.body and "的规定不予公开。" in letter.body
        assert any(art in letter.body for art in ("第十四条", "第十五条", "第十六条")), a.tracking_code
        assert a.reply_summary and a.reply_summary in letter.body
        assert "第（" not in letter.body
    # 4.1 in the demo: both bases occur; 3.8 names the procedure and has no 复议前置 paragraph
    # (imported ledger rows keep a blank basis: their historical letter is unknown)
    replied = Application.objects.filter(outcome="4.1", imported=False)
    assert set(replied.values_list("basis", flat=True)) == {"36.4", "36.5"}
    for a in Application.objects.filter(outcome="3.8"):
        body = a.letters.get(kind=LetterKind.REPLY).body
        assert "不动产登记" in body and REVIEW_FIRST not in body


# --- README table --------------------------------------------------------------------------------


def test_readme_outcome_table_is_generated_from_the_code():
    table = outcome_table()
    assert table in README.read_text(encoding="utf-8"), (
        "gongkai/applications/README.md: replace the outcome table with reply_letter.outcome_table():\n"
        + table
    )
    # every outcome is in it; 1 and 4.1 once per 第三十六条 item
    codes = [code for code, _ in REPLY_GIST]
    assert set(codes) == set(Outcome.values) and codes.count("1") == 2 and codes.count("4.1") == 2


DETAILS = {
    "1": {"36.1": {"access_route": "某网站"}},
    "2": {"": {"summary": "理由", "withheld_grounds": ["3.4"]}},
    "3.8": {"": {"other_procedure": "某查询途径"}},
    "4.1": {"36.5": {"summary": "理由"}},
}


@pytest.mark.parametrize(
    ("code", "basis"), [k for k in REPLY_GIST if k[0] not in {"4.3", "6.1", "6.2", "6.3"}]
)
def test_each_table_gist_is_in_the_drafted_letter(register, office, code, basis):
    a = register("2026-03-02")
    if code == "5.4":
        steps.reasons_request(
            actor=office["clerk"], application=a, until=D("2026-03-10"), date=D("2026-03-03")
        )
    details = {"summary": "理由", **DETAILS.get(code, {}).get(basis, {})}
    letter = _reply(office, a, code, basis=basis, **details)
    assert REPLY_GIST[(code, basis)] in letter.body
    assert (REVIEW_FIRST in letter.body) is (code in REVIEW_FIRST_SCOPE)


# --- ledger: imported 4.1 rows may lack the basis -------------------------------------------------


def test_ledger_import_takes_an_optional_basis(office):
    from gongkai.applications.ledger import import_applications

    header = "收到日期,申请渠道,申请人类型,申请人,申请内容,办理结果,答复日期,答复依据\n"
    rows = [
        "2025-03-02,当面提交,自然人,甲,信息一,本机关不掌握相关政府信息,2025-03-10,",
        "2025-03-03,当面提交,自然人,乙,信息二,本机关不掌握相关政府信息,2025-03-10,第三十六条第五项",
        "2025-03-04,当面提交,自然人,丙,信息三,予以公开,2025-03-10,已主动公开",
    ]
    result = import_applications(
        actor=office["clerk"], org=office["org"], data=(header + "\n".join(rows)).encode(), filename="a.csv"
    )
    assert result.ok, result.summary()
    got = sorted(Application.objects.values_list("info_title", "basis", "imported"))
    assert got == [("信息一", "", True), ("信息三", "36.1", True), ("信息二", "36.5", True)]
    # a blank basis on an imported row is no obstacle; a basis that does not fit the outcome is reported
    assert replies.reply_requirements(Application.objects.get(info_title="信息一")) == {}
    bad = header + "2025-03-05,当面提交,自然人,丁,信息四,重复申请,2025-03-10,第三十六条第四项\n"
    result = import_applications(
        actor=office["clerk"], org=office["org"], data=bad.encode(), filename="b.csv"
    )
    assert not result.ok and result.errors[0].column == "答复依据"


def test_vertically_led_bodies_get_no_guessed_review_body(org_tree):
    """行政复议法第二十七条: 海关、金融、外汇管理等垂直领导机关和税务、国家安全机关 → 上一级主管部门 (not in the tree)."""
    county = org_tree["own"]
    tax = OrganisationFactory(
        name="测试县税务局", parent=county, level=Level.COUNTY, kind=OrgKind.DEPARTMENT, review_body=""
    )
    flagged = OrganisationFactory(
        name="测试县某管理局",
        parent=county,
        level=Level.COUNTY,
        kind=OrgKind.DEPARTMENT,
        vertically_led=True,
        review_body="",
    )
    for org in (tax, flagged):
        assert derived_review_body(org) is None, org.name
        assert review_body_name(org) == ""
    flagged.review_body = "某市某管理局"
    assert review_body_name(flagged) == "某市某管理局"
