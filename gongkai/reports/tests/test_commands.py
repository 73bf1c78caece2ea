"""Tests for the CLI: import_ledger, report_json (seed 001 acceptance), report_render."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gongkai.applications.models import Application, RemedyCase
from gongkai.orgs.tests.factories import OrganisationFactory
from gongkai.reports.models import Table2Figure
from gongkai.reports.tests.factories import seed_001_figures_csv, seed_001_ledger_xlsx

pytestmark = pytest.mark.django_db
SEED_001 = json.loads((Path(__file__).parent / "fixtures" / "seed_001.json").read_text())


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_seed_001_acceptance_via_ledger_and_report_json(tmp_path):
    # given 洛江区's ledger workbook (申请 / 复议诉讼 / 表二 sheets)
    org = OrganisationFactory(name="洛江区人民政府")
    ledger = tmp_path / "洛江区台账.xlsx"
    ledger.write_bytes(seed_001_ledger_xlsx())
    # when it is imported and the 2019-format report printed
    run("import_ledger", str(ledger), "--org", org.code)
    doc = json.loads(run("report_json", "--org", org.code, "--year", "2020", "--format", "2019"))
    # then the tables are exactly those of seed 001
    assert (Application.objects.count(), RemedyCase.objects.count(), Table2Figure.objects.count()) == (
        9,
        1,
        22,
    )
    for table in ("table2", "table3", "table4"):
        assert doc[table] == SEED_001[table], table


def test_figures_csv_and_dry_run(tmp_path):
    org = OrganisationFactory()
    path = tmp_path / "表二.csv"
    path.write_bytes(seed_001_figures_csv())
    out = run("import_ledger", str(path), "--org", org.code, "--kind", "figures", "--dry-run")
    assert "可导入 22 项" in out
    assert Table2Figure.objects.count() == 0
    run("import_ledger", str(path), "--org", org.code)  # kind recognised from the header
    assert Table2Figure.objects.count() == 22


def test_bad_sheet_rolls_back_the_whole_workbook(tmp_path):
    # given a workbook whose 表二 sheet has one bad row
    from openpyxl import load_workbook

    org = OrganisationFactory()
    book_path = tmp_path / "bad.xlsx"
    book_path.write_bytes(seed_001_ledger_xlsx())
    book = load_workbook(book_path)
    book["表二"].append([2020, "规章", "本年新制作数量", "很多"])
    book.save(book_path)
    # when imported / then nothing at all is written
    with pytest.raises(CommandError, match="未导入任何记录"):
        run("import_ledger", str(book_path), "--org", org.code)
    assert (Application.objects.count(), RemedyCase.objects.count(), Table2Figure.objects.count()) == (
        0,
        0,
        0,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "000000000", "--year", "2020"], "找不到机构"),
        (["--year", "2020"], "required"),
    ],
)
def test_report_json_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        run("report_json", *args)


def test_report_json_check_adds_findings():
    org = OrganisationFactory()
    doc = json.loads(run("report_json", "--org", org.code, "--year", "2022", "--check"))
    assert doc["format"] == "2021"
    assert {f["code"] for f in doc["findings"]} >= {"section_missing", "cell_blank"}


@pytest.mark.parametrize("suffix", ["html", "xlsx", "docx"])
def test_report_render(tmp_path, suffix):
    org = OrganisationFactory()
    target = tmp_path / f"report.{suffix}"
    run("report_render", "--org", org.code, "--year", "2021", "--to", str(target))
    assert target.stat().st_size > 500


def test_report_render_rejects_unknown_extension(tmp_path):
    org = OrganisationFactory()
    with pytest.raises(CommandError, match="扩展名"):
        run("report_render", "--org", org.code, "--year", "2021", "--to", str(tmp_path / "x.txt"))
