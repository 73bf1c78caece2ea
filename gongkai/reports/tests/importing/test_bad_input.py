"""Bad input: every file gives a clear Chinese message; a batch goes on; the readers never crash."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.reports.importing import batch, readers
from gongkai.reports.importing.batch import run_batch
from gongkai.reports.importing.pipeline import import_bytes
from gongkai.reports.importing.readers import ReadError, read_bytes

from . import synth
from .conftest import seed

ENCRYPTED_PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj
3 0 obj << /Filter /Standard /V 1 /R 2 /O <28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A>
/U <28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A> /P -44 >> endobj
trailer << /Root 1 0 R /Encrypt 3 0 R /ID [<0123456789ABCDEF0123456789ABCDEF><0123456789ABCDEF0123456789ABCDEF>] /Size 4 >>
%%EOF
"""


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "文件为空"),
        (b"%PDF-1.4\n garbage garbage", "broken.pdf", "PDF"),
        (ENCRYPTED_PDF, "locked.pdf", "PDF 文件已加密"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.doc", ".doc"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "scan.png", "图片"),
        (bytes(range(256)) * 50, "junk.bin", "二进制"),
        (b"PK\x03\x04" + b"\x00" * 200, "broken.docx", "Word"),
    ],
)
def test_unreadable_files_give_a_clear_message(data, name, message):
    # when a damaged/encrypted/foreign file is imported
    [doc] = import_bytes(data, name)
    # then it is one document with the reason, as an error finding — never an exception
    assert doc["error"] and message in doc["error"]
    assert doc["findings"][0]["code"] == "import_unreadable"
    assert doc["findings"][0]["severity"] == "error"
    assert doc["source"]["file"] == name


def test_encrypted_pdf_is_named_as_encrypted():
    with pytest.raises(ReadError, match="已加密"):
        read_bytes(ENCRYPTED_PDF, "locked.pdf")


def test_huge_file_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ReadError, match="文件过大"):
        read_bytes(b"x" * 2000, "big.txt")


def test_scanned_pdf_without_text_says_so():
    from gongkai.core.documents import html_to_pdf

    pdf = html_to_pdf("<html><body><div></div></body></html>")
    with pytest.raises(ReadError, match="扫描件"):
        read_bytes(pdf, "scan.pdf")


def _zip(members: dict[str, bytes], *, level: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_batch_over_zip_continues_past_bad_members_and_bombs(tmp_path, luojiang, monkeypatch):
    # given a zip with a good report, junk, a zip bomb member and a nested zip
    monkeypatch.setattr(batch, "MAX_ZIP_RATIO", 50)
    archive = tmp_path / "reports.zip"
    archive.write_bytes(
        _zip(
            {
                "洛江区.html": synth.to_html(luojiang),
                "junk.pdf": b"%PDF-1.7 not really",
                "bomb.txt": b"0" * 3_000_000,
                "inner.zip": _zip({"a.txt": b"x"}),
            }
        )
    )
    # when the batch runs
    progress = batch.Progress(io.StringIO())
    docs = run_batch([archive], progress=progress)
    # then every member has a document, the good one is read, the others explain themselves
    by_name = {d["source"]["file"].split("!")[-1]: d for d in docs}
    assert set(by_name) == {"洛江区.html", "junk.pdf", "bomb.txt", "inner.zip"}
    assert by_name["洛江区.html"]["table3"] is not None
    assert "压缩炸弹" in by_name["bomb.txt"]["error"]
    assert "嵌套" in by_name["inner.zip"]["error"]
    assert "PDF" in by_name["junk.pdf"]["error"]
    assert progress.stream.getvalue().count("/4") == 4


def test_batch_over_folder_with_missing_and_corrupt_zip(tmp_path):
    (tmp_path / "a.txt").write_bytes(seed("001").read_bytes())
    (tmp_path / "b.zip").write_bytes(b"PK\x03\x04broken")
    docs = run_batch([tmp_path, tmp_path / "missing.html"])
    files = [d["source"]["file"] for d in docs]
    assert any(f.endswith("a.txt") for f in files)
    assert any(d.get("error") == "文件不存在" for d in docs)
    assert len(docs) == 3


def test_wrong_encoding_declared_in_meta_is_still_read(luojiang):
    page = synth.to_html(luojiang, encoding="gbk").replace(b"charset=gbk", b"charset=utf-8")
    [doc] = import_bytes(page, "wrong.html")
    assert doc["table3"] is not None and doc["unit"] == "洛江区人民政府"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(["a.txt", "a.html", "a.pdf", "a.docx", "a"]))
def test_fuzz_readers_raise_only_read_errors(data, name):
    try:
        read_bytes(data, name)
    except ReadError as exc:
        assert str(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000).map(lambda b: b"%PDF-1.4\n" + b), st.just("x.pdf"))
def test_fuzz_pdf_headers(data, name):
    try:
        read_bytes(data, name)
    except ReadError as exc:
        assert "PDF" in str(exc) or "文件" in str(exc)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["一、总体情况", "三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量 |",
                             "（七）总计", "|||", "7 |", "0", "行政复议 |", "第二十条第（一）项 |", "减3", "2021年"]),
            st.text(max_size=30),
        ),
        max_size=60,
    )
)  # fmt: skip
def test_fuzz_import_never_raises(lines):
    for doc in import_bytes("\n".join(lines).encode("utf-8", errors="ignore"), "f.txt"):
        assert "findings" in doc
