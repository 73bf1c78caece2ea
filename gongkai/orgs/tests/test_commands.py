"""The org_import and org_export management commands."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from gongkai.core.models import AuditAction, AuditEntry
from gongkai.orgs.importing import REQUIRED_HEADERS
from gongkai.orgs.models import Organisation
from gongkai.orgs.tests.factories import valid_org_code

pytestmark = pytest.mark.django_db

CITY, COUNTY = valid_org_code(12000001), valid_org_code(12000002)
GOOD = (
    ",".join(REQUIRED_HEADERS)
    + f"\n测试县人民政府,测试县,{COUNTY},{CITY},县,人民政府\n测试市人民政府,,{CITY},,市,人民政府\n"
)


def call(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_org_import_prints_a_summary(tmp_path):
    # given a valid CSV file
    path = tmp_path / "机构.csv"
    path.write_bytes(GOOD.encode("gbk"))
    # when imported from the command line
    out, _ = call("org_import", str(path))
    # then the tree exists, the summary is printed, and the audit log names the system
    assert out.strip() == "导入完成：新增 2 个、更新 0 个、未变 0 个。"
    assert Organisation.objects.get(code=COUNTY).parent.code == CITY
    assert AuditEntry.objects.get(action=AuditAction.IMPORT).actor_name == "系统（批量导入）"
    # and a second run changes nothing
    out, _ = call("org_import", str(path))
    assert out.strip() == "导入完成：新增 0 个、更新 0 个、未变 2 个。"


def test_org_import_dry_run_changes_nothing(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(GOOD, encoding="utf-8")
    out, _ = call("org_import", str(path), "--dry-run")
    assert out.strip() == "校验通过（未导入）：将新增 2 个、更新 0 个、未变 0 个。"
    assert not Organisation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_org_import_lists_every_error_and_fails(tmp_path):
    # given a file with a bad check digit on row 2 and an unknown level on row 3
    path = tmp_path / "orgs.csv"
    bad_code = COUNTY[:8] + ("0" if COUNTY[8] != "0" else "1")
    path.write_text(GOOD.replace(COUNTY, bad_code).replace(",市,", ",地级市,"), encoding="utf-8")
    err = io.StringIO()
    # when imported / then the command fails, lists both errors one per line, and imports nothing
    with pytest.raises(CommandError, match="发现 2 处错误，未导入任何数据。"):
        call_command("org_import", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines == [
        f"第2行「代码」：组织机构代码校验码错误（应为 {COUNTY[8]}）",
        "第3行「层级」：无法识别的层级「地级市」，请填写 省、市、县 或 乡",
    ]
    assert not Organisation.objects.exists()


def test_org_import_missing_file(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        call("org_import", str(tmp_path / "none.csv"))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_org_export_writes_a_file_that_reimports_unchanged(org_tree, tmp_path, suffix):
    # given the fixture tree / when exported
    path = tmp_path / f"orgs.{suffix}"
    out, _ = call("org_export", str(path))
    assert out.strip() == f"已导出 4 个机构到 {path}。"
    # then importing the file finds nothing to change
    out, _ = call("org_import", str(path))
    assert out.strip() == "导入完成：新增 0 个、更新 0 个、未变 4 个。"


def test_org_export_refuses_an_unknown_extension(db, tmp_path):
    with pytest.raises(CommandError, match=r"扩展名应为 \.csv 或 \.xlsx"):
        call("org_export", str(tmp_path / "orgs.pdf"))
    assert not (tmp_path / "orgs.pdf").exists()
