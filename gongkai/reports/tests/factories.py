"""Factories for reports and 表二 figures, plus the seed 001 records (洛江区 2020)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from gongkai.applications.tests.factories import ApplicationFactory, RemedyCaseFactory
from gongkai.applications.vocab import ApplicantType, RemedyKind, RemedyResult
from gongkai.orgs.models import Organisation
from gongkai.reports.models import Report, ReportStatus, Table2Figure


class Table2FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Table2Figure

    org = factory.SubFactory("gongkai.orgs.tests.factories.OrganisationFactory")
    year = 2020
    item = "第二十条第（五）项"
    row = "行政许可"
    column = "处理决定数量"
    value = Decimal(1)
    text = ""
    source = "审批局统计"


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    org = factory.SubFactory("gongkai.orgs.tests.factories.OrganisationFactory")
    year = 2022
    format = "2021"
    status = ReportStatus.DRAFT
    sections = factory.LazyFunction(lambda: {n: f"<p>第{n}部分。</p>" for n in "一二三四五六"})


# 表二 of seed 001 as (项目 with its block, 指标, 数值) — the figures an office enters.
SEED_001_FIGURES: list[tuple[str, str, str, object]] = [
    ("第二十条第（一）项", "规章", "本年新制作数量", 0),
    ("第二十条第（一）项", "规章", "本年新公开数量", 0),
    ("第二十条第（一）项", "规章", "对外公开总数量", 0),
    ("第二十条第（一）项", "规范性文件", "本年新制作数量", 21),
    ("第二十条第（一）项", "规范性文件", "本年新公开数量", 21),
    ("第二十条第（一）项", "规范性文件", "对外公开总数量", 40),
    ("第二十条第（五）项", "行政许可", "上一年项目数量", 417),
    ("第二十条第（五）项", "行政许可", "本年增/减", 65),
    ("第二十条第（五）项", "行政许可", "处理决定数量", 1125),
    ("第二十条第（五）项", "其他对外管理服务事项", "上一年项目数量", 198),
    ("第二十条第（五）项", "其他对外管理服务事项", "本年增/减", -10),
    ("第二十条第（五）项", "其他对外管理服务事项", "处理决定数量", 150),
    ("第二十条第（六）项", "行政处罚", "上一年项目数量", 800),
    ("第二十条第（六）项", "行政处罚", "本年增/减", -21),
    ("第二十条第（六）项", "行政处罚", "处理决定数量", 127),
    ("第二十条第（六）项", "行政强制", "上一年项目数量", 109),
    ("第二十条第（六）项", "行政强制", "本年增/减", -11),
    ("第二十条第（六）项", "行政强制", "处理决定数量", 65),
    ("第二十条第（八）项", "行政事业性收费", "上一年项目数量", 11),
    ("第二十条第（八）项", "行政事业性收费", "本年增/减", 0),
    ("第二十条第（九）项", "政府集中采购", "采购项目数量", 1166),
    ("第二十条第（九）项", "政府集中采购", "采购总金额", "101647022.75元"),
]


def seed_001_figures_csv() -> bytes:
    lines = ["年度,项目,指标,数值,来源"]
    lines += [f"2020,{item}/{row},{col},{val},区政务服务中心统计" for item, row, col, val in SEED_001_FIGURES]
    return ("\n".join(lines) + "\n").encode()


def seed_001_records(org: Organisation) -> None:
    """Seed 001's 表三/表四 as records: 9 applications received in 2020 and one direct lawsuit, corrected."""
    day = dt.date(2020, 3, 2)
    for _ in range(4):
        ApplicationFactory(org=org, received_on=day, replied=True, outcome="1")
    for _ in range(3):
        ApplicationFactory(org=org, received_on=day, replied=True, outcome="4.1")
    for _ in range(2):
        ApplicationFactory(
            org=org, received_on=day, applicant_type=ApplicantType.OTHER, replied=True, outcome="1"
        )
    RemedyCaseFactory(
        org=org,
        kind=RemedyKind.SUIT_DIRECT,
        filed_on=dt.date(2020, 6, 1),
        result=RemedyResult.CORRECTED,
        closed_on=dt.date(2020, 11, 20),
    )


def seed_001_ledger_xlsx() -> bytes:
    """Seed 001 as one workbook with the sheets 申请 / 复议诉讼 / 表二 (the import_ledger format)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    apps = book.active
    apps.title = "申请"
    apps.append(["收到日期", "申请渠道", "申请人类型", "申请人", "申请内容", "办理结果", "答复日期"])
    for i in range(9):
        kind = "其他" if i >= 7 else "自然人"
        outcome = "本机关不掌握相关政府信息" if 4 <= i < 7 else "予以公开"
        apps.append(
            [
                f"2020-0{1 + i % 9}-10",
                "网络",
                kind,
                f"申请人{i}",
                f"某事项{i}的文件",
                outcome,
                f"2020-0{1 + i % 9}-20",
            ]
        )
    remedies = book.create_sheet("复议诉讼")
    remedies.append(["类型", "收到日期", "结果", "审结日期", "关联申请"])
    remedies.append(["未经复议直接起诉", "2020-06-01", "结果纠正", "2020-11-20", ""])
    figures = book.create_sheet("表二")
    figures.append(["年度", "项目", "指标", "数值", "来源"])
    for item, row, col, val in SEED_001_FIGURES:
        figures.append([2020, f"{item}/{row}", col, val, "区政务服务中心统计"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class FeeNoticeFactory(factory.django.DjangoModelFactory):
    """A paid 信息处理费 notice (国办函〔2020〕109号)."""

    class Meta:
        model = "applications.FeeNotice"

    application = factory.SubFactory(ApplicationFactory)
    method = "per_application"
    quantity = 11
    amount = Decimal("100.00")
    computation = "（11－10）×100元＝100元"
    sent_on = dt.date(2022, 3, 1)
    state = "paid"
    settled_on = dt.date(2022, 3, 10)
