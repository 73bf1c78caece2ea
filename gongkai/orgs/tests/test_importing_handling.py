"""The 「政府信息公开工作机构代码」 column of the organisation import and export: who handles each organisation's
applications (``Organisation.handling_office``), round trip, checks as the tree will stand, and apply order."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.orgs import services
from gongkai.orgs.importing import HEADERS, REQUIRED_HEADERS, export_orgs
from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.tests.factories import OrganisationFactory, staff, valid_org_code
from gongkai.orgs.tests.test_importing import errors_of, line, run, snapshot_db, to_csv, to_xlsx

pytestmark = pytest.mark.django_db

COLUMN = "政府信息公开工作机构代码"
WITH_OFFICE = (*REQUIRED_HEADERS, COLUMN)
CITY, GOV, OFFICE, FINANCE = (valid_org_code(n) for n in (13000001, 13000002, 13000003, 13000004))


def tree(gov_office=OFFICE, **office_of):
    """A city, its county government handled by the 县政府办 (listed after it), and a finance bureau."""
    return [
        line("样例市人民政府", CITY, "", level="市", kind="人民政府"),
        line("样例县人民政府", GOV, CITY, kind="人民政府", **{COLUMN: gov_office}),
        line("样例县人民政府办公室", OFFICE, GOV, **{COLUMN: office_of.get("office", "")}),
        line("样例县财政局", FINANCE, GOV, **{COLUMN: office_of.get("finance", "")}),
    ]


def org(code):
    return Organisation.objects.select_related("handling_office").get(code=code)


@pytest.fixture
def county(db):
    """The tree of ``tree()`` in the database: the county government handled by its office."""
    result = run(to_csv(tree(), WITH_OFFICE))
    assert result.ok, result.errors
    return {c: org(c) for c in (CITY, GOV, OFFICE, FINANCE)}


# --- the column, in and out -------------------------------------------------------------------------


def test_the_column_is_part_of_the_file():
    assert COLUMN in HEADERS
    assert HEADERS.index(COLUMN) == HEADERS.index("政府信息公开工作机构") + 1


def test_a_new_tree_names_an_office_created_later_in_the_file(db):
    # given a file where the government comes before the office that handles its applications
    # when imported
    result = run(to_csv(tree(), WITH_OFFICE))
    # then everything is created, and the government is handled by the office
    assert result.ok, result.errors
    assert result.created == [CITY, GOV, OFFICE, FINANCE]
    assert org(GOV).handling_office == org(OFFICE)
    assert org(FINANCE).handling_office is None and org(OFFICE).handling_office is None
    # the link waited for the office: the government has its create row and one row for the link alone
    rows = AuditEntry.objects.filter(object_type="orgs.organisation", object_id=str(org(GOV).pk)).order_by(
        "id"
    )
    assert [r.action for r in rows] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert rows[1].changes == {"handling_office": [None, org(OFFICE).pk]}


def test_an_office_that_exists_is_named_with_the_row(county):
    # given the finance bureau handling its own / when a file hands it to the office
    rows = tree(finance=OFFICE)
    result = run(to_csv(rows, WITH_OFFICE))
    # then only it is updated, in one audit row with before and after
    assert result.ok, result.errors
    assert result.updated == [FINANCE] and sorted(result.unchanged) == sorted([CITY, GOV, OFFICE])
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(county[FINANCE].pk)).get()
    assert entry.changes == {"handling_office": [None, county[OFFICE].pk]}
    assert org(FINANCE).handling_office == county[OFFICE]


def test_blank_or_own_code_means_the_organisation_itself(county):
    # own code: stored as blank, as the form and the service do; the office's row is unchanged
    rows = tree(gov_office=GOV, office=OFFICE)
    result = run(to_csv(rows, WITH_OFFICE))
    assert result.ok, result.errors
    assert result.updated == [GOV]
    assert org(GOV).handling_office is None
    # a blank cell: the government again handles its own (nothing to change now)
    result = run(to_csv(tree(gov_office=""), WITH_OFFICE))
    assert result.ok and result.updated == []


def test_a_file_without_the_column_keeps_the_links(county):
    result = run(to_csv(tree(gov_office=""), REQUIRED_HEADERS))
    assert result.ok and result.updated == []
    assert org(GOV).handling_office == county[OFFICE]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimports_unchanged_and_restores_the_link(county, fmt):
    # given an export of the tree with its handling office
    data = export_orgs(Organisation.objects.all(), fmt)
    before = snapshot_db()[0]
    # when imported back: every organisation is unchanged
    result = run(data, f"export.{fmt}")
    assert result.ok, result.errors
    assert sorted(result.unchanged) == sorted([CITY, GOV, OFFICE, FINANCE])
    assert snapshot_db()[0] == before
    # and after the link was changed in the system, the export puts it back
    services.org_set_handling_office(actor=SYSTEM_TEST, org=county[GOV], office=None)
    services.org_set_handling_office(actor=SYSTEM_TEST, org=county[FINANCE], office=county[OFFICE])
    result = run(data, f"export.{fmt}")
    assert result.ok, result.errors
    assert sorted(result.updated) == sorted([GOV, FINANCE])
    assert org(GOV).handling_office == county[OFFICE] and org(FINANCE).handling_office is None


def test_the_export_writes_the_offices_code(county):
    rows = list(
        csv.DictReader(io.StringIO(export_orgs(Organisation.objects.all(), "csv").decode("utf-8-sig")))
    )
    assert {r["代码"]: r[COLUMN] for r in rows} == {CITY: "", GOV: OFFICE, OFFICE: "", FINANCE: ""}


def test_an_office_code_excel_stored_as_a_number_gets_its_zeros_back(county):
    # an office code of digits typed into a number cell loses its leading zeros: put back, as for any code
    office = next(valid_org_code(n) for n in range(10, 100) if valid_org_code(n).isdigit())
    rows = [*tree(gov_office=int(office)), line("样例县另一办公室", office, GOV)]
    result = run(to_xlsx(rows, WITH_OFFICE), "orgs.xlsx")
    assert result.ok, result.errors
    assert org(GOV).handling_office.code == office


def test_links_are_applied_in_an_order_the_rules_allow(county):
    # given the government and an education bureau handled by the office
    edu = OrganisationFactory(name="样例县教育局", parent=county[GOV])
    services.org_set_handling_office(actor=SYSTEM_TEST, org=edu, office=county[OFFICE])
    # when one file hands the office's own applications and the government's to the finance bureau, and the
    # education bureau handles its own again — the office's row first, while it still handles for the bureau
    rows = [
        line("样例县人民政府办公室", OFFICE, GOV, **{COLUMN: FINANCE}),
        line(edu.name, edu.code, GOV, **{COLUMN: "", "简称": edu.short_name}),
        line("样例县人民政府", GOV, CITY, kind="人民政府", **{COLUMN: FINANCE}),
    ]
    result = run(to_csv(rows, WITH_OFFICE))
    # then it is accepted, the office's link set once the bureau's row is in, and ends as the file says
    assert result.ok, result.errors
    assert result.updated == [GOV, OFFICE, edu.code]
    assert org(GOV).handling_office.code == FINANCE and org(OFFICE).handling_office.code == FINANCE
    assert org(edu.code).handling_office is None and org(FINANCE).handling_office is None
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(county[OFFICE].pk)).get()
    assert entry.changes == {"handling_office": [None, county[FINANCE].pk]}


def test_dry_run_checks_the_links_and_writes_nothing(county):
    before = snapshot_db()
    result = run(to_csv(tree(finance=OFFICE), WITH_OFFICE), dry_run=True)
    assert result.ok and result.updated == [FINANCE]
    assert snapshot_db() == before


# --- errors, per row, in Chinese --------------------------------------------------------------------


def _errors_for(rows, actor=SYSTEM_TEST):
    before = snapshot_db()
    result = run(to_csv(rows, WITH_OFFICE), actor=actor)
    assert not result.ok
    assert snapshot_db() == before  # all or nothing
    return errors_of(result)


def test_an_unknown_office_is_refused(county):
    unknown = valid_org_code(13000099)
    assert _errors_for(tree(finance=unknown)) == [(5, COLUMN, f"「{unknown}」在系统和本文件中都找不到")]


def test_a_bad_code_in_the_column_is_refused(county):
    bad = OFFICE[:8] + ("0" if OFFICE[8] != "0" else "1")
    assert _errors_for(tree(finance=bad)) == [(5, COLUMN, f"组织机构代码校验码错误（应为 {OFFICE[8]}）")]


def test_an_office_whose_own_row_is_wrong_is_not_reported_twice(db):
    rows = tree()
    rows[2]["层级"] = "区"
    assert _errors_for(rows) == [(4, "层级", "无法识别的层级「区」，请填写 省、市、县 或 乡")]


def test_an_inactive_office_is_refused(county):
    closed = OrganisationFactory(name="样例县已撤销机构", parent=county[GOV], is_active=False)
    assert _errors_for(tree(finance=closed.code)) == [
        (5, COLUMN, "「样例县已撤销机构」已停用，不能作为办理申请的工作机构")
    ]


def test_an_office_handled_by_another_is_refused(county):
    # the finance bureau named as office of the city, while the file hands the finance bureau to the office
    rows = [
        *tree(finance=OFFICE),
        line("样例市人民政府", CITY, "", level="市", kind="人民政府", **{COLUMN: FINANCE}),
    ]
    del rows[0]
    assert _errors_for(rows) == [
        (
            5,
            COLUMN,
            "「样例县财政局」本身的申请由「样例县人民政府办公室」办理，不能再作为办理申请的工作机构"
            "（不能形成转办链或循环）",
        )
    ]


def test_a_cycle_is_refused_on_each_of_its_rows(db):
    rows = tree(gov_office="", office=FINANCE, finance=OFFICE)
    assert _errors_for(rows) == [
        (4, COLUMN, "办理申请的工作机构形成循环：样例县人民政府办公室 → 样例县财政局 → 样例县人民政府办公室"),
        (5, COLUMN, "办理申请的工作机构形成循环：样例县财政局 → 样例县人民政府办公室 → 样例县财政局"),
    ]


def test_an_office_that_keeps_handling_for_others_cannot_hand_its_own_on(county):
    # the office handles the government (a link the file does not change) and would be handed to finance
    rows = [line("样例县人民政府办公室", OFFICE, GOV, **{COLUMN: FINANCE})]
    assert _errors_for(rows) == [
        (
            2,
            COLUMN,
            "本机关正在办理样例县人民政府的申请，本机关的申请只能由本机关自行办理（不能形成转办链或循环）",
        )
    ]


def test_handing_over_needs_manage_on_the_office(county):
    # a county finance admin may edit the bureau but not hand its applications to the office
    admin = staff(Role.OFFICE_ADMIN, county[FINANCE])
    rows = [line("样例县财政局", FINANCE, GOV, **{COLUMN: OFFICE})]
    assert _errors_for(rows, actor=admin) == [
        (2, COLUMN, "您没有把申请交由「样例县人民政府办公室」办理的权限（须同时有管理该机构的权限）")
    ]
    # the county's admin may
    county_admin = staff(Role.OFFICE_ADMIN, county[GOV])
    result = run(to_csv(rows, WITH_OFFICE), actor=county_admin)
    assert result.ok, result.errors
    assert org(FINANCE).handling_office == county[OFFICE]


# --- the command and the upload page ---------------------------------------------------------------


def test_the_command_imports_the_column(db, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(to_csv(tree(), WITH_OFFICE))
    out = io.StringIO()
    call_command("org_import", str(path), stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == "导入完成：新增 4 个、更新 0 个、未变 0 个。"
    assert org(GOV).handling_office.code == OFFICE
    export = tmp_path / "export.xlsx"
    call_command("org_export", str(export), stdout=io.StringIO())
    out = io.StringIO()
    call_command("org_import", str(export), stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == "导入完成：新增 0 个、更新 0 个、未变 4 个。"


def test_the_upload_page_reports_a_bad_office_in_chinese(client, county, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = staff(Role.OFFICE_ADMIN, county[CITY])
    client.force_login(admin)
    unknown = valid_org_code(13000099)
    data = to_csv(tree(finance=unknown), WITH_OFFICE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/orgs/import/", {"file": SimpleUploadedFile("orgs.csv", data)})
    page = client.get(response["Location"]).content.decode()
    assert "发现 1 处错误，未导入任何数据" in page
    assert COLUMN in page and f"「{unknown}」在系统和本文件中都找不到" in page
