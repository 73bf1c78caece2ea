"""OCR cells in a sum that does not hold: a warning on each cell whose digits OCR may have confused.

Tesseract's commonest misreadings of printed figures are digit for digit of a similar shape — 1/7, 0/8, 5/6, 3/8
(and 6/8, 0/6 in blurred photos). A figure read that way is still a figure, so nothing else flags it; but when it
stands in one of the format's sum rules (表三 row totals, （七）总计, the 一+二 = 三+四 identity, 表四 totals) the sum
breaks. The checker then reports the sum (an error naming all of the rule's cells, as for any report); this module
adds, for an OCR'd report only, a reading warning ``import_ocr_digit`` on each cell of a failing rule whose digits
hold a confusable shape, so the cell that was probably misread is named as such and the reviewer compares it with
the page. When changing one such digit of one cell makes every failing rule that cell stands in hold, without
breaking a rule that held, the warning names that reading (「若为 N，合计相符」). The value is never changed: a
printed report can be inconsistent itself, and an import must not hide that.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gongkai.reports.checks.findings import Finding
from gongkai.reports.definitions import CellRef, SumRule
from gongkai.reports.document import ReportDocument

from .extract_rules import cell_name, finding
from .provenance import finding_cell

# digit → the digits OCR reads it as (both ways), printed and photographed tables
CONFUSABLE: dict[str, str] = {
    "0": "86",
    "1": "7",
    "3": "8",
    "5": "6",
    "6": "508",
    "7": "1",
    "8": "036",
}


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Decimal(str(value))


def _readings(number: Decimal) -> list[Decimal]:
    """The figure with one confusable digit read as its look-alike (leading zeros not produced)."""
    text = str(int(number))
    out = []
    for i, ch in enumerate(text):
        for other in CONFUSABLE.get(ch, ""):
            changed = text[:i] + other + text[i + 1 :]
            if len(changed) > 1 and changed.startswith("0"):
                continue
            out.append(Decimal(changed))
    return out


def digit_findings(doc: dict[str, Any], sources: dict[str, dict[str, Any]]) -> list[Finding]:
    """``import_ocr_digit`` warnings on OCR'd cells with a confusable digit in a sum rule that fails."""
    document = ReportDocument(doc)
    spec = document.spec
    if spec is None:
        return []
    rules = spec.rules(single_other=document.single_other())
    value: dict[CellRef, Decimal] = {}
    for rule in rules:
        for ref in rule.cells:
            number = _number(document.get(ref))
            if number is not None and number == number.to_integral_value():
                value[ref] = number
    failing = [rule for rule in rules if rule.holds(value.get) is False]
    placed = {finding_cell(key) for key, where in sources.items() if "page" in where}
    out: list[Finding] = []
    seen: set[CellRef] = set()
    for rule in failing:
        for ref in rule.cells:
            if ref in seen or ref.key not in placed or ref not in value:
                continue
            if not any(ch in CONFUSABLE for ch in str(int(value[ref]))):
                continue
            seen.add(ref)
            fixed = _fixing_reading(ref, value, rules)
            hint = f"；若为 {fixed}，所在合计即相符" if fixed is not None else ""
            out.append(
                finding(
                    "import_ocr_digit",
                    "warning",
                    f"「{cell_name(ref.key)}」识别为 {value[ref]}，所在合计不符，其数字含易混字形"
                    f"（1/7、0/8、5/6、3/8）{hint}。请对照原件核对。",
                    [ref.key],
                )
            )
    return out


def _fixing_reading(
    ref: CellRef, value: dict[CellRef, Decimal], rules: tuple[SumRule, ...]
) -> Decimal | None:
    """The one reading of the cell that makes all rules hold that hold with it, or None (none or several)."""
    before = {id(rule): rule.holds(value.get) for rule in rules}
    fits = []
    for reading in _readings(value[ref]):
        trial = {**value, ref: reading}
        after = [rule.holds(trial.get) for rule in rules]
        if all(a is not False for a in after) and any(
            before[id(r)] is False for r in rules if ref in r.cells
        ):
            fits.append(reading)
    return fits[0] if len(fits) == 1 else None
