"""Demo data: 青山县人民政府's ledgers, 表二 figures and published annual reports for two consecutive years."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.core.actors import SYSTEM_DEMO
from gongkai.orgs.models import Organisation

from . import services, workflow
from .models import Report
from .narrative import generated_paragraphs
from .selectors import document_findings

# 收到日期, 申请渠道, 申请人类型, 申请人, 申请内容, 办理结果, 答复日期 — the county's 台账 of two years.
LEDGER: dict[int, list[tuple[str, str, str, str, str, str, str]]] = {
    2024: [
        ("2024-02-19", "当面提交", "自然人", "陈某", "某村土地征收批复文件", "予以公开", "2024-03-08"),
        ("2024-04-08", "互联网渠道", "自然人", "林某", "某路段拓宽工程立项批复", "予以公开", "2024-04-30"),
        ("2024-05-13", "邮寄", "商业企业", "青山某建材有限公司", "某项目招标文件", "部分公开", "2024-06-05"),
        (
            "2024-07-01",
            "互联网渠道",
            "自然人",
            "黄某",
            "2023年县级财政专项资金分配情况",
            "本机关不掌握相关政府信息",
            "2024-07-19",
        ),
        (
            "2024-09-09",
            "互联网渠道",
            "法律服务机构",
            "某律师事务所",
            "某安置小区规划许可",
            "予以公开",
            "2024-09-27",
        ),
        (
            "2024-11-04",
            "当面提交",
            "自然人",
            "吴某",
            "某信访事项处理结果",
            "信访举报投诉类申请",
            "2024-11-15",
        ),
        ("2024-12-23", "互联网渠道", "自然人", "郑某", "县城区供水管网改造方案", "予以公开", "2025-01-16"),
    ],
    2025: [
        ("2025-03-03", "互联网渠道", "自然人", "王某", "县级国土空间总体规划批复", "予以公开", "2025-03-21"),
        (
            "2025-04-14",
            "当面提交",
            "自然人",
            "刘某",
            "某镇敬老院建设项目资金",
            "没有现成信息需要另行制作",
            "2025-05-09",
        ),
        (
            "2025-06-16",
            "互联网渠道",
            "科研机构",
            "某大学公共管理学院",
            "2024年政务公开考核结果",
            "予以公开",
            "2025-07-04",
        ),
        ("2025-08-11", "邮寄", "自然人", "赵某", "某工程环境影响评价批复", "部分公开", "2025-09-02"),
        (
            "2025-10-20",
            "互联网渠道",
            "社会公益组织",
            "某环保志愿者协会",
            "某河段水质监测数据",
            "予以公开",
            "2025-11-07",
        ),
    ],
}
# 类型, 收到日期, 结果, 审结日期, 关联申请
REMEDIES: dict[int, list[tuple[str, str, str, str, str]]] = {
    2024: [("行政复议", "2024-07-25", "结果维持", "2024-09-20", "")],
    2025: [("未经复议直接起诉", "2025-09-15", "", "", "")],
}
# (项目, 指标, 数值) per year — 2021 format; 规章/行政规范性文件 come from the catalogue.
FIGURES: dict[int, list[tuple[str, str, object]]] = {
    2024: [
        ("行政许可", "本年处理决定数量", 2316),
        ("行政处罚", "本年处理决定数量", 412),
        ("行政强制", "本年处理决定数量", 37),
        ("行政事业性收费", "本年收费金额（单位：万元）", "186.42"),
    ],
    2025: [
        ("行政许可", "本年处理决定数量", 2581),
        ("行政处罚", "本年处理决定数量", 389),
        ("行政强制", "本年处理决定数量", 29),
        ("行政事业性收费", "本年收费金额（单位：万元）", "172.08"),
    ],
}
PUBLISHED_ON = {2024: dt.date(2025, 3, 20), 2025: dt.date(2026, 3, 25)}

SECTIONS: dict[int, dict[str, str]] = {
    2024: {
        "一": "2024年，青山县深入贯彻《中华人民共和国政府信息公开条例》，围绕县委县政府中心工作，持续推进决策、执行、管理、服务、结果公开。"
        "将政务公开工作纳入年度绩效考核，开展社会评议，全年未发生需要责任追究的情形。",
        "二": "全县通过政府门户网站政府信息公开专栏主动公开政府信息，及时更新法定主动公开内容。",
        "五": "存在的主要问题：一是部分单位政策解读形式较为单一；二是基层政务公开专区建设不够均衡。"
        "改进措施：2025年将推广图解、视频等多种解读形式，并对乡镇政务公开专区开展专项检查。",
    },
    2025: {
        "一": "2025年，青山县以提升政务公开质量为重点，完善主动公开目录，规范依申请公开办理流程。"
        "继续将政务公开纳入绩效考核，组织社会评议，全年未发生需要责任追究的情形。",
        "二": "全县主动公开政府信息目录已覆盖各乡镇和县直部门，重点领域信息按时更新。",
        "五": "上年问题改进情况：已在12个县直部门推行图解、视频解读，完成全部乡镇政务公开专区检查并整改到位。"
        "本年存在的主要问题：依申请公开答复文书的规范性仍需提高。改进措施：2026年制定答复文书范本并开展专题培训。",
    },
}


def _csv(header: str, rows: list[tuple[object, ...]]) -> bytes:
    return ("\n".join([header, *(",".join(str(c) for c in row) for row in rows)]) + "\n").encode()


def load_demo(*, orgs: dict[str, Organisation], today: dt.date | None = None) -> list[str]:
    """Two published, finding-free reports of the demo county (2024, 2025): ledgers, figures, narrative (idempotent)."""
    from gongkai.applications import ledger

    county = orgs["county"]
    if Report.objects.filter(org=county, year__in=list(LEDGER)).exists():
        return ["年度报告：演示数据已存在，未重复生成。"]
    today = today or timezone.localdate()
    lines: list[str] = []
    for year in sorted(LEDGER):
        apps = _csv(",".join(ledger.APPLICATION_COLUMNS), list(LEDGER[year]))
        result = ledger.import_applications(
            actor=SYSTEM_DEMO, org=county, data=apps, filename=f"申请台账{year}.csv"
        )
        if not result.ok:
            raise RuntimeError(result.summary())
        remedies = _csv(",".join(ledger.REMEDY_COLUMNS), list(REMEDIES[year]))
        result = ledger.import_remedies(
            actor=SYSTEM_DEMO, org=county, data=remedies, filename=f"复议诉讼{year}.csv"
        )
        if not result.ok:
            raise RuntimeError(result.summary())
        for project, indicator, value in FIGURES[year]:
            services.figure_set(
                actor=SYSTEM_DEMO,
                org=county,
                year=year,
                project=project,
                indicator=indicator,
                value=value,
                source="县统计汇总",
            )
    for year in sorted(LEDGER):
        report = services.report_create(actor=SYSTEM_DEMO, org=county, year=year)
        doc = services.frozen_document(report)
        generated = generated_paragraphs(county, year, report.scope, doc)
        sections = {n: f"<p>{t}</p>" for n, t in SECTIONS[year].items()}
        sections |= {n: f"<p>{t}</p>" for n, t in generated.items()}
        report = services.report_update_sections(actor=SYSTEM_DEMO, report=report, sections=sections)
        for step in (workflow.report_submit, workflow.report_approve):
            report = step(actor=SYSTEM_DEMO, report=report)
        if PUBLISHED_ON[year] <= today:
            report = workflow.report_publish(
                actor=SYSTEM_DEMO, report=report, published_on=PUBLISHED_ON[year]
            )
        findings = document_findings(
            county, services.frozen_document(report), published_on=report.published_on
        )
        state = report.get_status_display()
        lines.append(f"年度报告：{county.name}{year}年度（{state}），检查发现 {len(findings)} 个问题。")
    return lines
