"""The shared upload guards (core.uploads) and every upload path that must use them (findings M1, M2).

No timing assertions here (speed belongs in benchmarks): a bomb is shown to be refused *before* any parser
inflates it — the parser is replaced by one that fails the test, and the guard's peak memory is measured.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core import uploads
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.tables import TableFileError, read_sheet

# --- files built in the test -----------------------------------------------------------------------


def pdf() -> bytes:
    from gongkai.catalog.tests.factories import pdf_bytes

    return pdf_bytes()


def docx() -> bytes:
    from gongkai.catalog.tests.factories import docx_bytes

    return docx_bytes("正文")


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx_bomb(unpacked: int = 70 * 1024 * 1024) -> bytes:
    """A small DOCX whose document.xml inflates to ~70 MB (one repeated paragraph, streamed into the zip)."""
    buf = io.BytesIO()
    chunk = b"<w:p><w:r><w:t>" + b"A" * 4000 + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            )
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    return buf.getvalue()


WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
XLSX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)


def xlsx_raw(
    rows: list[bytes] | None = None, *, count: int = 0, sheet: str = "Sheet1", dimension: str = ""
) -> bytes:
    """An XLSX written directly as a zip: ``rows`` as given, or ``count`` generated numeric rows (cheap)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", XLSX_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK % sheet.encode())
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main">'
            )
            if dimension:
                member.write(f'<dimension ref="{dimension}"/>'.encode())
            member.write(b"<sheetData>")
            for row in rows or []:
                member.write(row)
            for start in range(1, count + 1, 10_000):
                member.write(
                    "".join(
                        f'<row r="{i}"><c><v>1</v></c></row>'
                        for i in range(start, min(start + 10_000, count + 1))
                    ).encode()
                )
            member.write(b"</sheetData></worksheet>")
    return buf.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return docx_bomb()


@pytest.fixture(scope="module")
def rows_500k() -> bytes:
    return xlsx_raw(count=500_000, sheet="申请")


@pytest.fixture
def no_parsers(monkeypatch):
    """Any parser that would inflate the file fails the test: the guard must refuse first."""

    def fail(*args, **kwargs):
        raise AssertionError("the parser was reached: the guard did not refuse the file first")

    import docx as python_docx
    import openpyxl

    monkeypatch.setattr(python_docx, "Document", fail)
    monkeypatch.setattr(openpyxl, "load_workbook", fail)


@pytest.fixture
def guard_calls(monkeypatch):
    """Records every call of the shared archive guard (check_xlsx and identify both go through it)."""
    calls: list[int] = []
    real = uploads.check_archive

    def spy(data, **kwargs):
        calls.append(len(data))
        return real(data, **kwargs)

    monkeypatch.setattr(uploads.archives, "check_archive", spy)
    return calls


# --- M1: the declared name must agree with the bytes; downloads use the sniffed type ---------------------


@pytest.mark.django_db
def test_m1_hta_with_pdf_bytes_refused(client, org_tree):
    from gongkai.applications.models import Application
    from gongkai.catalog import attachments as catalog
    from gongkai.catalog.tests.factories import draft_item

    # the shared guard
    with pytest.raises(uploads.UploadRefused, match="文件扩展名与内容不符") as exc:
        uploads.identify(pdf(), "身份证.hta", allowed={"pdf"})
    assert exc.value.reason == "extension"
    # the public application form (HTTP): refused, nothing stored
    org = org_tree["child"]
    form = {
        "applicant_type": "natural", "name": "赵六", "id_type": "resident_id", "id_number": "11010519491231002X",
        "phone": "13700000000", "email": "z@example.org", "info_title": "某小区规划许可",
        "delivery_form": "electronic", "delivery_method": "email", "agree": "on",
    }  # fmt: skip
    upload = SimpleUploadedFile("身份证.hta", pdf(), content_type="application/hta")
    response = client.post(
        reverse("applications_public:form", args=[org.code]), {**form, "attachments": [upload]}
    )
    assert response.status_code == 200 and "文件扩展名与内容不符" in response.content.decode()
    assert not Application.objects.exists()
    # a catalogue attachment
    item = draft_item(org)
    with pytest.raises(ValidationError, match="文件扩展名与内容不符"):
        catalog.attachment_add(actor=SYSTEM_TEST, item=item, name="身份证.hta", data=pdf())
    assert not item.attachments.exists()
    # a double extension is judged by the last one; a name without an extension takes the sniffed one
    with pytest.raises(uploads.UploadRefused, match="扩展名"):
        uploads.identify(pdf(), "身份证.pdf.hta", allowed={"pdf"})
    assert uploads.identify(pdf(), "身份证", allowed={"pdf"}).extension == ".pdf"
    assert uploads.identify(pdf(), "身份证.PDF", allowed={"pdf"}).key == "pdf"


def _disposition_name(response) -> str:
    header = response["Content-Disposition"]
    assert header.startswith("attachment;")
    return header.split("filename*=UTF-8''", 1)[1]


@pytest.mark.django_db
def test_m1_download_uses_sniffed_type_and_attachment_disposition(client, org_tree):
    from gongkai.applications.models import Attachment as ApplicationAttachment
    from gongkai.applications.tests.factories import ApplicationFactory
    from gongkai.catalog import attachments as catalog
    from gongkai.catalog import workflow as catalog_workflow
    from gongkai.catalog.tests.factories import draft_item
    from gongkai.orgs.models import Role
    from gongkai.orgs.tests.factories import staff

    data = pdf()
    org = org_tree["child"]
    # An applicant's attachment stored under the uploader's name and type (as before the fix) ...
    application = ApplicationFactory(org=org)
    stored = ApplicationAttachment.objects.create(
        application=application,
        file=ContentFile(data, name="x.hta"),
        name="身份证.hta",
        content_type="application/hta",
        extension=".hta",
        size=len(data),
        sha256="0" * 64,
    )
    client.force_login(staff(Role.CLERK, org))
    response = client.get(reverse("applications:attachment", args=[stored.pk]))
    # ... is served as what its bytes are: a PDF, named .pdf, as an attachment, never sniffed by the browser
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _disposition_name(response) == quote("身份证.pdf")
    assert b"".join(response.streaming_content) == data

    # A catalogue attachment downloaded publicly: an attachment with the sniffed type, even for a PDF
    item = draft_item(org)
    att = catalog.attachment_add(actor=SYSTEM_TEST, item=item, name="通知", data=data)
    for step in ("submit", "secrecy_pass", "publish"):
        item = catalog_workflow.item_transition(actor=SYSTEM_TEST, item=item, step=step)
    type(att).objects.filter(pk=att.pk).update(name='通知"\r\n.hta', mime="application/hta")
    client.logout()
    response = client.get(f"/gk/{org.code}/xxgk/{item.pk}/files/{att.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _disposition_name(response) == quote("通知_.pdf")  # quote, CR/LF and the old extension gone
    assert 'filename=".pdf"' not in response["Content-Disposition"]

    # Bytes of no known type are served as application/octet-stream, .bin
    ApplicationAttachment.objects.filter(pk=stored.pk).update(name="a.html")
    stored.refresh_from_db()
    stored.file.storage.delete(stored.file.name)
    stored.file.storage.save(stored.file.name, ContentFile(b"<html><script>alert(1)</script>"))
    client.force_login(staff(Role.CLERK, org))
    response = client.get(reverse("applications:attachment", args=[stored.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert _disposition_name(response) == "a.bin"


def test_content_disposition_is_safe():
    header = uploads.content_disposition(
        uploads.download_name("../../报告%0A\x00.docx", uploads.KINDS["pdf"])
    )
    assert header == "attachment; filename=\"file-_0A.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%250A_.pdf"
    assert "\n" not in header and "/" not in header


def test_content_disposition_encodes_a_chinese_name_and_keeps_the_ascii_fallback_quoted():
    # a Chinese name reaches the user as UTF-8 (RFC 5987/6266); the fallback keeps what is ASCII, never as a
    # fragment that starts with a dash (read as an option) or a name that is only an extension
    assert uploads.content_disposition("登记回执-A1.pdf") == (
        "attachment; filename=\"file-A1.pdf\"; filename*=UTF-8''%E7%99%BB%E8%AE%B0%E5%9B%9E%E6%89%A7-A1.pdf"
    )
    assert uploads.content_disposition("年报核查结果.json").startswith('attachment; filename="file.json";')


@pytest.mark.parametrize(
    ("name", "fallback"),
    [("登记回执-A1.pdf", "file-A1.pdf"), ("报告 2025.xlsx", "file-2025.xlsx"), ("A1-报告.pdf", "A1.pdf"),
     ("A1-报告-B2.pdf", "A1--B2.pdf"), ("报告.文档", "file"), ("-报告.pdf", "file.pdf"), ("A1-B2.pdf", "A1-B2.pdf")],
)  # fmt: skip
def test_the_ascii_fallback_is_a_whole_name_where_chinese_was_dropped(name, fallback):
    header = uploads.content_disposition(name)
    assert header.startswith(f'attachment; filename="{fallback}"; ')
    assert header.endswith(quote(name, safe=""))  # the UTF-8 name as before
    # a quote, a backslash or a control character cannot end or escape the quoted fallback
    header = uploads.content_disposition('a"b\\c\td.xlsx', inline=True)
    assert header.startswith('inline; filename="a_b_c_d.xlsx"; ') and header.endswith("a%22b%5Cc%09d.xlsx")


# --- M2: decompression and CPU bombs ------------------------------------------------------------------


def test_m2_docx_bomb_refused_quickly(bomb, no_parsers):
    assert len(bomb) < 400 * 1024  # a few hundred KB ...
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:
        assert z.getinfo("word/document.xml").file_size > 65 * 1024 * 1024  # ... that inflates to ~70 MB
    # Refused from the zip directory alone: the parser is never reached and little memory is used
    tracemalloc.start()
    try:
        with pytest.raises(uploads.UploadRefused, match="压缩炸弹") as exc:
            uploads.identify(bomb, "目录.docx", allowed={"docx"})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert exc.value.reason == "bomb"
    assert peak < 5 * 1024 * 1024


@pytest.mark.django_db
def test_m2_docx_bomb_refused_on_every_document_path(bomb, no_parsers, guard_calls, org_tree):
    from gongkai.applications.attachments import sniff_upload
    from gongkai.catalog import attachments as catalog
    from gongkai.catalog.tests.factories import draft_item
    from gongkai.reports.importing.readers import ReadError, read_bytes

    item = draft_item(org_tree["own"])
    with pytest.raises(ValidationError, match="压缩炸弹"):  # catalogue attachment (and its text extraction)
        catalog.attachment_add(actor=SYSTEM_TEST, item=item, name="目录.docx", data=bomb)
    with pytest.raises(ValidationError, match="压缩炸弹"):  # public and staff application attachments
        sniff_upload(SimpleUploadedFile("申请.docx", bomb))
    with pytest.raises(ReadError, match="压缩炸弹"):  # the report check
        read_bytes(bomb, "年报.docx")
    assert len(guard_calls) == 3


def test_m2_xlsx_500k_rows_refused(rows_500k, no_parsers):
    with zipfile.ZipFile(io.BytesIO(rows_500k)) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size / info.compress_size < uploads.MAX_COMPRESSION_RATIO  # not caught as a bomb
    tracemalloc.start()
    try:
        with pytest.raises(TableFileError, match=f"表格超过 {uploads.MAX_SHEET_ROWS} 行，请拆分后分批导入"):
            read_sheet(rows_500k, "台账.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * len(rows_500k) + 5 * 1024 * 1024  # streamed: never the whole sheet in memory


@pytest.mark.django_db
def test_m2_xlsx_500k_rows_refused_on_every_import(rows_500k, no_parsers, guard_calls, org_tree):
    from gongkai.applications.ledger import import_applications
    from gongkai.orgs.importing import import_orgs
    from gongkai.reports.services import import_figures

    org = org_tree["own"]
    message = f"表格超过 {uploads.MAX_SHEET_ROWS} 行"
    ledger = import_applications(
        actor=SYSTEM_TEST, org=org, data=rows_500k, filename="台账.xlsx", dry_run=True
    )
    assert message in str(ledger.errors[0])
    figures = import_figures(actor=SYSTEM_TEST, org=org, data=rows_500k, filename="表二.xlsx", dry_run=True)
    assert message in figures.errors[0][2]
    orgs = import_orgs(actor=SYSTEM_TEST, data=rows_500k, filename="机构.xlsx", dry_run=True)
    assert message in str(orgs.errors[0])
    assert len(guard_calls) == 3


def test_sparse_and_wide_sheets_are_bounded():
    # one row numbered past the limit (openpyxl would fill every row in between)
    far = xlsx_raw(
        [b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1000000"><c r="A1000000"><v>2</v></c></row>']
    )
    with pytest.raises(TableFileError, match="行"):
        read_sheet(far, "a.xlsx")
    # a declared size of the whole grid no longer pads every row to 16,384 cells
    declared = xlsx_raw(
        [b'<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>'], dimension="A1:XFD1048576"
    )
    assert read_sheet(declared, "a.xlsx") == [[1, 2]]
    # the last allowed column is read; one further is refused (before openpyxl opens the file)
    last = uploads.column_letters(uploads.MAX_SHEET_COLUMNS)
    assert last == "CV" and uploads.column_letters(16384) == "XFD"
    edge = xlsx_raw([f'<row r="1"><c r="A1"><v>1</v></c><c r="{last}1"><v>2</v></c></row>'.encode()])
    assert read_sheet(edge, "a.xlsx") == [[1] + [None] * (uploads.MAX_SHEET_COLUMNS - 2) + [2]]
    beyond = xlsx_raw([b'<row r="1"><c r="A1"><v>1</v></c><c s="1" r="CW1"><v>2</v></c></row>'])
    with pytest.raises(TableFileError, match="列"):
        read_sheet(beyond, "a.xlsx")
    # a cell past the column limit
    wide = xlsx_raw([b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row>'])
    with pytest.raises(TableFileError, match=f"表格超过 {uploads.MAX_SHEET_COLUMNS} 列"):
        read_sheet(wide, "a.xlsx")


def test_cell_limit():
    data = xlsx_raw(count=6)  # one cell a row
    uploads.check_xlsx(data, max_cells=6)
    with pytest.raises(uploads.UploadRefused, match="表格超过 5 个单元格"):
        uploads.check_xlsx(data, max_cells=5)


def test_csv_rows_and_size_limits(settings):
    many = b"a,b\n" * (uploads.MAX_SHEET_ROWS + 1)
    with pytest.raises(TableFileError, match="行"):
        read_sheet(many, "a.csv")
    with pytest.raises(TableFileError, match="文件过大"):
        read_sheet(b"a" * (uploads.MAX_SHEET_BYTES + 1), "a.csv")


def test_member_count_and_parsed_member_limits():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in range(uploads.MAX_ARCHIVE_MEMBERS + 1):
            z.writestr(f"m{n}", b"")
    with pytest.raises(uploads.UploadRefused, match="部件"):
        uploads.check_archive(buf.getvalue())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:  # stored: no ratio, just large
        z.writestr("word/document.xml", b" " * (uploads.MAX_PARSED_MEMBER_BYTES + 1))
    with pytest.raises(uploads.UploadRefused, match="过大"):
        uploads.check_archive(buf.getvalue())


# --- content checked end to end ---------------------------------------------------------------------


def _png(size: tuple[int, int] = (2, 2)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size).save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "key"),
    [
        (pdf, "a.pdf", "pdf"),
        (docx, "a.docx", "docx"),
        (lambda: xlsx_raw(count=3), "a.xlsx", "xlsx"),
        (_png, "a.png", "png"),
        (lambda: "第一行\n".encode("gbk"), "a.txt", "txt"),
    ],
)
def test_allowed_types_are_recognised_end_to_end(data, name, key):
    assert uploads.identify(data(), name, allowed=uploads.KINDS).key == key


def _odt(mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", mimetype)
        z.writestr("content.xml", b"<office:document-content/>")
    return buf.getvalue()


def test_odf_is_recognised_by_its_mimetype_member():
    assert uploads.identify(_odt(), "a.odt", allowed={"odt"}).mime.endswith("opendocument.text")
    with pytest.raises(uploads.UploadRefused):
        uploads.identify(_odt(b"application/x-other"), "a.odt", allowed={"odt"})


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"%PDF-1.4 cut short", "a.pdf", "damaged"),  # no %%EOF
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "a.png", "damaged"),  # header only: does not open
        (b"MZ\x90\x00executable", "a.pdf", "type"),
        (b"", "a.pdf", "empty"),
        (b"PK\x03\x04 not a zip", "a.docx", "type"),
    ],
)
def test_incomplete_or_unknown_content_is_refused(data, name, reason):
    with pytest.raises(uploads.UploadRefused) as exc:
        uploads.identify(data, name, allowed=uploads.KINDS)
    assert exc.value.reason == reason


def test_docx_whose_content_type_is_not_a_document_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.replace(b"document.main", b"template.main"))
        z.writestr("word/document.xml", b"<w:document/>")
    with pytest.raises(uploads.UploadRefused, match="不是完整的 DOCX"):
        uploads.identify(buf.getvalue(), "a.docx", allowed={"docx"})


def test_image_pixel_limit(monkeypatch):
    monkeypatch.setattr(uploads.checks, "MAX_IMAGE_PIXELS", 10)
    with pytest.raises(uploads.UploadRefused, match="图片尺寸过大"):
        uploads.identify(_png((4, 4)), "a.png", allowed={"png"})


def test_time_budget_and_pdf_pages(monkeypatch):
    budget = uploads.TimeBudget(0)
    monkeypatch.setattr(uploads.limits.time, "monotonic", lambda: budget.deadline + 1)
    with pytest.raises(uploads.UploadRefused, match="秒内未能读完"):
        budget.check()
    with pytest.raises(uploads.UploadRefused, match="页数过多"):
        uploads.check_pdf_pages(uploads.MAX_PDF_PAGES + 1)


@pytest.mark.django_db
def test_catalogue_text_extraction_runs_under_the_budget(monkeypatch, org_tree):
    from gongkai.catalog import attachments as catalog
    from gongkai.catalog.tests.factories import draft_item

    class Expired(uploads.TimeBudget):
        def check(self) -> None:
            raise uploads.UploadRefused("文件内容过于复杂，30 秒内未能读完，已停止。", reason="time")

    monkeypatch.setattr(uploads, "TimeBudget", Expired)
    with pytest.raises(ValidationError, match="秒内未能读完"):
        catalog.attachment_add(actor=SYSTEM_TEST, item=draft_item(org_tree["own"]), name="a.pdf", data=pdf())


@pytest.mark.django_db
def test_staff_extension_approval_file_uses_the_guard(org_tree):
    from gongkai.applications.services.extensions import _approval_file

    with pytest.raises(ValidationError, match=r"审批单「审批单.hta」：文件扩展名与内容不符"):
        _approval_file(SimpleUploadedFile("审批单.hta", pdf()))
