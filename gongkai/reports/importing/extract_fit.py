"""Extraction, value fitting: the value cells of a row → exactly the row's width of cells.

Exact when the cells map one to one; digit runs ("7000029") cut into cells (bounded by MAX_SPLIT_WORK);
an added subtotal column dropped; otherwise positional readings for a row printed without its blank cells.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

MAX_SPLIT_CANDIDATES = 20000
MAX_SPLIT_WORK = 200_000  # readings of one row tried before giving up on splitting digit runs

MAX_CELL_DIGITS = 7  # a count above 9,999,999 in one cell is not a reading worth trying


def _splits(digits: str, parts: int) -> Iterable[tuple[str, ...]]:
    """Every way to cut a digit string into `parts` numbers without leading zeros."""
    if parts == 1:
        if (len(digits) == 1 or not digits.startswith("0")) and len(digits) <= MAX_CELL_DIGITS:
            yield (digits,)
        return
    if len(digits) > parts * MAX_CELL_DIGITS:
        return
    for cut in range(1, min(len(digits) - parts + 2, MAX_CELL_DIGITS + 1)):
        head = digits[:cut]
        if len(head) > 1 and head.startswith("0"):
            break
        for rest in _splits(digits[cut:], parts - 1):
            yield (head, *rest)


def value_candidates(
    raw: Sequence[str],
    n: int,
    accept: Callable[[list[str]], bool] | None = None,
    subtotal: Callable[[list[str]], list[int]] | None = None,
) -> tuple[list[list[str]], str]:
    """Ways to read the value cells of a row as exactly n cells, and how they were found.

    "exact": separated cells map one to one (padding blanks dropped). "split": digit runs ("7000029")
    cut into cells. "positional": fewer values than cells and no way to tell which columns the blanks
    were in (a page flattened without its empty cells): the values are tried in every order-preserving
    position. Several candidates mean
    the row is ambiguous until the sum rules decide.
    """
    raw = list(raw)
    if len(raw) == n:
        return [raw], "exact"
    nonblank = [v for v in raw if v.strip()]
    if len(nonblank) == n:
        return [nonblank], "exact"
    trimmed = raw
    while trimmed and not trimmed[0].strip():
        trimmed = trimmed[1:]
    while trimmed and not trimmed[-1].strip():
        trimmed = trimmed[:-1]
    if len(trimmed) == n:
        return [trimmed], "exact"
    if len(nonblank) == n + 1 and subtotal is not None:
        dropped = [nonblank[:i] + nonblank[i + 1 :] for i in subtotal(nonblank)]
        if len(dropped) == 1:
            return dropped, "subtotal"
    if len(nonblank) > n:
        return [], "exact"
    nonblank = zeros_apart(nonblank, n)
    if len(nonblank) == n:
        return [nonblank], "split"
    split = _digit_splits(nonblank, n, accept)
    # figures printed apart may also be whole figures whose blank cells were lost ("1829 1829": 自然人 and 总计):
    # the placements that keep the row's own rule are readings too, and the table's rules choose between them
    placed = (
        [c for c in _positional(nonblank, n) if accept(c)] if accept is not None and len(nonblank) > 1 else []
    )
    if placed:
        return placed + split, "positional"
    if split:
        return split, "split"
    # none keeps the row's rule: every cut — but not for a row one figure short, which more likely lost a figure
    # (its total printed apart, a blank cell) than holds two glued: "72 3 0 0 0 0" is not "7 2 3 0 0 0 0"
    split = _digit_splits(nonblank, n, None) if accept is not None and len(nonblank) < n - 1 else []
    if split:
        return split, "split"
    return _positional(nonblank, n), "positional"


_ZEROS = re.compile(r"0{2,}")


def zeros_apart(nonblank: list[str], n: int) -> list[str]:
    """A run of zeros ("00000") cut into its zeros, while the row has fewer figures than cells: no count is
    printed with a leading 0, so the run has no other reading (a row of zeros printed with its cells together)."""
    if len(nonblank) >= n or not any(_ZEROS.fullmatch(v) for v in nonblank):
        return nonblank
    cut = [z for v in nonblank for z in (["0"] * len(v) if _ZEROS.fullmatch(v) else [v])]
    return cut if len(cut) <= n else nonblank


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to write ``total`` as ``parts`` non-negative numbers, in order (no search over the rest)."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


_RUN = re.compile(r"([-+−]?)(\d{2,})((?:\.\d+)?\D*)")


def _run_splits(value: str, parts: int) -> Iterator[tuple[str, ...]]:
    """A figure run cut into ``parts`` cells: the digits are cut; a sign stays on the first piece (本年增/减
    "+1737" → "+17" "37"), decimals and a unit on the last ("156805947.43元" → "15" "6805947.43元")."""
    match = _RUN.fullmatch(value)
    if match is None:
        return
    sign, digits, tail = match.groups()
    for pieces in _splits(digits, parts):
        yield (sign + pieces[0], *pieces[1:-1], pieces[-1] + tail) if parts > 1 else (sign + digits + tail,)


def _digit_splits(nonblank: list[str], n: int, accept: Callable[[list[str]], bool] | None) -> list[list[str]]:
    """Distribute the missing cells over the digit runs of the row.

    Bounded: at most MAX_SPLIT_WORK readings are tried per row. A long digit run in a wide row (表四 has 15
    columns) has millions of readings — one 30-digit run took all the memory of the machine — and none of
    them is a reading a person would trust; past the budget the row is read positionally and flagged.
    """
    lengths = {i: len(m.group(2)) for i, v in enumerate(nonblank) if (m := _RUN.fullmatch(v))}
    runs = list(lengths)
    missing = n - len(nonblank)
    if not runs or missing <= 0 or sum(lengths[i] - 1 for i in runs) < missing:
        return []
    results: list[list[str]] = []
    work = 0
    for extra in _compositions(missing, len(runs)):
        pieces: list[list[tuple[str, ...]]] = []
        for i, value in enumerate(nonblank):
            if i in runs:
                k = extra[runs.index(i)] + 1
                piece = (
                    list(itertools.islice(_run_splits(value, k), max(0, MAX_SPLIT_WORK - work)))
                    if k <= lengths[i]
                    else []
                )
                work += len(piece)
                pieces.append(piece)
            else:
                pieces.append([(value,)])
        for combo in itertools.product(*pieces):
            work += 1
            if work > MAX_SPLIT_WORK:
                return results
            cells = [cell for piece in combo for cell in piece]
            if accept is not None and not accept(cells):
                continue
            results.append(cells)
            if len(results) >= MAX_SPLIT_CANDIDATES:
                return results
        work += 1  # an empty product still costs a step
        if work > MAX_SPLIT_WORK:
            return results
    return results


def _positional(nonblank: list[str], n: int) -> list[list[str]]:
    """Every order-preserving placement of the figures in the n columns (the blanks' positions are lost).

    No column is assumed: a lone "0" may be any column's. The sum rules narrow them down (a last figure equal to
    the sum of the others is the 总计), and a cell still not the same in every placement that fits is left empty
    and reported, never guessed.
    """
    k = len(nonblank)
    if k == 0:
        return [[""] * n]
    out = []
    for columns in itertools.combinations(range(n), k):
        row = [""] * n
        for column, value in zip(columns, nonblank, strict=True):
            row[column] = value
        out.append(row)
        if len(out) >= MAX_SPLIT_CANDIDATES:
            break
    return out


def narrower_rows(values: list[str], width: int) -> bool:
    """Whether the run also reads as rows printed without their blank cells: pieces of one narrower width, each
    ending in the sum of the cells before it (总计), as "0 0 26 26 3 3" reads as three rows of 自然人 and 总计.
    Then the cut into whole rows is not the only reading (runs of zeros read every way) and is not made."""
    try:
        numbers = [int(v) for v in values]
    except ValueError:
        return True
    for narrow in range(2, width):
        if len(numbers) % narrow == 0 and all(
            sum(numbers[k : k + narrow - 1]) == numbers[k + narrow - 1]
            for k in range(0, len(numbers), narrow)
        ):
            return True
    return False
