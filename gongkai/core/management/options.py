"""Shared by the management commands that take a date option (``--date``/``--today`` YYYY-MM-DD)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.management.base import CommandError


def date_option(options: Mapping[str, Any], name: str) -> dt.date | None:
    """The date given as option ``name`` (YYYY-MM-DD), None when it was not given; a CommandError saying in
    Chinese what is expected for anything else."""
    value = options.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--{name.replace('_', '-')} 应为 YYYY-MM-DD 格式的日期。") from exc
