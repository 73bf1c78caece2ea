"""The safe CSV/XLSX writer (finding H1: formula injection in exports) and every exporter that uses it."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.exports import (
    SafeWorkbook,
    safe_cell,
    unescape_cell,
    write_csv,
    write_xlsx,
)
from gongkai.core.tables import read_sheet

from .export_checks import ATTACKS, DDE, HYPERLINK, assert_escaped_csv, assert_no_formula_xlsx, csv_rows

GONGKAI = Path(__file__).resolve().parents[2]

# --- the writer ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 10 1234", "'+86 10 1234"),
        ("-5", "'-5"),  # text, even if it looks like a number: numeric columns pass numbers
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("张三", "张三"),
        ("a=1", "a=1"),
        ("'quoted", "'quoted"),
        ("'=1", "''=1"),  # so that the reader, dropping one "'", gives "'=1" back
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("'=1+1", "=1+1"), ("'-5", "-5"), ("'abc", "'abc"), ("''=1", "'=1"), ("'", "'"), (5, 5), (None, None)],
)
def test_unescape_cell_strips_only_the_added_quote(value, expected):
    assert unescape_cell(value) == expected


def test_csv_escapes_text_and_keeps_numbers():
    data = write_csv(
        [[HYPERLINK, -5, Decimal("-1.50"), -0.5, "-5", dt.date(2026, 3, 2), None, True, "a;=1+1"]],
        header=["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬"],
    )
    text = data.decode("utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf") and text.endswith("\r\n")
    # numbers are written unquoted, as numbers; every text field is quoted (a ";" cannot split it)
    assert ',-5,-1.50,-0.5,"\'-5",' in text and '"a;=1+1"' in text
    assert csv_rows(data)[1] == [
        "'" + HYPERLINK,
        "-5",
        "-1.50",
        "-0.5",
        "'-5",
        "2026-03-02",
        "",
        "是",
        "a;=1+1",
    ]
    assert_escaped_csv(data, (HYPERLINK,))


def test_xlsx_text_is_never_a_formula():
    data = write_xlsx(
        [("表", ["名称", "数"], [[a, -5] for a in ATTACKS] + [["#N/A", 1], ["普通", Decimal("2.5")]])]
    )
    assert_no_formula_xlsx(data, ATTACKS)
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data))["表"]
    assert [c.value for c in ws["A"]][1:] == [*ATTACKS, "#N/A", "普通"]
    assert ws["A7"].data_type == "s" and not ws["A8"].quotePrefix  # "#N/A" text, not an error cell
    assert ws["B2"].value == -5 and ws["B2"].data_type == "n" and ws["B8"].value == 2.5


def test_xlsx_keeps_formats_and_drops_control_characters():
    book = SafeWorkbook()
    sheet = book.sheet("甲")
    sheet.append(["a\x00b\x1fc", dt.date(2026, 3, 2)])
    sheet.set(3, 2, "=1+1").number_format = "@"
    sheet.append(["下一行"])
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(book.to_bytes()))["甲"]
    assert ws["A1"].value == "abc" and ws["B1"].is_date and ws["B1"].value.date() == dt.date(2026, 3, 2)
    assert ws["B3"].value == "=1+1" and ws["B3"].number_format == "@" and ws["B3"].data_type == "s"
    assert ws["A4"].value == "下一行"  # append goes below the lowest row written


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reader_round_trips_what_the_writer_wrote(fmt):
    rows = [[a, "普通", "'引号开头"] for a in ATTACKS]
    data = (
        write_csv(rows, header=["甲", "乙", "丙"])
        if fmt == "csv"
        else write_xlsx([("s", ["甲", "乙", "丙"], rows)])
    )
    assert read_sheet(data, f"a.{fmt}") == [["甲", "乙", "丙"], *rows]


# --- every exporter -----------------------------------------------------------------------------


def _public_application(org, name=HYPERLINK, title=DDE):
    from gongkai.applications.services.intake import ApplicantData, RequestData, application_submit_public

    return application_submit_public(
        org=org,
        applicant=ApplicantData(
            applicant_type="natural",
            name=name,
            id_type="resident_id",
            id_number="11010519491231002X",
            phone="13700000000",
            email="z@example.org",
        ),
        request=RequestData(info_title=title),
    )


def _attack_org(org_tree):
    from gongkai.orgs import services

    services.org_update(
        actor=SYSTEM_TEST, org=org_tree["child"], office_name=HYPERLINK, address=DDE, phone="+86 571 1234"
    )
    return org_tree


def ledger_applications(org_tree, fmt, client, tmp_path):
    from gongkai.applications.ledger import export_applications

    _public_application(org_tree["child"])
    return export_applications(org=org_tree["child"], fmt=fmt), (HYPERLINK, DDE)


def ledger_remedies(org_tree, fmt, client, tmp_path):
    from gongkai.applications.ledger import export_remedies
    from gongkai.applications.models import RemedyCase

    application, _ = _public_application(org_tree["child"])
    RemedyCase.objects.create(
        org=org_tree["child"], application=application, kind="review", filed_on="2026-03-02"
    )
    return export_remedies(org=org_tree["child"], fmt=fmt), ()  # no free text in this ledger


def ledger_view(org_tree, fmt, client, tmp_path):
    from gongkai.orgs.models import Role
    from gongkai.orgs.tests.factories import staff

    _public_application(org_tree["child"])
    client.force_login(staff(Role.CLERK, org_tree["child"]))
    url = reverse("applications:ledger_export", args=[org_tree["child"].code, "applications", fmt])
    response = client.get(url)
    assert response.status_code == 200
    return response.content, (HYPERLINK, DDE)


def orgs_function(org_tree, fmt, client, tmp_path):
    from gongkai.orgs.importing import export_orgs
    from gongkai.orgs.models import Organisation

    _attack_org(org_tree)
    return export_orgs(Organisation.objects.all(), fmt), (HYPERLINK, DDE, "+86 571 1234")


def orgs_command(org_tree, fmt, client, tmp_path):
    _attack_org(org_tree)
    path = tmp_path / f"orgs.{fmt}"
    call_command("org_export", str(path), stdout=io.StringIO())
    return path.read_bytes(), (HYPERLINK, DDE, "+86 571 1234")


def orgs_view(org_tree, fmt, client, tmp_path):
    from gongkai.orgs.models import Role
    from gongkai.orgs.tests.factories import staff

    _attack_org(org_tree)
    client.force_login(staff(Role.OFFICE_ADMIN, org_tree["parent"]))
    response = client.get(reverse("orgs:export"), {"fmt": fmt})
    assert response.status_code == 200
    return response.content, (HYPERLINK, DDE, "+86 571 1234")


def report_xlsx(org_tree, fmt, client, tmp_path):
    import copy
    import json

    from gongkai.reports.render_xlsx import render_xlsx

    doc = json.loads((GONGKAI / "reports" / "tests" / "fixtures" / "seed_001.json").read_text())
    doc = copy.deepcopy(doc)
    doc["table4"]["行政复议"]["结果维持"] = HYPERLINK  # a figure that came in as text
    doc["table4"]["行政复议"]["总计"] = DDE
    return render_xlsx(doc), (HYPERLINK, DDE)


def batch_summary(org_tree, fmt, client, tmp_path):
    from gongkai.reports.importing.batch import summary_xlsx

    docs = [
        {
            "source": {"file": HYPERLINK, "part": DDE},
            "unit": "+1+cmd|' /C calc'!A0",
            "year": 2024,
            "format": "2019",
            "kind": "annual",
            "findings": [
                {"severity": "error", "code": "x", "message": "@SUM(1+1)*cmd|' /C calc'!A0", "cells": []}
            ],
        }
    ]
    return summary_xlsx(docs), (HYPERLINK, DDE, "+1+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0")


def batch_view(org_tree, fmt, client, tmp_path):
    from gongkai.orgs.models import Role
    from gongkai.orgs.tests.factories import staff

    client.force_login(staff(Role.CLERK, org_tree["own"]))
    name = '=HYPERLINK("x?"&A2,"x").txt'  # no "/": Django keeps only an upload name's last path part
    upload = SimpleUploadedFile(name, "某县人民政府2024年政府信息公开工作年度报告".encode())
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):  # the check runs as a job once the upload commits
        response = client.post("/admin/report-check/", {"reports": [upload], "output": "xlsx"})
    assert response.status_code == 302  # to the job's page, which offers the download
    response = client.get(response["Location"] + "?fmt=xlsx")
    assert response.status_code == 200
    return response.content, (name,)


EXPORTERS = [
    (ledger_applications, "csv"),
    (ledger_applications, "xlsx"),
    (ledger_remedies, "csv"),
    (ledger_remedies, "xlsx"),
    (ledger_view, "csv"),
    (ledger_view, "xlsx"),
    (orgs_function, "csv"),
    (orgs_function, "xlsx"),
    (orgs_command, "csv"),
    (orgs_command, "xlsx"),
    (orgs_view, "csv"),
    (orgs_view, "xlsx"),
    (report_xlsx, "xlsx"),
    (batch_summary, "xlsx"),
    (batch_view, "xlsx"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("exporter", "fmt"), EXPORTERS, ids=[f"{e.__name__}-{f}" for e, f in EXPORTERS])
def test_every_exporter_writes_attack_strings_as_inert_text(exporter, fmt, org_tree, client, tmp_path):
    # given attack strings in what the exporter writes / when it exports
    data, attacks = exporter(org_tree, fmt, client, tmp_path)
    # then the XLSX holds them as text (no formula anywhere), the CSV escaped with "'"
    if fmt == "xlsx":
        assert_no_formula_xlsx(data, attacks)
    else:
        assert_escaped_csv(data, attacks)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_org_export_with_attack_strings_reimports_unchanged(org_tree, fmt):
    from gongkai.orgs.importing import export_orgs, import_orgs
    from gongkai.orgs.models import Organisation

    # given an organisation whose details begin with "=", "+" / when exported and imported back
    _attack_org(org_tree)
    before = sorted(Organisation.objects.values_list(), key=str)
    result = import_orgs(
        actor=SYSTEM_TEST, data=export_orgs(Organisation.objects.all(), fmt), filename=f"o.{fmt}"
    )
    # then nothing changed: the "'" the CSV added is gone again
    assert result.ok, result.errors
    assert result.updated == [] and len(result.unchanged) == 4
    assert sorted(Organisation.objects.values_list(), key=str) == before
    dept = Organisation.objects.get(pk=org_tree["child"].pk)
    assert (dept.office_name, dept.address, dept.phone) == (HYPERLINK, DDE, "+86 571 1234")


# --- nothing else writes CSV or XLSX ------------------------------------------------------------

_RAW_WRITERS = re.compile(
    r"csv\.(writer|DictWriter)\(|\bWorkbook\(|import[^\n]*\bWorkbook\b|xlsxwriter|\.to_csv\(|\.to_excel\("
)


def test_no_module_writes_csv_or_xlsx_without_the_safe_writer():
    offenders = []
    for path in sorted(GONGKAI.rglob("*.py")):
        relative = path.relative_to(GONGKAI.parent).as_posix()
        if relative == "gongkai/core/exports.py" or "/tests/" in relative or "/migrations/" in relative:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _RAW_WRITERS.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, (
        "以下代码直接写 CSV/XLSX，绕过了防公式注入的统一写出模块；"
        "请改用 gongkai.core.exports（write_csv、write_xlsx、SafeWorkbook）：\n" + "\n".join(offenders)
    )
