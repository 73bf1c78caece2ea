"""Extraction, the grid aligner: choose the readings of all ambiguous rows of a table at once, under its sum rules.

A row whose digits ran together ("7000029") or whose blank cells were lost has several readings. Deciding rows
one by one lets an early wrong choice pass a rule that a later row would have broken; the aligner instead
searches the combinations of all ambiguous rows' readings (a depth-first search that checks each sum rule as
soon as all the rows it touches are chosen, so a failing branch is cut early) and keeps every combination under
which all the format's rules hold. A cell is read only when it is the same in every combination that holds; a
cell that differs between them is left empty and named by a warning listing the readings — never guessed.
Each row's readings are first narrowed by the rules that involve that row alone (总计 = the six applicant
columns): every combination that holds is made of such readings, so a cell that is the same in all of them is
read even when the search cannot finish. The search is bounded by ``MAX_ALIGN_WORK`` steps and ``MAX_SOLUTIONS``
combinations, so a pathological input (thousands of readings per row) cannot hang the import, and a table whose
blank cells were all lost (a page printed without them: every row has several places for its figures) does not
lose its certain cells: past a bound, each row keeps the readings its own rules allow (cells they agree on read,
the others left empty and reported); when no combination holds, the rows are undecided (cells agreed by all
their readings kept and named, the others left empty and reported).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongkai.reports import definitions as defs

MAX_ALIGN_WORK = 100_000  # placements tried by one search (the whole 表三 of a one-line report needs < 1,000)
MAX_SOLUTIONS = 64  # combinations kept; past this many the rows are ambiguous in any case


@dataclass
class Alignment:
    """The outcome for the ambiguous rows: per row, the values of each reading that holds (or of every
    reading when none holds), and whether the search ran out of work."""

    fitting: dict[str, list[list[Any]]]
    complete: bool
    bounded: bool
    undecided: frozenset[str] = frozenset()  # rows of a part where no combination holds
    # rows of a part whose combinations were too many (or the work ran out): their readings are those their own
    # rules allow, not checked against the rest of the table
    own_rules_only: frozenset[str] = frozenset()


def _number(value: Any, blank: int | None) -> Decimal | int | None:
    if value is None:
        return blank
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return None


def _holds(doc: dict[str, Any], rule: defs.SumRule, blank: int | None) -> bool | None:
    def value(ref: defs.CellRef) -> Decimal | int | None:
        try:
            return _number(defs.cell_value(doc, ref), blank)
        except (KeyError, IndexError, TypeError, ValueError):
            return None

    return rule.holds(value)


def rule_holds(doc: dict[str, Any], rule: defs.SumRule) -> bool:
    """Does the rule hold on doc? Blank cells count as 0 while choosing; a text or absent cell leaves it unjudged
    (True)."""
    return _holds(doc, rule, 0) is not False


def rule_vouched(doc: dict[str, Any], rule: defs.SumRule) -> bool:
    """Does the rule hold with every one of its cells read? A cell left open (blank) is not 0 here: a rule over
    it vouches for nothing."""
    return _holds(doc, rule, None) is True


def align(
    rows: Sequence[tuple[str, list[list[Any]]]],
    place: Callable[[str, list[Any]], None],
    doc: dict[str, Any],
    rules: Sequence[defs.SumRule],
    rows_of: Callable[[defs.SumRule], set[str]],
) -> Alignment:
    """Search the combinations of the rows' candidate readings under the rules (each row's key and readings).

    ``rows_of(rule)`` names the read rows a rule touches (the keys used in ``rows``). The rows with one reading
    must already be placed. Rows that no rule links are searched apart (a row no rule touches keeps all its
    readings). Leaves doc with each row's first reading placed; the caller places the outcome.
    """
    keys = [k for k, _ in rows]
    # rows linked by a rule form one component, searched on its own
    parent = {k: k for k in keys}

    def root(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    linked = [r for r in rules if rows_of(r) & parent.keys()]
    for rule in linked:
        touched = [k for k in keys if k in rows_of(rule)]
        for k in touched[1:]:
            parent[root(k)] = root(touched[0])
    components: dict[str, list[int]] = {}
    for n, k in enumerate(keys):
        components.setdefault(root(k), []).append(n)
    budget = [MAX_ALIGN_WORK]
    own = {
        k: _own_readings(k, c, place, doc, [r for r in linked if rows_of(r) == {k}], budget) for k, c in rows
    }
    fitting: dict[str, list[list[Any]]] = {}
    complete, bounded = True, False
    undecided: set[str] = set()
    loose: set[str] = set()
    for members in components.values():
        part = [rows[n] for n in members]
        names = {k for k, _ in part}
        part_rules = [r for r in linked if rows_of(r) & names]
        if not part_rules:
            fitting.update({k: list(c) for k, c in part})
            continue
        found, why = _search([(k, own[k]) for k, _ in part], place, doc, part_rules, rows_of, budget)
        bounded = bounded or why == "work"
        if found is not None:
            fitting.update(found)
            continue
        complete = False
        if why == "none":
            undecided |= names
            fitting.update({k: list(c) for k, c in part})
        else:  # too many combinations, or out of work: what each row's own rules allow
            loose |= names
            fitting.update({k: own[k] for k in names})
    for key, candidates in rows:
        place(key, candidates[0])
    return Alignment(
        fitting,
        complete=complete,
        bounded=bounded,
        undecided=frozenset(undecided),
        own_rules_only=frozenset(loose),
    )


def _own_readings(
    key: str,
    candidates: list[list[Any]],
    place: Callable[[str, list[Any]], None],
    doc: dict[str, Any],
    rules: Sequence[defs.SumRule],
    budget: list[int],
) -> list[list[Any]]:
    """The readings of a row that its own rules (rules on this row alone) allow; all of them when none does (the
    search then finds no combination and says so) or when the work left cannot try them all."""
    if not rules or budget[0] < len(candidates):
        return list(candidates)
    budget[0] -= len(candidates)
    kept = []
    for candidate in candidates:
        place(key, candidate)
        if all(rule_holds(doc, rule) for rule in rules):
            kept.append(candidate)
    return kept or list(candidates)


def _search(
    rows: Sequence[tuple[str, list[list[Any]]]],
    place: Callable[[str, list[Any]], None],
    doc: dict[str, Any],
    rules: Sequence[defs.SumRule],
    rows_of: Callable[[defs.SumRule], set[str]],
    budget: list[int],
) -> tuple[dict[str, list[list[Any]]] | None, str]:
    """Depth-first over the rows' readings, each rule checked once its last row is chosen. Returns the readings
    of each row used by some combination that holds, or None and why: "none" holds, "many" (more than
    MAX_SOLUTIONS) or out of "work"."""
    order = {k: n for n, (k, _) in enumerate(rows)}
    at_depth: list[list[defs.SumRule]] = [[] for _ in rows]
    for rule in rules:
        touched = [order[k] for k in rows_of(rule) if k in order]
        if touched:
            at_depth[max(touched)].append(rule)
    solutions: list[tuple[int, ...]] = []
    chosen: list[int] = []
    stop = False

    def search(depth: int) -> None:
        nonlocal stop
        if depth == len(rows):
            solutions.append(tuple(chosen))
            stop = len(solutions) > MAX_SOLUTIONS
            return
        key, candidates = rows[depth]
        for n, candidate in enumerate(candidates):
            budget[0] -= 1
            if budget[0] < 0:
                stop = True
            if stop:
                return
            place(key, candidate)
            if all(rule_holds(doc, rule) for rule in at_depth[depth]):
                chosen.append(n)
                search(depth + 1)
                chosen.pop()

    search(0)
    if budget[0] < 0:
        return None, "work"
    if stop:
        return None, "many"
    if not solutions:
        return None, "none"
    return {
        key: [candidates[n] for n in sorted({s[depth] for s in solutions})]
        for depth, (key, candidates) in enumerate(rows)
    }, ""


def agreed(readings: Sequence[Sequence[Any]]) -> list[Any]:
    """Cell by cell: the value all readings agree on, or the marker UNSURE."""
    out: list[Any] = []
    for values in zip(*readings, strict=True):
        first = values[0]
        out.append(first if all(_same(v, first) for v in values[1:]) else UNSURE)
    return out


def zero_or_blank(readings: Sequence[Sequence[Any]], n: int) -> bool:
    """Whether cell ``n`` is 0 or blank in every reading, and 0 in most: a row of zeros printed without its
    blank cells, whose places are lost. A blank counts as 0 in the format (应填 0), so the cell reads 0 — but
    only where most readings print a 0 there (a row short of one figure), not where most leave it blank (a row
    of two figures for seven cells: most of its cells were blank, and stay so)."""
    values = [r[n] for r in readings]
    zeros = sum(1 for v in values if _same(v, 0))
    return all(v is None or _same(v, 0) for v in values) and zeros > len(values) - zeros


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


class _Unsure:
    def __repr__(self) -> str:
        return "UNSURE"


UNSURE: Any = _Unsure()
