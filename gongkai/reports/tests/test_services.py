"""Tests for the report services: workflow, locking, corrections, 表二 figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import OrganisationFactory, staff
from gongkai.reports import services, workflow
from gongkai.reports.models import Report, ReportStatus, Table2Figure
from gongkai.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def published(org=None):
    report = services.report_create(actor=SYSTEM_TEST, org=org or OrganisationFactory(), year=2022)
    for step in (workflow.report_submit, workflow.report_approve):
        report = step(actor=SYSTEM_TEST, report=report)
    return workflow.report_publish(actor=SYSTEM_TEST, report=report, published_on=dt.date(2023, 1, 20))


def test_full_workflow_freezes_data_and_audits():
    # given a draft with sanitised sections
    org = OrganisationFactory()
    report = services.report_create(actor=SYSTEM_TEST, org=org, year=2022)
    report = services.report_update_sections(
        actor=SYSTEM_TEST,
        report=report,
        sections={"一": "<p onclick='x()'>总体情况</p><script>alert(1)</script>"},
    )
    assert report.sections["一"] == "<p>总体情况</p>"
    # when submitted, approved and published
    report = workflow.report_submit(actor=SYSTEM_TEST, report=report)
    assert report.data["table3"] and report.data["sections"]["一"] == "总体情况"
    report = workflow.report_approve(actor=SYSTEM_TEST, report=report)
    report = workflow.report_publish(actor=SYSTEM_TEST, report=report, published_on=dt.date(2023, 1, 20))
    # then it is published, dated, and every step left an audit row
    assert (report.status, report.published_on) == (ReportStatus.PUBLISHED, dt.date(2023, 1, 20))
    actions = list(AuditEntry.objects.filter(object_type="reports.report").values_list("action", flat=True))
    assert actions.count("transition") == 3


@pytest.mark.parametrize(
    ("status", "to"),
    [
        (ReportStatus.DRAFT, "approve"),
        (ReportStatus.DRAFT, "publish"),
        (ReportStatus.SUBMITTED, "publish"),
        (ReportStatus.PUBLISHED, "return"),
        (ReportStatus.PUBLISHED, "submit"),
    ],
)
def test_forbidden_transitions_change_nothing(status, to):
    report = ReportFactory(status=status, published_on=dt.date(2023, 1, 1) if status == "published" else None)
    fn = {
        "approve": workflow.report_approve,
        "publish": workflow.report_publish,
        "return": workflow.report_return,
        "submit": workflow.report_submit,
    }[to]
    with pytest.raises(ValidationError, match="不能从"):
        fn(actor=SYSTEM_TEST, report=report)
    assert Report.objects.get(pk=report.pk).status == status


def test_publication_date_must_follow_the_report_year():
    report = services.report_create(actor=SYSTEM_TEST, org=OrganisationFactory(), year=2022)
    for step in (workflow.report_submit, workflow.report_approve):
        report = step(actor=SYSTEM_TEST, report=report)
    with pytest.raises(ValidationError, match="2022年度结束之后"):
        workflow.report_publish(actor=SYSTEM_TEST, report=report, published_on=dt.date(2022, 12, 31))
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED


def test_published_version_is_locked():
    report = published()
    with pytest.raises(ValidationError, match="只有草稿"):
        services.report_update_sections(actor=SYSTEM_TEST, report=report, sections={"一": "改"})


def test_correction_is_a_new_version_with_a_note():
    report = published()
    with pytest.raises(ValidationError, match="更正说明"):
        workflow.report_correct(actor=SYSTEM_TEST, report=report, change_note=" ")
    correction = workflow.report_correct(actor=SYSTEM_TEST, report=report, change_note="更正表二行政许可数量")
    assert (correction.version, correction.status, correction.sections) == (2, "draft", report.sections)
    # the published first version still stands, unchanged
    assert Report.objects.get(pk=report.pk).status == ReportStatus.PUBLISHED
    with pytest.raises(ValidationError, match="最新版本"):
        workflow.report_correct(actor=SYSTEM_TEST, report=report, change_note="再次更正")


def test_second_report_for_the_same_year_is_refused():
    org = OrganisationFactory()
    services.report_create(actor=SYSTEM_TEST, org=org, year=2022)
    with pytest.raises(ValidationError, match="已存在"):
        services.report_create(actor=SYSTEM_TEST, org=org, year=2022)


def test_return_to_draft_recomputes_on_resubmission():
    from gongkai.applications.tests.factories import ApplicationFactory

    org = OrganisationFactory()
    report = workflow.report_submit(
        actor=SYSTEM_TEST, report=services.report_create(actor=SYSTEM_TEST, org=org, year=2022)
    )
    assert report.data["table3"]["rows"]["一、本年新收政府信息公开申请数量"][-1] == 0
    ApplicationFactory(org=org, received_on=dt.date(2022, 5, 5))
    report = workflow.report_return(actor=SYSTEM_TEST, report=report)
    report = workflow.report_submit(actor=SYSTEM_TEST, report=report)
    assert report.data["table3"]["rows"]["一、本年新收政府信息公开申请数量"][-1] == 1


class TestFigures:
    def test_figure_set_and_correct_with_audit(self):
        org = OrganisationFactory()
        user = staff(Role.CLERK, org)
        services.figure_set(
            actor=user,
            org=org,
            year=2022,
            project="行政许可",
            indicator="本年处理决定数量",
            value="1,125",
            source="审批局",
        )
        figure = services.figure_set(
            actor=user,
            org=org,
            year=2022,
            project="行政许可",
            indicator="本年处理决定数量",
            value=1130,
            source="审批局",
        )
        assert (figure.item, figure.value, Table2Figure.objects.count()) == (
            "第二十条第（五）项",
            Decimal(1130),
            1,
        )
        assert AuditEntry.objects.filter(object_type="reports.table2figure").count() == 2

    @pytest.mark.parametrize(
        ("year", "project", "indicator", "value", "message"),
        [
            (2022, "规范性文件", "本年制发件数", 1, "没有项目"),  # 2019 label in a 2021-format year
            (2022, "行政许可", "处理决定数量", 1, "没有指标"),
            (2022, "行政许可", "本年处理决定数量", -1, "负数"),
            (2022, "行政许可", "本年处理决定数量", "1.5", "整数"),
            (2022, "行政许可", "本年处理决定数量", "很多", "不是数字"),
            (2018, "行政许可", "本年处理决定数量", 1, "2019年以前"),
        ],
    )
    def test_bad_figures_are_refused(self, year, project, indicator, value, message):
        with pytest.raises(ValidationError, match=message):
            services.figure_set(
                actor=SYSTEM_TEST,
                org=OrganisationFactory(),
                year=year,
                project=project,
                indicator=indicator,
                value=value,
                source="x",
            )
        assert Table2Figure.objects.count() == 0

    @pytest.mark.parametrize(
        ("project", "indicator", "value", "stored"),
        [
            ("行政事业性收费", "本年收费金额（单位：万元）", "12.35", (Decimal("12.35"), "")),
            ("行政处罚", "本年处理决定数量", 0, (Decimal(0), "")),
        ],
    )
    def test_good_figures(self, project, indicator, value, stored):
        f = services.figure_set(
            actor=SYSTEM_TEST,
            org=OrganisationFactory(),
            year=2022,
            project=project,
            indicator=indicator,
            value=value,
            source="x",
        )
        assert (f.value, f.text) == stored

    def test_delta_and_amount_text_in_2019_format(self):
        org = OrganisationFactory()
        delta = services.figure_set(
            actor=SYSTEM_TEST,
            org=org,
            year=2020,
            project="行政许可",
            indicator="本年增/减",
            value=-10,
            source="x",
        )
        amount = services.figure_set(
            actor=SYSTEM_TEST,
            org=org,
            year=2020,
            project="政府集中采购",
            indicator="采购总金额",
            value="101647022.75元",
            source="x",
        )
        assert (delta.value, amount.value, amount.text) == (Decimal(-10), None, "101647022.75元")

    def test_import_reports_every_bad_row_and_writes_nothing(self):
        data = "年度,项目,指标,数值\n2022,行政许可,本年处理决定数量,5\n2022,行政许可,本年处理决定数量,6\n二〇,行政处罚,本年处理决定数量,1\n2022,行政强制,本年处理决定数量,-3\n".encode()
        result = services.import_figures(
            actor=SYSTEM_TEST, org=OrganisationFactory(), data=data, filename="f.csv"
        )
        assert [(r, c) for r, c, _ in result.errors] == [(3, "指标"), (4, "年度"), (5, "数值")]
        assert Table2Figure.objects.count() == 0

    def test_import_gbk_csv_as_excel_in_china_saves_it(self):
        data = "年度,项目,指标,数值\n2022,行政许可,本年处理决定数量,5\n".encode("gbk")
        result = services.import_figures(
            actor=SYSTEM_TEST, org=OrganisationFactory(), data=data, filename="f.csv"
        )
        assert result.errors == []
        assert Table2Figure.objects.count() == 1

    def test_import_unreadable_file_is_one_clear_error(self):
        result = services.import_figures(
            actor=SYSTEM_TEST, org=OrganisationFactory(), data=b"junk", filename="f.xlsx"
        )
        assert [(r, c) for r, c, _ in result.errors] == [(0, "")]
        assert "XLSX" in result.errors[0][2]

    def test_import_missing_columns(self):
        result = services.import_figures(
            actor=SYSTEM_TEST, org=OrganisationFactory(), data="年度,项目\n".encode(), filename="f.csv"
        )
        assert "缺少列：指标、数值" in result.errors[0][2]


@pytest.mark.parametrize(
    ("role", "step", "allowed"),
    [
        ("clerk", "approve", False),
        ("reviewer", "approve", True),
        ("reviewer", "create", False),
        ("office_admin", "publish", True),
        ("clerk", "publish", False),
        ("supervisor", "figure", False),
        ("clerk", "figure", True),
    ],
)
def test_services_check_the_actor_role(org_tree, role, step, allowed):
    # given a staff member of the organisation and a report at the right status for the step
    from django.core.exceptions import PermissionDenied

    org = org_tree["own"]
    user = staff(role, org)
    report = services.report_create(actor=SYSTEM_TEST, org=org, year=2022)
    if step in ("approve", "publish"):
        report = workflow.report_submit(actor=SYSTEM_TEST, report=report)
    if step == "publish":
        report = workflow.report_approve(actor=SYSTEM_TEST, report=report)
    calls = {
        "approve": lambda: workflow.report_approve(actor=user, report=report),
        "publish": lambda: workflow.report_publish(
            actor=user, report=report, published_on=dt.date(2023, 1, 5)
        ),
        "create": lambda: services.report_create(actor=user, org=org, year=2023),
        "figure": lambda: services.figure_set(
            actor=user,
            org=org,
            year=2022,
            project="行政许可",
            indicator="本年处理决定数量",
            value=1,
            source="x",
        ),
    }
    # when the step is attempted / then it succeeds only for the role that holds it
    if allowed:
        calls[step]()
    else:
        with pytest.raises(PermissionDenied, match="您无权"):
            calls[step]()
