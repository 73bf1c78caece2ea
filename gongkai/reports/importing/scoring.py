"""Measuring the importer: cell-level accuracy against hand-verified labels, finding precision/recall."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gongkai.reports import definitions as defs

# Findings that say the figures or the format are wrong (what a reviewer must see); structural findings
# about parts missing from an excerpt are not scored.
CONSISTENCY_CODES = frozenset(
    {
        "table3_row_total",
        "table3_results_total",
        "table3_identity",
        "table4_total",
        "format_wrong_for_year",
        "carry_over_mismatch",
    }
)


def parse_cell_key(key: str) -> defs.CellRef:
    """ "table3:<row>:<column>" → CellRef (row keys may contain "/", never ":")."""
    table, rest = key.split(":", 1)
    row, column = rest.rsplit(":", 1)
    return defs.CellRef(table, row, column)


def lookup(doc: dict[str, Any], key: str) -> Any:
    try:
        return defs.cell_value(doc, parse_cell_key(key))
    except (KeyError, IndexError, TypeError, ValueError):
        return "<missing>"


@dataclass
class Score:
    cells: int = 0
    exact: int = 0
    wrong: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    def add_cells(self, name: str, doc: dict[str, Any], expected: dict[str, Any]) -> None:
        for key, value in expected.items():
            got = lookup(doc, key)
            self.cells += 1
            if got == value and type(got) is type(value):
                self.exact += 1
            else:
                self.wrong.append((name, key, value, got))

    def add_findings(self, doc: dict[str, Any], expected: Iterable[str]) -> None:
        found = {f["code"] for f in doc.get("findings", []) if f["severity"] == "error"} & CONSISTENCY_CODES
        wanted = set(expected) & CONSISTENCY_CODES
        self.true_positive += len(found & wanted)
        self.false_positive += len(found - wanted)
        self.false_negative += len(wanted - found)

    @property
    def accuracy(self) -> float:
        return self.exact / self.cells if self.cells else 1.0

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "cells": self.cells,
            "cells_exact": self.exact,
            "cell_accuracy": round(self.accuracy, 4),
            "finding_precision": round(self.precision, 4),
            "finding_recall": round(self.recall, 4),
            "true_positive": self.true_positive,
            "false_positive": self.false_positive,
            "false_negative": self.false_negative,
        }
