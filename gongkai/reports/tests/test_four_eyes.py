"""双人审核 on annual reports: whoever drafted or submitted the version under review may not approve it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.tests.factories import MembershipFactory, staff
from gongkai.reports import services, workflow
from gongkai.reports.models import Report, ReportStatus

pytestmark = pytest.mark.django_db

OWN_REPORT = "按本机关“双人审核”规定，不能审核自己起草或提交的年度报告。"


@pytest.fixture
def org(org_tree):
    return org_tree["own"]


def clerk_and_reviewer(org: Organisation):
    user = staff(Role.CLERK, org)
    MembershipFactory(user=user, org=org, role=Role.REVIEWER)
    return user


def submitted(org: Organisation, *, drafter, submitter=None) -> Report:
    report = services.report_create(actor=drafter, org=org, year=2022)
    return workflow.report_submit(actor=submitter or drafter, report=report)


def test_drafter_may_not_approve_another_reviewer_may(org):
    drafter = clerk_and_reviewer(org)
    report = submitted(org, drafter=drafter)
    with pytest.raises(PermissionDenied) as exc:
        workflow.report_approve(actor=drafter, report=report)
    assert str(exc.value) == OWN_REPORT
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    report = workflow.report_approve(actor=staff(Role.REVIEWER, org), report=report)
    assert report.status == ReportStatus.APPROVED


def test_submitter_may_not_approve_what_they_submitted(org):
    submitter = clerk_and_reviewer(org)
    report = submitted(org, drafter=staff(Role.CLERK, org), submitter=submitter)
    with pytest.raises(PermissionDenied, match="双人审核"):
        workflow.report_approve(actor=submitter, report=report)
    # after a return and a resubmission by someone else, the earlier submitter is no longer the submitter…
    report = workflow.report_return(actor=staff(Role.REVIEWER, org), report=report)
    report = workflow.report_submit(actor=staff(Role.CLERK, org), report=report)
    report = workflow.report_approve(actor=submitter, report=report)
    assert report.status == ReportStatus.APPROVED


def test_rule_off_keeps_the_old_behaviour(org):
    Organisation.objects.filter(pk=org.pk).update(four_eyes=False)
    org.refresh_from_db()
    drafter = clerk_and_reviewer(org)
    report = workflow.report_approve(actor=drafter, report=submitted(org, drafter=drafter))
    assert report.status == ReportStatus.APPROVED


def test_view_shows_the_refusal_and_another_reviewer_approves(client, org):
    drafter = clerk_and_reviewer(org)
    report = submitted(org, drafter=drafter)
    client.force_login(drafter)
    response = client.post(f"/admin/reports/{report.pk}/approve/", follow=True)
    assert response.status_code == 200
    assert OWN_REPORT in response.content.decode()
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    client.force_login(staff(Role.REVIEWER, org))
    client.post(f"/admin/reports/{report.pk}/approve/")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED


def test_view_lets_the_drafter_approve_when_the_rule_is_off(client, org):
    drafter = clerk_and_reviewer(org)
    report = submitted(org, drafter=drafter)
    Organisation.objects.filter(pk=org.pk).update(four_eyes=False)
    client.force_login(drafter)
    client.post(f"/admin/reports/{report.pk}/approve/")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED
