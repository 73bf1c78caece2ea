"""Job results that several kinds share: an all-or-nothing table import (core.tabular.ImportResult) as JSON,
which the shared partial ``gongkai/_import_errors.html`` lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.core.tabular import ImportResult

from .registry import JobContext, JobFailed

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


def run_import(
    ctx: JobContext, importer: Callable[..., ImportResult], *, org: Any, denied: str, **extra: Any
) -> dict[str, Any]:
    """Import the job's uploaded file for ``org`` with ``importer`` (all rows or none) and record the result.

    The import and the job's completion commit together (``JobContext.record_result``): a worker killed right
    after the commit leaves a finished job, never an imported file the broker hands out again. ``denied`` is the
    reason given when the user lost the role since submitting and the service's refusal has no text."""
    params = ctx.params
    ctx.progress(10, "正在读取并逐行校验")
    data = ctx.input_bytes()
    try:
        with transaction.atomic():
            result = importer(
                actor=ctx.actor, org=org, data=data, filename=params["filename"], dry_run=params["dry_run"]
            )
            out = import_result_json(result, **extra, org_name=org.name, filename=params["filename"])
            ctx.record_result(out)
    except PermissionDenied as exc:
        raise JobFailed(str(exc) or denied) from exc
    return out
