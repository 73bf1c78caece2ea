"""Operational logging: the JSON-lines formatter that settings.LOGGING uses when GONGKAI_LOG_JSON=1.

Loggers are named after their module (``logging.getLogger(__name__)``), so every one sits under
``gongkai.<app>`` and the level is set once, on ``gongkai``. Log at service boundaries: where an exception is
turned into a message, a finding or a refusal. Never log personal data (applicant names, ID numbers, phones,
addresses, file names chosen by the public): log ids, codes, counts and reasons.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is written as a field.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, exception text, ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
