"""Importing and exporting the organisation tree (CSV and XLSX)."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.orgs import importing, services
from gongkai.orgs.importing import HEADERS, REQUIRED_HEADERS, RowError, export_orgs, import_orgs
from gongkai.orgs.models import Level, Organisation, OrgKind, Role
from gongkai.orgs.tests.factories import OrganisationFactory, staff, valid_org_code

pytestmark = pytest.mark.django_db

CITY, COUNTY, DEPT, TOWN = (valid_org_code(n) for n in (11000001, 11000002, 11000003, 11000004))


def line(name, code, parent="", level="县", kind="政府部门", **extra):
    """One spreadsheet row as {header: value}."""
    return {"名称": name, "简称": "", "代码": code, "上级代码": parent, "层级": level, "类型": kind, **extra}


def to_csv(rows, headers=REQUIRED_HEADERS, encoding="utf-8"):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers] if isinstance(row, dict) else row)
    return buffer.getvalue().encode(encoding)


def to_xlsx(rows, headers=REQUIRED_HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h) for h in headers] if isinstance(row, dict) else row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A small tree, children before parents on purpose: the importer must order it itself.
TREE = [
    line("测试乡人民政府", TOWN, COUNTY, level="乡", kind="人民政府"),
    line("测试县财政局", DEPT, COUNTY, 电话="0571-1234567", 邮编="311100", 排序="2"),
    line("测试县人民政府", COUNTY, CITY, kind="人民政府"),
    line("测试市人民政府", CITY, "", level="市", kind="人民政府"),
]
TREE_HEADERS = (*REQUIRED_HEADERS, "电话", "邮编", "排序")


def snapshot_db():
    """Everything an import could change: organisations (all fields) and the audit log length."""
    orgs = sorted(Organisation.objects.values_list(), key=str)
    return orgs, AuditEntry.objects.count()


def errors_of(result):
    return [(e.row, e.column, e.reason) for e in result.errors]


def run(data, filename="orgs.csv", actor=SYSTEM_TEST, dry_run=False):
    return import_orgs(actor=actor, data=data, filename=filename, dry_run=dry_run)


# --- a valid tree -------------------------------------------------------------------------------


def test_valid_tree_is_created_with_paths_depths_and_audit_rows(db):
    # given a CSV of a four-level tree listed children first
    # when imported by a system job
    result = run(to_csv(TREE, TREE_HEADERS))
    # then every org exists, placed by path and depth, parents created before children
    assert result.ok, result.errors
    assert result.created == [CITY, COUNTY, TOWN, DEPT]
    assert (result.updated, result.unchanged) == ([], [])
    by_code = {o.code: o for o in Organisation.objects.all()}
    assert by_code[CITY].path == f"/{CITY}/"
    assert by_code[TOWN].path == f"/{CITY}/{COUNTY}/{TOWN}/"
    assert [by_code[c].depth for c in (CITY, COUNTY, DEPT, TOWN)] == [0, 1, 2, 2]
    assert (by_code[TOWN].level, by_code[TOWN].kind) == (Level.TOWNSHIP, OrgKind.GOVERNMENT)
    dept = by_code[DEPT]
    assert (dept.phone, dept.postcode, dept.sort_order, dept.parent) == (
        "0571-1234567",
        "311100",
        2,
        by_code[COUNTY],
    )
    # and each org has its create row, plus one summary row for the file
    creates = AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="orgs.organisation")
    assert sorted(creates.values_list("object_repr", flat=True)) == sorted(r["名称"] for r in TREE)
    summary = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert summary.changes == {
        "file": "orgs.csv",
        "created": [CITY, COUNTY, TOWN, DEPT],
        "updated": [],
        "unchanged": 0,
    }


def test_reimport_is_idempotent(db):
    # given a tree imported once
    data = to_csv(TREE, TREE_HEADERS)
    run(data)
    before = AuditEntry.objects.exclude(action=AuditAction.IMPORT).count()
    # when the same file is imported again
    result = run(data)
    # then nothing is created or updated and no org audit rows are added
    assert result.ok
    assert (result.created, result.updated) == ([], [])
    assert sorted(result.unchanged) == sorted([CITY, COUNTY, DEPT, TOWN])
    assert result.summary() == "新增 0 个、更新 0 个、未变 4 个"
    assert AuditEntry.objects.exclude(action=AuditAction.IMPORT).count() == before


def test_update_changes_the_given_columns_only(org_tree):
    # given an existing department with contact details
    dept = org_tree["child"]
    services.org_update(actor=SYSTEM_TEST, org=dept, address="旧地址", email="old@example.org")
    # when a file gives its row with a new name and phone, the address column present but
    # empty, and no email column at all
    row = line("测试县财政局（新）", dept.code, org_tree["own"].code, 电话="0571-7654321", 地址="")
    result = run(to_csv([row], (*REQUIRED_HEADERS, "电话", "地址")))
    # then it is updated in place: given columns replaced, absent columns untouched
    assert result.ok, result.errors
    assert result.updated == [dept.code]
    dept.refresh_from_db()
    assert (dept.name, dept.phone, dept.address, dept.email) == (
        "测试县财政局（新）",
        "0571-7654321",
        "",
        "old@example.org",
    )
    assert dept.review_body == "测试市人民政府"  # from the factory; its column is absent
    # and the update row names the changed fields
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(dept.pk)).first()
    assert set(entry.changes) == {"name", "phone", "address", "short_name"}


def test_reparenting_through_import_repaths_the_subtree(org_tree):
    # given city → county → department; the file turns it into city → department → county
    city, county, dept = org_tree["parent"], org_tree["own"], org_tree["child"]
    rows = [
        line(county.name, county.code, dept.code, kind="人民政府"),
        line(dept.name, dept.code, city.code),
    ]
    rows = [r | {"简称": o.short_name} for r, o in zip(rows, (county, dept), strict=True)]
    # when imported
    result = run(to_csv(rows))
    # then both moved, in an order that never forms a cycle, with consistent paths
    assert result.ok, result.errors
    assert result.updated == [dept.code, county.code]
    county.refresh_from_db()
    dept.refresh_from_db()
    assert dept.path == f"{city.path}{dept.code}/"
    assert county.path == f"{dept.path}{county.code}/"
    assert (dept.depth, county.depth) == (1, 2)


def test_dry_run_reports_the_plan_and_changes_nothing(org_tree):
    # given a file with one new and one changed org
    rows = [
        line("测试县教育局", DEPT, org_tree["own"].code),
        line("测试县财政局", org_tree["child"].code, org_tree["own"].code, 电话="123"),
    ]
    before = snapshot_db()
    # when checked with dry_run
    result = run(to_csv(rows, (*REQUIRED_HEADERS, "电话")), dry_run=True)
    # then it says what would happen, and nothing happened
    assert result.ok and result.dry_run
    assert (result.created, result.updated) == ([DEPT], [org_tree["child"].code])
    assert snapshot_db() == before


# --- bad rows -----------------------------------------------------------------------------------

EXISTING = "existing"  # placeholder replaced by the fixture's department code in the table below

BAD_FILES = {
    "missing name": ([line("", DEPT, CITY)], [(2, "名称", "不能为空")]),
    "missing level and kind": (
        [line("甲", DEPT, CITY, level="", kind="")],
        [(2, "层级", "不能为空"), (2, "类型", "不能为空")],
    ),
    "missing code": ([line("甲", "", CITY)], [(2, "代码", "不能为空")]),
    "bad check digit": (
        [line("甲", DEPT[:8] + "0", CITY)],
        [(2, "代码", f"组织机构代码校验码错误（应为 {DEPT[8]}）")],
    ),
    "short numeric code": (
        [line("甲", "14349", CITY)],
        [
            (
                2,
                "代码",
                "代码长度应为9位（组织机构代码）或18位（统一社会信用代码），实际为5位" + importing._TEXT_HINT,
            )
        ],
    ),
    "bad parent code": (
        [line("甲", DEPT, "ABC")],
        [(2, "上级代码", "代码长度应为9位（组织机构代码）或18位（统一社会信用代码），实际为3位")],
    ),
    "duplicate code": (
        [line("甲", DEPT, CITY), line("乙", DEPT, CITY)],
        [(3, "代码", "代码与第2行重复")],
    ),
    "duplicate name": (
        [line("甲", DEPT, CITY), line("甲", TOWN, CITY)],
        [(3, "名称", "名称与第2行重复")],
    ),
    "name of another existing org": (
        [line("测试县财政局", DEPT, CITY)],
        [(2, "名称", f"名称已被现有机构使用（代码 {EXISTING}）")],
    ),
    "unknown parent": (
        [line("甲", DEPT, TOWN)],
        [(2, "上级代码", f"上级代码「{TOWN}」在系统和本文件中都找不到")],
    ),
    "own parent": ([line("甲", DEPT, DEPT)], [(2, "上级代码", "上级代码不能是本机构自己的代码")]),
    "cycle in the file": (
        [line("甲", DEPT, TOWN), line("乙", TOWN, DEPT)],
        [
            (2, "上级代码", "上级关系形成循环：甲 → 乙 → 甲"),
            (3, "上级代码", "上级关系形成循环：乙 → 甲 → 乙"),
        ],
    ),
    "unknown level": (
        [line("甲", DEPT, CITY, level="区")],
        [(2, "层级", "无法识别的层级「区」，请填写 省、市、县 或 乡")],
    ),
    "unknown kind": (
        [line("甲", DEPT, CITY, kind="事业单位")],
        [(2, "类型", "无法识别的类型「事业单位」，请填写 人民政府、政府部门、派出机构 或 其他")],
    ),
    "bad email": ([line("甲", DEPT, CITY, 电子邮箱="gongkai@")], [(2, "电子邮箱", "电子邮箱格式不正确")]),
    "bad postcode": ([line("甲", DEPT, CITY, 邮编="31110")], [(2, "邮编", "邮编应为6位数字")]),
    "bad website": (
        [line("甲", DEPT, CITY, 网站="www.example.gov.cn")],
        [(2, "网站", "网址格式不正确，应以 http:// 或 https:// 开头，例如 https://www.example.gov.cn")],
    ),
    "bad sort order": ([line("甲", DEPT, CITY, 排序="第一")], [(2, "排序", "排序应填整数")]),
    "fractional sort order": ([line("甲", DEPT, CITY, 排序="1.5")], [(2, "排序", "排序应填整数")]),
    "huge sort order": ([line("甲", DEPT, CITY, 排序="1e12")], [(2, "排序", "排序的数值过大")]),
    "name too long": ([line("甲" * 101, DEPT, CITY)], [(2, "名称", "不能超过 100 个字（现有 101 个）")]),
    "cell without header": (
        [[*line("甲", DEPT, CITY).values(), "备注"]],
        [(2, "", "第 7 列有内容，但这一列没有列名")],
    ),
}


@pytest.fixture
def city(db):
    OrganisationFactory(name="测试市人民政府", code=CITY, level=Level.CITY, kind=OrgKind.GOVERNMENT)
    return OrganisationFactory(name="测试县财政局", code=valid_org_code(11000009))


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_rows_are_reported_with_row_and_column_and_nothing_changes(city, case):
    # given a file with one kind of problem, next to a valid row that would otherwise be created
    rows, expected = BAD_FILES[case]
    headers = (*REQUIRED_HEADERS, "电子邮箱", "邮编", "网站", "排序")
    valid = line("测试县审计局", valid_org_code(11000010), CITY)
    expected = [(r, c, m.replace(EXISTING, city.code)) for r, c, m in expected]
    before = snapshot_db()
    # when imported
    result = run(to_csv([*rows, valid], headers if case != "cell without header" else REQUIRED_HEADERS))
    # then every problem is reported where it is, and nothing at all was imported
    assert not result.ok
    assert errors_of(result) == expected
    assert (result.created, result.updated) == ([], [])
    assert snapshot_db() == before


def test_cycle_through_existing_orgs_is_refused(org_tree):
    # given city → county → department / when the city is put under the department
    city, county, dept = org_tree["parent"], org_tree["own"], org_tree["child"]
    before = snapshot_db()
    result = run(
        to_csv(
            [line(city.name, city.code, dept.code, level="市", kind="人民政府") | {"简称": city.short_name}]
        )
    )
    # then the row is refused naming the loop, and nothing changes
    assert errors_of(result) == [
        (2, "上级代码", f"上级关系形成循环：{city.name} → {dept.name} → {county.name} → {city.name}")
    ]
    assert snapshot_db() == before


def test_every_bad_row_is_reported_at_once(city):
    # given a file where rows 2, 4 and 6 are bad and a blank row 5 sits in between
    rows = [
        line("甲", "12345678", CITY),
        line("乙", valid_org_code(11000011), CITY),
        line("丙", valid_org_code(11000012), "", level="镇"),
        ["", "", "", "", "", ""],
        line("丁", valid_org_code(11000013), valid_org_code(11000099)),
    ]
    # when imported
    result = run(to_csv(rows))
    # then all three are reported, with spreadsheet row numbers, in order
    assert [(e.row, e.column) for e in result.errors] == [(2, "代码"), (4, "层级"), (6, "上级代码")]
    assert not Organisation.objects.filter(name__in=["甲", "乙", "丙", "丁"]).exists()


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ("名称", "简称", "代码", "层级", "类型"),
            [(1, "上级代码", "缺少这一列（必需的列：名称、简称、代码、上级代码、层级、类型）")],
        ),
        (
            (*REQUIRED_HEADERS, "电子邮件"),
            [(1, "电子邮件", f"无法识别的列名。可用的列：{'、'.join(HEADERS)}")],
        ),
        ((*REQUIRED_HEADERS, "代码"), [(1, "代码", "列名重复（第 3 列和第 7 列）")]),
    ],
)
def test_bad_headers_are_reported_on_row_one(db, headers, expected):
    # given a header with a missing, unknown or repeated column / when imported / then row 1 is blamed
    result = run(to_csv([], headers) + f"甲,,{DEPT},,县,政府部门\n".encode())
    assert errors_of(result) == expected
    assert not Organisation.objects.exists()


def test_semicolon_separated_file_gets_a_hint(db):
    # given a CSV saved with semicolons (a European Excel setting) / when imported
    result = run((";".join(REQUIRED_HEADERS) + "\n").encode())
    # then the first message says how to save it, before the missing columns
    assert errors_of(result)[0] == (
        1,
        ";".join(REQUIRED_HEADERS),
        "表头不是用逗号分隔的，请在 Excel 中另存为“CSV（逗号分隔）”后再导入",
    )
    assert len(result.errors) == 1 + len(REQUIRED_HEADERS)


def test_required_headers_may_be_marked_with_a_star(db):
    # given headers written "名称*" as many templates do / when imported / then they are recognised
    headers = [f"{h}*" for h in REQUIRED_HEADERS]
    result = run(
        to_csv([line("测试市人民政府", CITY, level="市", kind="人民政府")], headers=REQUIRED_HEADERS).replace(
            ",".join(REQUIRED_HEADERS).encode(), ",".join(headers).encode()
        )
    )
    assert result.ok, result.errors


def test_an_error_while_applying_rolls_everything_back(city, monkeypatch):
    # given a valid file of two new orgs, and a service that fails on the second one (say, a
    # constraint the checks above do not know)
    real_create = services.org_create
    calls = []

    def failing_create(**kwargs):
        calls.append(kwargs["code"])
        if len(calls) == 2:
            raise ValidationError({"name": ["示例错误"]})
        return real_create(**kwargs)

    monkeypatch.setattr(services, "org_create", failing_create)
    rows = [
        line("测试县审计局", valid_org_code(11000010), CITY),
        line("测试县统计局", valid_org_code(11000011), CITY),
    ]
    before = snapshot_db()
    # when imported
    result = run(to_csv(rows))
    # then the failing row is reported and the first org is not left behind
    assert errors_of(result) == [(3, "名称", "示例错误")]
    assert snapshot_db() == before


# --- the file itself -----------------------------------------------------------------------------

OLD_EXCEL = (
    "这是旧版 Excel（.xls）文件或设了密码的工作簿，请在 Excel 中另存为 .xlsx（不设密码）或 CSV 后再导入。"
)


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (b"a,b\n", "orgs.txt", "只能导入 CSV（.csv）或 Excel（.xlsx）文件。"),
        (
            b"\xd0\xcf\x11\xe0" + b"\x00" * 100,
            "orgs.xls",
            OLD_EXCEL,
        ),
        (
            b"\xd0\xcf\x11\xe0" + b"\x00" * 100,
            "orgs.xlsx",
            OLD_EXCEL,
        ),
        (
            "名称,代码\n".encode(),
            "orgs.xlsx",
            "文件扩展名是 .xlsx，但内容不是 Excel 工作簿，请确认选对了文件。",
        ),
        (
            b"PK\x03\x04garbage",
            "orgs.xlsx",
            "无法读取该 XLSX 文件：文件可能已损坏，或不是 Excel 2007 及以后版本保存的工作簿。",
        ),
        (
            b"PK\x03\x04garbage",
            "orgs.csv",
            "文件扩展名是 .csv，但内容是 Excel 工作簿，请把扩展名改为 .xlsx 或另存为 CSV。",
        ),
        (
            "名称,代码\n".encode("utf-16"),
            "orgs.csv",
            "文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为“CSV UTF-8（逗号分隔）”或 XLSX 后再导入。",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00",
            "orgs.csv",
            "文件不是文本格式的 CSV（含有二进制内容），请确认选对了文件。",
        ),
        (
            b"\xff\xfb\x90\xc4\x80",
            "orgs.csv",
            "无法识别文件的文字编码（既不是 UTF-8 也不是 GBK），请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入。",
        ),
        (b"", "orgs.csv", "第一行应为表头（名称、简称、代码、上级代码、层级、类型……），但它是空的"),
        (",".join(REQUIRED_HEADERS).encode() + b"\r\n\r\n", "orgs.csv", "文件中只有表头，没有机构数据。"),
    ],
)
def test_unreadable_files_get_one_clear_message(db, data, filename, reason):
    # given a file that is not a usable table / when imported / then one message says why
    result = run(data, filename)
    assert [e.reason for e in result.errors] == [reason]
    assert not result.ok


def test_size_guards(db, monkeypatch):
    # given limits of 2 rows and 300 bytes (the real ones are 20,000 rows and 5 MB)
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    monkeypatch.setattr(importing, "MAX_BYTES", 300)
    three = to_csv([line("甲", CITY), line("乙", COUNTY), line("丙", DEPT)])
    # when a file has one row too many, or too many bytes / then it is refused as a whole
    assert [str(e) for e in run(three).errors] == ["文件超过 2 行，请拆分成几个文件分别导入。"]
    assert [str(e) for e in run(three + b" " * 300).errors] == ["文件超过 0 MB，请拆分成几个文件分别导入。"]
    xlsx_errors = run(to_xlsx([line("甲", CITY), line("乙", COUNTY), line("丙", DEPT)]), "a.xlsx").errors
    assert str(xlsx_errors[0]).startswith("文件超过")
    assert not Organisation.objects.exists()


def test_row_error_text():
    assert str(RowError(3, "代码", "校验码错误")) == "第3行「代码」：校验码错误"
    assert str(RowError(4, "", "多出的内容")) == "第4行：多出的内容"
    assert str(RowError(0, "", "文件为空")) == "文件为空"


# --- encodings and XLSX cells -------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_encodings(db, encoding):
    # given the tree saved as CSV the way Excel in China (GBK) or a UTF-8 editor (with/without BOM) does
    data = to_csv(TREE, TREE_HEADERS, encoding=encoding)
    # when imported / then the Chinese names and the first header arrive intact
    result = run(data)
    assert result.ok, result.errors
    assert set(Organisation.objects.values_list("name", flat=True)) == {r["名称"] for r in TREE}


def test_xlsx_with_numeric_cells(db):
    # given an XLSX where Excel stored digits as numbers: a code with leading zeros (000014349),
    # a parent code, postcodes (one starting with 0), a phone and a sort order typed as 3.0
    rows = [
        line(
            "测试市人民政府", 14349, None, level="市", kind="人民政府", 邮编=10000, 电话=13800138000, 排序=3.0
        ),
        line("测试县人民政府", COUNTY, 14349, kind="人民政府", 邮编=311100),
    ]
    # when imported
    result = run(to_xlsx(rows, (*REQUIRED_HEADERS, "邮编", "电话", "排序")), "orgs.xlsx")
    # then the cells come back as the text that was meant
    assert result.ok, result.errors
    city = Organisation.objects.get(code="000014349")
    assert (city.postcode, city.phone, city.sort_order) == ("010000", "13800138000", 3)
    county = Organisation.objects.get(code=COUNTY)
    assert (county.parent, county.postcode) == (city, "311100")


def test_xlsx_long_code_stored_as_number_is_refused(db):
    # given an 18-digit credit code that Excel turned into a number (losing its last digits)
    rows = [line("深圳市某公司", 914403001922038216, None)]
    # when imported / then the clerk is told to format the column as text
    result = run(to_xlsx(rows), "orgs.xlsx")
    assert errors_of(result) == [(2, "代码", "代码被存成了数字，已经丢失了位数" + importing._TEXT_HINT)]


def test_xlsx_reads_the_first_sheet_only(db):
    # given a workbook whose second sheet holds junk
    workbook = load_workbook(io.BytesIO(to_xlsx([line("测试市人民政府", CITY, level="市", kind="人民政府")])))
    workbook.create_sheet("说明").append(["这不是机构表"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # when imported / then only the first sheet counts
    result = run(buffer.getvalue(), "ORGS.XLSX")
    assert result.ok and result.created == [CITY]


def test_xlsx_with_a_wrong_recorded_size_is_read_in_full(db):
    # given a workbook whose sheet claims to be one cell big (as some report tools write it)
    data = to_xlsx(TREE, TREE_HEADERS)
    source, target = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            content = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', content)
            new.writestr(item, content)
    # when imported / then every row is read
    result = run(target.getvalue(), "orgs.xlsx")
    assert result.ok, result.errors
    assert len(result.created) == len(TREE)


# --- export and the round trip ------------------------------------------------------------------


@pytest.fixture
def full_tree(org_tree):
    """The fixture tree with every contact column filled, including values a spreadsheet mangles."""
    services.org_update(
        actor=SYSTEM_TEST,
        org=org_tree["child"],
        office_name="测试县财政局办公室",
        address='测试县"人民路"1号，\n二楼',
        office_hours="工作日 9:00-17:00",
        phone="0571-1234567",
        fax="=1+1",
        email="czj@example.gov.cn",
        postcode="010000",
        website="https://czj.example.gov.cn/",
        sort_order=7,
    )
    services.org_update(actor=SYSTEM_TEST, org=org_tree["sibling"], is_active=False, sort_order=-1)
    return org_tree


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimports_unchanged(full_tree, fmt):
    # given an export of the whole tree
    data = export_orgs(Organisation.objects.all(), fmt)
    before = snapshot_db()[0]
    # when it is imported back
    result = run(data, f"export.{fmt}")
    # then every org is unchanged
    assert result.ok, result.errors
    assert sorted(result.unchanged) == sorted(Organisation.objects.values_list("code", flat=True))
    assert (result.created, result.updated) == ([], [])
    assert snapshot_db()[0] == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_restores_what_changed_since(full_tree, fmt):
    # given an export, after which a department's details are changed
    data = export_orgs(Organisation.objects.all(), fmt)
    dept = full_tree["child"]
    services.org_update(actor=SYSTEM_TEST, org=dept, phone="999", postcode="", name="改名后的财政局")
    # when the export is imported
    result = run(data, f"export.{fmt}")
    # then exactly that org is updated back to its exported values
    assert result.updated == [dept.code]
    dept.refresh_from_db()
    assert (dept.name, dept.phone, dept.postcode) == ("测试县财政局", "0571-1234567", "010000")


def test_csv_export_is_utf8_with_bom_parents_first(full_tree):
    # given the tree / when exported as CSV
    data = export_orgs(Organisation.objects.order_by("-depth"), "csv")
    # then Excel sees UTF-8 (BOM), the full header, and each parent before its children
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == HEADERS
    seen = set()
    for row in rows[1:]:
        assert row[3] == "" or row[3] in seen
        seen.add(row[2])
    assert len(seen) == 4
    dept_row = next(r for r in rows if r[2] == full_tree["child"].code)
    assert dept_row[3:6] == [full_tree["own"].code, "县", "政府部门"]


def test_xlsx_export_keeps_text_as_text(full_tree):
    # given the tree / when exported as XLSX
    workbook = load_workbook(io.BytesIO(export_orgs(Organisation.objects.all(), "xlsx")))
    sheet = workbook.worksheets[0]
    # then codes, postcodes and a value starting with "=" are text cells, not numbers or formulas
    header = [c.value for c in sheet[1]]
    dept_row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == full_tree["child"].code)
    cells = dict(zip(header, dept_row, strict=True))
    assert cells["邮编"].value == "010000" and cells["邮编"].data_type == "s"
    assert cells["传真"].value == "=1+1" and cells["传真"].data_type == "s"
    assert cells["排序"].value == 7


def test_export_rejects_an_unknown_format(db):
    with pytest.raises(ValueError, match="unknown export format"):
        export_orgs([], "pdf")


# --- permissions --------------------------------------------------------------------------------


def test_office_admin_may_change_only_their_subtree(org_tree):
    # given the county's office admin and a file touching the whole tree
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    city, county, dept, sibling = (org_tree[k] for k in ("parent", "own", "child", "sibling"))
    export = export_orgs([city], "csv").decode("utf-8-sig").splitlines()
    rows = [
        dict(zip(HEADERS, next(csv.reader([export[1]])), strict=True)),  # the city, unchanged: fine
        line("测试县审计局", valid_org_code(11000020), county.code),  # new under own county: fine
        line("测试县审计局分局", valid_org_code(11000021), valid_org_code(11000020)),  # under that: fine
        line("邻县审计局", valid_org_code(11000022), sibling.code),  # under the sibling: refused
        line(sibling.name + "（改）", sibling.code, city.code, kind="人民政府"),  # update sibling: refused
        line("新的顶级机构", valid_org_code(11000023), ""),  # top level: refused
        line(dept.name, dept.code, sibling.code),  # move own dept to the sibling: refused
    ]
    before = snapshot_db()
    # when imported by them
    result = run(to_csv(rows, HEADERS), actor=admin)
    # then exactly the rows they may not change are reported, and nothing is imported
    assert errors_of(result) == [
        (5, "上级代码", f"您没有在「{sibling.name}」下新增机构的权限"),
        (6, "代码", f"您没有修改「{sibling.name}」的权限"),
        (7, "上级代码", "只有系统管理员可以新增顶级机构"),
        (8, "上级代码", f"您没有把机构移到「{sibling.name}」下的权限"),
    ]
    assert snapshot_db() == before
    # and without those rows the rest imports under their name
    result = run(to_csv(rows[:3], HEADERS), actor=admin)
    assert result.ok, result.errors
    assert result.created == [valid_org_code(11000020), valid_org_code(11000021)]
    assert result.unchanged == [city.code]
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {admin.pk}


def test_clerk_may_import_nothing(org_tree):
    # given a clerk of the county / when they import a new department / then the row is refused
    clerk = staff(Role.CLERK, org_tree["own"])
    result = run(to_csv([line("测试县审计局", DEPT, org_tree["own"].code)]), actor=clerk)
    assert errors_of(result) == [(2, "上级代码", f"您没有在「{org_tree['own'].name}」下新增机构的权限")]
    assert not Organisation.objects.filter(code=DEPT).exists()


def test_system_admin_may_create_top_level_orgs(org_tree):
    admin = staff(Role.SYSTEM_ADMIN, org_tree["child"])
    result = run(to_csv([line("另一市人民政府", DEPT, "", level="市", kind="人民政府")]), actor=admin)
    assert result.ok and result.created == [DEPT]


def test_l5_control_character_in_a_cell_is_refused_with_its_place(db):
    # given a CSV whose second data row has a BEL character in the name
    rows = [dict(r) for r in TREE]
    rows[1]["名称"] = "测试\x07县"
    # when imported / then nothing is written and the clerk is told which cell
    result = run(to_csv(rows, TREE_HEADERS, encoding="utf-8"))
    assert not result.ok
    assert "第 3 行第 1 列含有不可见的控制字符" in str(result.errors)
    assert not Organisation.objects.exists()


def test_settings_columns_round_trip_and_are_checked(org_tree):
    # given a department whose 双人审核 is off, extensions approved by upload, with a local report deadline
    dept = org_tree["child"]
    Organisation.objects.filter(pk=dept.pk).update(four_eyes=False, extension_approval="upload")
    dept.refresh_from_db()
    # when exported, it says so in words
    exported = export_orgs([dept], "csv").decode("utf-8-sig")
    assert "否" in exported and "上传审批单" in exported
    # and re-imported unchanged, nothing changes
    result = run(exported.encode("utf-8"))
    assert result.ok and result.unchanged == [dept.code]
    # a wrong value is refused with the column named
    rows = [line(dept.name, dept.code, org_tree["own"].code, 双人审核="可以", 延期审批方式="口头")]
    result = run(to_csv(rows, (*REQUIRED_HEADERS, "双人审核", "延期审批方式")))
    assert [(e.column, e.reason) for e in result.errors] == [
        ("双人审核", "请填写「是」或「否」"),
        ("延期审批方式", "无法识别的延期审批方式「口头」，请填写 系统内审批、上传审批单"),
    ]


def test_an_office_admin_cannot_switch_off_their_own_rule_by_import(org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    county = org_tree["own"]
    rows = [line(county.name, county.code, org_tree["parent"].code, kind="人民政府", 双人审核="否")]
    result = run(to_csv(rows, (*REQUIRED_HEADERS, "双人审核")), actor=admin)
    assert not result.ok and "上级机构" in str(result.errors)
    assert Organisation.objects.get(pk=county.pk).four_eyes
