"""Job results that several kinds share: an all-or-nothing table import (core.tabular.ImportResult) as JSON,
which the shared partial ``gongkai/_import_errors.html`` lists."""

from __future__ import annotations

from typing import Any

from gongkai.core.tabular import ImportResult

MAX_ERRORS_SHOWN = 500


def import_result_json(result: ImportResult, **extra: Any) -> dict[str, Any]:
    """Counts, the summary line and the bad rows (the first 500; ``error_count`` has them all)."""
    return {
        **extra,
        "ok": result.ok,
        "dry_run": result.dry_run,
        "summary": result.summary() if result.ok else "",
        "created": len(result.created),
        "updated": len(result.updated),
        "error_count": len(result.errors),
        "errors": [
            {"row": e.row, "column": e.column, "reason": e.reason} for e in result.errors[:MAX_ERRORS_SHOWN]
        ],
    }
