"""Tests for the staff pages (scoped by organisation) and the public report pages (stable URL, locked versions)."""

import datetime as dt
import io
import re

import pytest

from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff
from gongkai.reports import services, workflow
from gongkai.reports.models import Report, ReportStatus, Table2Figure
from gongkai.reports.tests.factories import ReportFactory, seed_001_figures_csv

pytestmark = pytest.mark.django_db


def publish(org, year=2022):
    report = services.report_create(actor=SYSTEM_TEST, org=org, year=year)
    report = services.report_update_sections(
        actor=SYSTEM_TEST, report=report, sections={"一": "<p>总体情况良好。</p>"}
    )
    for step in (workflow.report_submit, workflow.report_approve):
        report = step(actor=SYSTEM_TEST, report=report)
    return workflow.report_publish(actor=SYSTEM_TEST, report=report, published_on=dt.date(year + 1, 1, 20))


class TestStaffWorkflow:
    def test_clerk_drafts_and_submits_reviewer_approves_and_publishes(self, client, org_tree):
        org = org_tree["own"]
        clerk, reviewer = staff(Role.CLERK, org), staff(Role.REVIEWER, org)
        # given a clerk creating and editing a draft
        client.force_login(clerk)
        response = client.post("/admin/reports/new/", {"org": org.pk, "year": 2022, "scope": "self"})
        report = Report.objects.get()
        assert response.status_code == 302 and report.status == ReportStatus.DRAFT
        sections = {n: f"<p>第{n}部分</p>" for n in "一二三四五六"}
        client.post(f"/admin/reports/{report.pk}/edit/", sections)
        # when the clerk inserts the generated paragraph for 三
        client.post(f"/admin/reports/{report.pk}/edit/", {**sections, "insert": "三"})
        report.refresh_from_db()
        assert "共收到政府信息公开申请0件" in report.sections["三"]
        client.post(f"/admin/reports/{report.pk}/submit/")
        # then the clerk cannot approve, the reviewer can and publishes
        assert client.post(f"/admin/reports/{report.pk}/approve/").status_code == 403
        client.force_login(reviewer)
        client.post(f"/admin/reports/{report.pk}/approve/")
        client.post(f"/admin/reports/{report.pk}/publish/", {"published_on": "2023-01-15"})
        report.refresh_from_db()
        assert (report.status, report.published_on) == (ReportStatus.PUBLISHED, dt.date(2023, 1, 15))
        page = client.get(f"/admin/reports/{report.pk}/").content.decode()
        assert "三、本年度办理结果" in page and "section_missing" not in page

    def test_published_report_cannot_be_edited(self, client, org_tree):
        report = publish(org_tree["own"])
        client.force_login(staff(Role.CLERK, org_tree["own"]))
        assert client.post(f"/admin/reports/{report.pk}/edit/", {"一": "改"}).status_code == 403
        response = client.post(
            f"/admin/reports/{report.pk}/correct/", {"change_note": "更正数字"}, follow=True
        )
        assert Report.objects.filter(org=org_tree["own"], year=2022).count() == 2
        assert "第2版" in response.content.decode()

    def test_other_organisations_reports_are_invisible(self, client, org_tree):
        report = ReportFactory(org=org_tree["sibling"])
        client.force_login(staff(Role.CLERK, org_tree["own"]))
        assert client.get(f"/admin/reports/{report.pk}/").status_code == 404
        assert org_tree["sibling"].name not in client.get("/admin/reports/").content.decode()

    def test_supervisor_overview_shows_subordinates_and_overdue(self, client, org_tree):
        publish(org_tree["child"], year=2022)
        client.force_login(staff(Role.SUPERVISOR, org_tree["own"]))
        page = client.get("/admin/reports/?year=2022").content.decode()
        assert org_tree["child"].name in page and "已发布" in page
        assert "已逾期" in page  # own org: nothing published for 2022, deadline long past
        assert org_tree["sibling"].name not in page

    @pytest.mark.parametrize("kind", ["html", "pdf", "docx", "xlsx"])
    def test_downloads(self, client, org_tree, kind):
        report = ReportFactory(org=org_tree["own"])
        client.force_login(staff(Role.CLERK, org_tree["own"]))
        response = client.get(f"/admin/reports/{report.pk}/download.{kind}")
        assert response.status_code == 200 and len(response.content) > 500


class TestFigures:
    def test_form_entry_and_import(self, client, org_tree, django_capture_on_commit_callbacks):
        org = org_tree["own"]
        client.force_login(staff(Role.CLERK, org))
        client.post(
            "/admin/reports/figures/",
            {
                "f-org": org.pk,
                "f-year": 2022,
                "f-project": "第二十条第（五）项/行政许可",
                "f-indicator": "本年处理决定数量",
                "f-value": "12",
                "f-source": "审批局",
            },
        )
        assert Table2Figure.objects.get().value == 12
        upload = io.BytesIO(seed_001_figures_csv())
        upload.name = "表二.csv"
        with django_capture_on_commit_callbacks(execute=True):  # the import is a job (eager: no broker)
            client.post("/admin/reports/figures/import/", {"i-org": org.pk, "i-file": upload})
        assert Table2Figure.objects.count() == 23

    def test_bad_value_is_explained_and_nothing_saved(self, client, org_tree):
        org = org_tree["own"]
        client.force_login(staff(Role.CLERK, org))
        response = client.post(
            "/admin/reports/figures/",
            {
                "f-org": org.pk,
                "f-year": 2022,
                "f-project": "第二十条第（五）项/行政许可",
                "f-indicator": "本年处理决定数量",
                "f-value": "-1",
                "f-source": "审批局",
            },
        )
        assert "不能为负数" in response.content.decode()
        assert not Table2Figure.objects.exists()

    def test_cannot_enter_figures_for_another_organisation(self, client, org_tree):
        client.force_login(staff(Role.CLERK, org_tree["own"]))
        response = client.post(
            "/admin/reports/figures/",
            {
                "f-org": org_tree["sibling"].pk,
                "f-year": 2022,
                "f-project": "第二十条第（五）项/行政许可",
                "f-indicator": "本年处理决定数量",
                "f-value": "1",
                "f-source": "x",
            },
        )
        assert response.status_code == 200 and not Table2Figure.objects.exists()  # not a valid choice


class TestPortal:
    def test_column_lists_published_reports_only(self, client, org_tree):
        org = org_tree["own"]
        publish(org, 2022)
        ReportFactory(org=org, year=2023)  # a draft
        page = client.get(f"/gk/{org.code}/nianbao/").content.decode()
        assert f"/gk/{org.code}/nianbao/2022/" in page and "/nianbao/2023/" not in page

    def test_stable_url_shows_the_latest_published_version(self, client, org_tree):
        org = org_tree["own"]
        first = publish(org, 2022)
        correction = workflow.report_correct(actor=SYSTEM_TEST, report=first, change_note="更正表三")
        correction = services.report_update_sections(
            actor=SYSTEM_TEST, report=correction, sections={"一": "<p>更正后的总体情况。</p>"}
        )
        for step in (workflow.report_submit, workflow.report_approve):
            correction = step(actor=SYSTEM_TEST, report=correction)
        workflow.report_publish(actor=SYSTEM_TEST, report=correction, published_on=dt.date(2023, 2, 1))
        page = client.get(f"/gk/{org.code}/nianbao/2022/").content.decode()
        assert "更正后的总体情况" in page and "更正说明：更正表三" in page
        assert "总体情况良好" in client.get(f"/gk/{org.code}/nianbao/2022/v1/").content.decode()
        assert client.get(f"/gk/{org.code}/nianbao/2023/").status_code == 404

    def test_public_page_has_official_tables_and_no_inline_styles(self, client, org_tree):
        org = org_tree["own"]
        publish(org, 2022)
        page = client.get(f"/gk/{org.code}/nianbao/2022/").content.decode()
        assert 'colspan="3" rowspan="3"' in page and "（本列数据的勾稽关系为" in page
        # no inline style or script (the CSP forbids them); the one self-hosted script file is allowed
        assert "style=" not in page and not re.search(r"<script(?![^>]*\ssrc=\"/static/)", page)

    @pytest.mark.parametrize(("kind", "ctype"), [("json", "application/json"), ("pdf", "application/pdf")])
    def test_public_downloads(self, client, org_tree, kind, ctype):
        org = org_tree["own"]
        publish(org, 2022)
        response = client.get(f"/gk/{org.code}/nianbao/2022/report.{kind}")
        assert response.status_code == 200 and response["Content-Type"].startswith(ctype)
