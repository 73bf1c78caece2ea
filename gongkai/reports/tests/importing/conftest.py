"""Shared test data: the five seeds and a canonical document of seed 001's figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .seed_001_expected import TABLE2, TABLE3_ROWS, TABLE4

SEEDS = Path(__file__).resolve().parents[4].parent / "shared" / "seeds"
if not SEEDS.exists():  # CI clones main with shared/ beside it
    SEEDS = Path("/work/shared/seeds")


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture
def luojiang() -> dict[str, Any]:
    """Seed 001's figures as a canonical document (for rendering into HTML/DOCX/PDF/text)."""
    return {
        "unit": "洛江区",
        "year": 2020,
        "format": "2019",
        "sections": {"一": "2020年，全区受理政府信息公开申请9件。", "五": "存在问题。", "六": "无。"},
        "table2": TABLE2,
        "table3": {"columns": [], "rows": TABLE3_ROWS},
        "table4": TABLE4,
    }
