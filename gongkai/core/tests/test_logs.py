"""Operational logging: JSON lines on request, the platform's loggers under gongkai, refusals logged safely."""

from __future__ import annotations

import json
import logging
import sys

from django.conf import settings

from gongkai.core import uploads
from gongkai.core.logs import JsonLinesFormatter


def test_a_json_line_holds_time_level_logger_message_extras_and_the_traceback():
    logger = logging.getLogger("gongkai.core.tests")
    try:
        raise ValueError("坏了")
    except ValueError:
        record = logger.makeRecord(
            logger.name,
            logging.ERROR,
            __file__,
            1,
            "导入失败：%s",
            ("甲.csv",),
            sys.exc_info(),
            extra={"rows": 3},
        )
    line = JsonLinesFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "gongkai.core.tests"
    assert entry["message"] == "导入失败：甲.csv" and entry["rows"] == 3
    assert "ValueError: 坏了" in entry["exception"] and entry["time"].endswith("+00:00")


def test_settings_configure_the_platform_loggers_and_offer_json():
    assert "gongkai" in settings.LOGGING["loggers"]
    assert settings.LOGGING["formatters"]["json"]["()"] == "gongkai.core.logs.JsonLinesFormatter"


def test_an_upload_refusal_is_logged_with_its_reason_only(caplog):
    with caplog.at_level(logging.INFO, logger="gongkai"):
        try:
            uploads.identify(b"MZ\x90\x00", "张三身份证.exe", allowed={"pdf"})
        except uploads.UploadRefused as exc:
            assert exc.reason == "type"
    [record] = [r for r in caplog.records if r.name == "gongkai.core.uploads"]
    assert record.levelno == logging.INFO and record.getMessage() == "upload refused: type"
    assert "张三" not in record.getMessage()
