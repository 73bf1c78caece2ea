"""Annual-report deadlines by organisation kind: 第四十九条, the deployment's local rules, per-organisation overrides."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.forms.models import model_to_dict

from gongkai.core.models import AuditEntry
from gongkai.orgs import services
from gongkai.orgs.models import Level, Organisation, OrgKind, Role
from gongkai.orgs.report_deadlines import (
    BY_ANALOGY,
    LOCAL,
    STATUTE,
    STATUTE_2008,
    org_report_deadline,
    report_deadline,
)
from gongkai.orgs.tests.factories import OrganisationFactory, staff

RULE = "《江川市政府信息公开工作年度报告编制发布规定》"


@pytest.mark.parametrize(
    ("kind", "level", "due", "source", "basis"),
    [
        (OrgKind.DEPARTMENT, Level.COUNTY, date(2026, 1, 31), STATUTE, "第四十九条第一款"),
        (OrgKind.GOVERNMENT, Level.COUNTY, date(2026, 3, 31), STATUTE, "第四十九条第二款"),
        (OrgKind.GOVERNMENT, Level.PROVINCE, date(2026, 3, 31), STATUTE, "第四十九条第二款"),
        # not named in 第四十九条: the dates used before, marked as by analogy
        (OrgKind.GOVERNMENT, Level.TOWNSHIP, date(2026, 3, 31), BY_ANALOGY, BY_ANALOGY),
        (OrgKind.AGENCY, Level.COUNTY, date(2026, 1, 31), BY_ANALOGY, BY_ANALOGY),
        (OrgKind.OTHER, Level.COUNTY, date(2026, 1, 31), BY_ANALOGY, BY_ANALOGY),
    ],
)
def test_defaults_by_kind_are_as_before(kind, level, due, source, basis):
    rule = report_deadline(2025, kind=kind, level=level)
    assert (rule.due, rule.source, rule.basis) == (due, source, basis)


def test_reports_before_2019_follow_the_2008_regulation():
    rule = report_deadline(
        2017, kind=OrgKind.DEPARTMENT, level=Level.COUNTY, override="01-15", override_basis=RULE
    )
    assert (rule.due, rule.source) == (date(2018, 3, 31), STATUTE_2008)


def test_unknown_kind_gets_the_later_date():
    rule = report_deadline(2025, kind=None)
    assert rule.due == date(2026, 3, 31) and "类型未知" in rule.group_label


def test_a_configured_local_rule_sets_the_deadline_of_a_group_the_statute_does_not_name(settings):
    settings.GONGKAI_REPORT_DEADLINES = {"township": ["02-28", RULE], "agency": ["03-15", RULE]}
    township = report_deadline(2025, kind=OrgKind.GOVERNMENT, level=Level.TOWNSHIP)
    agency = report_deadline(2025, kind=OrgKind.AGENCY, level=Level.COUNTY)
    assert (township.due, township.source, township.source_text) == (
        date(2026, 2, 28),
        LOCAL,
        f"本地规定：{RULE}",
    )
    assert (agency.due, agency.source) == (date(2026, 3, 15), LOCAL)


def test_a_local_rule_can_only_bring_a_statutory_deadline_forward(settings):
    settings.GONGKAI_REPORT_DEADLINES = {"department": ["01-28", RULE], "government": ["04-30", RULE]}
    department = report_deadline(2025, kind=OrgKind.DEPARTMENT, level=Level.COUNTY)
    government = report_deadline(2025, kind=OrgKind.GOVERNMENT, level=Level.COUNTY)
    assert (department.due, department.source) == (date(2026, 1, 28), LOCAL)
    assert (government.due, government.source) == (date(2026, 3, 31), STATUTE)


@pytest.mark.parametrize(
    "value",
    [
        {"township": "03-31"},
        {"township": ["02-29", RULE]},
        {"county": ["03-31", RULE]},
        {"agency": ["03-31", ""]},
    ],
)
def test_a_bad_setting_is_refused(settings, value):
    settings.GONGKAI_REPORT_DEADLINES = value
    with pytest.raises(ImproperlyConfigured):
        report_deadline(2025, kind=OrgKind.AGENCY, level=Level.TOWNSHIP)


@pytest.mark.django_db
def test_an_organisation_override_wins_over_the_setting(settings):
    settings.GONGKAI_REPORT_DEADLINES = {"township": ["03-31", "《某省规定》"]}
    town = OrganisationFactory(
        level=Level.TOWNSHIP, kind=OrgKind.GOVERNMENT, report_deadline="02-15", report_deadline_basis=RULE
    )
    rule = org_report_deadline(town, 2025)
    assert (rule.due, rule.source, rule.basis) == (date(2026, 2, 15), LOCAL, RULE)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "level", "value", "basis", "field", "message"),
    [
        (OrgKind.DEPARTMENT, Level.COUNTY, "02-28", RULE, "report_deadline", "本地期限只能提前，不能推后"),
        (OrgKind.AGENCY, Level.COUNTY, "2-28", RULE, "report_deadline", "请按“月-日”填写"),
        (OrgKind.AGENCY, Level.COUNTY, "02-29", RULE, "report_deadline", "不能为2月29日"),
        (
            OrgKind.AGENCY,
            Level.COUNTY,
            "02-28",
            "",
            "report_deadline_basis",
            "请填写规定该期限的本地规定名称",
        ),
        (OrgKind.AGENCY, Level.COUNTY, "", RULE, "report_deadline_basis", "未设置本地期限时无需填写依据"),
    ],
)
def test_an_override_is_validated(org_tree, kind, level, value, basis, field, message):
    org = OrganisationFactory(parent=org_tree["own"], kind=kind, level=level)
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    with pytest.raises(ValidationError) as caught:
        services.org_update(actor=admin, org=org, report_deadline=value, report_deadline_basis=basis)
    assert message in " ".join(caught.value.message_dict[field])


@pytest.mark.django_db
def test_the_override_is_set_by_a_manager_in_the_edit_page_and_audited(client, org_tree):
    # Given a 派出机构 under the county and the county's 公开办管理员
    agency = OrganisationFactory(parent=org_tree["own"], name="测试县公安局城关派出所", kind=OrgKind.AGENCY)
    client.force_login(staff(Role.OFFICE_ADMIN, org_tree["own"]))
    page = client.get(f"/admin/orgs/{agency.pk}/edit/").content.decode()
    assert "年度报告发布期限（本地规定）" in page and "本地期限依据" in page
    # When the local deadline is saved
    data = {k: v for k, v in model_to_dict(agency).items() if v is not None and k != "four_eyes"}
    data |= {"four_eyes": "on", "report_deadline": "02-20", "report_deadline_basis": RULE}
    response = client.post(f"/admin/orgs/{agency.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    # Then it drives the organisation's deadline, and the change is audited
    agency.refresh_from_db()
    assert org_report_deadline(agency, 2025).due == date(2026, 2, 20)
    entry = AuditEntry.objects.filter(object_type="orgs.organisation", object_id=str(agency.pk)).latest("id")
    assert entry.changes == {"report_deadline": ["", "02-20"], "report_deadline_basis": ["", RULE]}


@pytest.mark.django_db
def test_a_reviewer_cannot_change_the_deadline(org_tree):
    from django.core.exceptions import PermissionDenied

    dept = org_tree["child"]
    with pytest.raises(PermissionDenied):
        services.org_update(actor=staff(Role.REVIEWER, dept), org=dept, report_deadline="01-20",
                            report_deadline_basis=RULE)  # fmt: skip
    assert Organisation.objects.get(pk=dept.pk).report_deadline == ""
