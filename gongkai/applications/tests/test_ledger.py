"""Ledger import/export: all-or-nothing, every bad row reported, round trip, seed 001 (洛江区 2020)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gongkai.applications.ledger import (
    export_applications,
    export_remedies,
    import_applications,
    import_remedies,
)
from gongkai.applications.models import Application, RemedyCase
from gongkai.applications.vocab import RemedyKind, RemedyResult
from gongkai.core.actors import SYSTEM_TEST

pytestmark = pytest.mark.django_db
HEADER = "收到日期,申请渠道,申请人类型,申请人,申请内容,办理结果,答复日期\n"

# Seed 001: 洛江区 2020 — nine applications (7 自然人, 2 其他), six 予以公开 (4 + 2), three 本机关不掌握
# (自然人); one lawsuit without prior review whose result was corrected.
SEED_001 = HEADER + "\n".join(
    [f"2020-0{m}-1{m},当面提交,自然人,申请人{m},信息{m},予以公开,2020-0{m}-2{m}" for m in range(1, 5)]
    + [
        f"2020-0{m}-0{m},邮寄,自然人,申请人{m},信息{m},本机关不掌握相关政府信息,2020-0{m}-2{m}"
        for m in range(5, 8)
    ]
    + ["2020-08-03,互联网渠道,其他,某村委会,村道资金,（一）予以公开,2020-08-20"]
    + ["2020年9月1日,电子邮件,其他,某协会,协会资料,予以公开,2020年9月15日"]
)
SEED_001_REMEDIES = "类型,收到日期,结果,审结日期,关联申请\n未经复议直接起诉,2020-06-01,结果纠正,2020-11-30,\n"


def test_seed_001_imports_to_its_table_three_and_four(office):
    # given the seed's ledger, when imported
    org = office["org"]
    r1 = import_applications(actor=office["clerk"], org=org, data=SEED_001.encode(), filename="001.csv")
    r2 = import_remedies(actor=office["clerk"], org=org, data=SEED_001_REMEDIES.encode(), filename="001r.csv")
    assert r1.ok and r2.ok, (r1.summary(), r2.summary())
    # then the 2020 figures are those of the published report (一 9 = 三（七） 9, 四 0)
    apps = Application.objects.filter(org=org)
    new = Counter(apps.filter(received_on__year=2020).values_list("applicant_type", flat=True))
    assert new == {"natural": 7, "other": 2}
    closed = Counter(apps.filter(closed_on__year=2020).values_list("applicant_type", "outcome"))
    assert closed == {("natural", "1"): 4, ("natural", "4.1"): 3, ("other", "1"): 2}
    assert not apps.filter(closed_on__isnull=True).exists()
    case = RemedyCase.objects.get(org=org)
    assert (case.kind, case.result) == (RemedyKind.SUIT_DIRECT, RemedyResult.CORRECTED)


def test_bad_rows_are_all_reported_and_nothing_is_imported(office):
    data = HEADER + "\n".join(
        [
            "2026-03-02,当面提交,自然人,张三,甲,予以公开,2026-03-10",
            "2026-02-30,飞鸽,法人,李四,,不知道,",
            "2026-03-05,当面提交,自然人,王五,乙,,2026-03-10",
            "2026-03-05,当面提交,商业企业,某公司,丙,予以公开,2026-03-01",
        ]
    )
    result = import_applications(
        actor=office["clerk"], org=office["org"], data=data.encode(), filename="x.csv"
    )
    where = {(e.row, e.column) for e in result.errors}
    assert where == {
        (3, "收到日期"), (3, "申请渠道"), (3, "申请人类型"), (3, "申请内容"), (3, "办理结果"), (3, "答复日期"),
        (4, "办理结果"), (5, "答复日期"),
    }  # fmt: skip
    assert Application.objects.count() == 0
    assert "未导入任何记录" in result.summary()


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("其他处理", "6.3"),
        ("其他", "6.3"),
        ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "6.1"),
        ("申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其政府信息公开申请", "6.2"),
        ("部分公开", "2"),
        ("3.危及“三安全一稳定”", "3.3"),
        ("属于国家秘密", "3.1"),
    ],
)
def test_outcome_labels_accepted(office, label, code):
    data = HEADER + f"2026-03-02,当面提交,自然人,张三,甲,{label},2026-03-10\n"
    result = import_applications(
        actor=office["clerk"], org=office["org"], data=data.encode(), filename="x.csv"
    )
    assert result.ok, result.summary()
    assert Application.objects.get().outcome == code


def test_dry_run_writes_nothing(office):
    result = import_applications(
        actor=office["clerk"], org=office["org"], data=SEED_001.encode(), filename="a.csv", dry_run=True
    )
    assert result.ok and result.rows == 9 and Application.objects.count() == 0


def test_missing_column_is_reported(office):
    result = import_applications(
        actor=office["clerk"], org=office["org"], data="收到日期\n2026-01-01\n".encode(), filename="a.csv"
    )
    assert not result.ok and "缺少列" in str(result.errors[0])


def test_import_needs_edit_permission(office):
    with pytest.raises(PermissionDenied):
        import_applications(
            actor=office["supervisor"], org=office["org"], data=SEED_001.encode(), filename="a.csv"
        )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_round_trips(office, fmt):
    org = office["org"]
    import_applications(actor=SYSTEM_TEST, org=org, data=SEED_001.encode(), filename="a.csv")
    import_remedies(actor=SYSTEM_TEST, org=org, data=SEED_001_REMEDIES.encode(), filename="r.csv")
    exported = export_applications(org=org, fmt=fmt)
    remedies = export_remedies(org=org, fmt=fmt)
    before = sorted(Application.objects.values_list("received_on", "applicant_type", "outcome", "closed_on"))
    Application.objects.all().delete()
    RemedyCase.objects.all().delete()
    assert import_applications(actor=SYSTEM_TEST, org=org, data=exported, filename=f"a.{fmt}").ok
    assert import_remedies(actor=SYSTEM_TEST, org=org, data=remedies, filename=f"r.{fmt}").ok
    after = sorted(Application.objects.values_list("received_on", "applicant_type", "outcome", "closed_on"))
    assert before == after and RemedyCase.objects.count() == 1


def test_remedy_rows_checked(office):
    data = "类型,收到日期,结果,审结日期,关联申请\n行政诉讼,2026-01-01,结果维持,,YS0\n行政复议,2026-02-01,,2026-03-01,\n"
    result = import_remedies(actor=SYSTEM_TEST, org=office["org"], data=data.encode(), filename="r.csv")
    assert {(e.row, e.column) for e in result.errors} == {
        (2, "类型"),
        (2, "审结日期"),
        (2, "关联申请"),
        (3, "结果"),
    }
    assert RemedyCase.objects.count() == 0


def test_imported_applications_are_closed_with_deadlines(office):
    import_applications(actor=SYSTEM_TEST, org=office["org"], data=SEED_001.encode(), filename="a.csv")
    a = Application.objects.order_by("received_on").first()
    assert a.received_on == dt.date(2020, 1, 11) and a.reply_due is not None


def test_xlsx_with_named_sheets(office):
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    first.title = "表二"
    first.append(["年度", "项目", "指标", "数值"])
    apps = wb.create_sheet("申请")
    for line in SEED_001.splitlines():
        apps.append(line.split(","))
    remedies = wb.create_sheet("复议诉讼")
    for line in SEED_001_REMEDIES.splitlines():
        remedies.append(line.split(","))
    import io

    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    assert (
        len(
            import_applications(actor=SYSTEM_TEST, org=office["org"], data=data, filename="台账.xlsx").created
        )
        == 9
    )
    assert (
        len(import_remedies(actor=SYSTEM_TEST, org=office["org"], data=data, filename="台账.xlsx").created)
        == 1
    )


def test_unreadable_file_is_reported_not_raised(office):
    result = import_applications(
        actor=office["clerk"], org=office["org"], data=b"\x00\x01junk", filename="ledger.csv"
    )
    assert not result.ok
    assert "二进制" in str(result.errors[0]) and not str(result.errors[0]).startswith("第 0 行")


def test_an_import_bumps_the_public_pages_once_not_once_per_row(office, monkeypatch):
    # given a ledger of nine rows received in a year already over (they may sit in a published report's chart)
    from gongkai.applications.services import intake

    bumps: list[tuple] = []
    monkeypatch.setattr(intake, "org_pages_changed", lambda *orgs: bumps.append(orgs))
    result = import_applications(
        actor=office["clerk"], org=office["org"], data=SEED_001.encode(), filename="a.csv"
    )
    # then the organisation's pages are marked changed once for the whole import
    assert result.ok and len(result.created) == 9
    assert bumps == [(office["org"],)]
    # and a dry run, or a ledger of this year only, marks nothing
    bumps.clear()
    import_applications(
        actor=office["clerk"], org=office["org"], data=SEED_001.encode(), filename="a.csv", dry_run=True
    )
    this_year = timezone.localdate().year
    current = HEADER + f"{this_year}-01-01,当面提交,自然人,张三,甲,予以公开,{this_year}-01-01\n"
    assert import_applications(
        actor=office["clerk"], org=office["org"], data=current.encode(), filename="b.csv"
    ).ok
    assert bumps == []
