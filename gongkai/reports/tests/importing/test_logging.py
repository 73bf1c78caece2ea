"""The importer turns exceptions into findings, and logs them: a reader or recognition bug is never silent."""

from __future__ import annotations

import logging

from gongkai.reports.importing import pipeline
from gongkai.reports.importing.readers import ReadError, ReadResult

LOGGER = "gongkai.reports.importing.pipeline"


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("reader bug")


def test_a_reader_bug_becomes_a_finding_and_an_error_log(monkeypatch, caplog):
    monkeypatch.setattr(pipeline, "read_bytes", _boom)
    with caplog.at_level(logging.INFO, logger="gongkai"):
        docs = pipeline.import_bytes(b"whatever", "2023年报.docx")
    assert docs[0]["findings"][0]["code"] == "import_unreadable"  # behaviour unchanged
    [record] = [r for r in caplog.records if r.name == LOGGER]
    assert record.levelno == logging.ERROR
    assert "2023年报.docx" in record.getMessage() and "8 bytes" in record.getMessage()
    assert record.exc_info and isinstance(record.exc_info[1], RuntimeError)


def test_a_recognition_bug_becomes_a_finding_and_an_error_log(monkeypatch, caplog):
    monkeypatch.setattr(pipeline, "read_bytes", lambda data, name: ReadResult(text="x", filetype="text"))
    monkeypatch.setattr(pipeline, "documents_from_text", _boom)
    with caplog.at_level(logging.INFO, logger="gongkai"):
        docs = pipeline.import_bytes(b"x", "a.txt")
    assert "文件内容识别失败" in docs[0]["error"]
    [record] = [r for r in caplog.records if r.name == LOGGER]
    assert record.levelno == logging.ERROR and record.exc_info


def test_an_unreadable_file_is_logged_at_info_without_a_traceback(monkeypatch, caplog):
    def refuse(data: bytes, name: str) -> ReadResult:
        raise ReadError("PDF 文件已加密（需要密码），无法读取")

    monkeypatch.setattr(pipeline, "read_bytes", refuse)
    with caplog.at_level(logging.INFO, logger="gongkai"):
        pipeline.import_bytes(b"%PDF", "a.pdf")
    [record] = [r for r in caplog.records if r.name == LOGGER]
    assert record.levelno == logging.INFO and not record.exc_info
