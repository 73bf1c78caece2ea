"""Extraction, the rows of 表三 as the format's grid: runs of figures aligned to the row sequence by a DP.

表三's cell stream is read as runs of figures ("groups") and the label text around them. Text breaks labels
anywhere: over three lines with the figures on the middle one ("4.无正" / "当理由大 22 1 27 …" / "量反复申请"),
a merged group label floating between rows ("（三）不" … "予公开"), a Markdown heading repeating the row's label,
page footers. So every window of the label fragments around a group (up to MAX_BEFORE before, MAX_AFTER after)
is scored against each row's label forms, and the groups are aligned to the format's rows in order by a dynamic
programme (an edit distance: a group may be left out — a page number, a tool's subtotal row — and a row may be
missing) maximising the total label score. A group whose label cannot be read is placed only as a whole row in a
gap between labelled rows, named by a warning (`import_row_position`), never silent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from gongkai.reports import definitions as defs

from .extract_apart import first_apart
from .extract_columns import interleaved_columns
from .extract_fit import narrower_rows
from .extract_headers import across_headers, header_columns, labels_after
from .extract_labels import in_format_order, leaf_labels
from .extract_match import MATCH_THRESHOLD, label_score, parent_labels, ratio, row_candidates
from .extract_number_apart import BARE_NUMBER, numbers_apart
from .extract_placeholders import placeholder_lead
from .extract_rowcheck import ITEM_START, crowded, label_tail, printed_after
from .extract_totals import detached_totals
from .normalise import label_key
from .tokens import PLACEHOLDER, Token

MAX_BEFORE = 4  # label fragments before a group joined into one label at most
MAX_AFTER = 2  # … and after it (a label broken around its figures)
MAX_LONG = 6  # lines after its figures a numbered label's words may run on over (a narrow cell)
AFTER_PENALTY = 0.95  # a label read partly after its figures scores a little less than one read before
FAST = 0.95  # a group whose own label scores this well is not searched further
WEAK_GAIN = 0.2  # the DP's gain for a whole row placed by position (a labelled match gains its score)
EARLY = 1e-6  # … a little less the later its row: rows without labels follow the labelled row before them
MAX_GROUPS = 300  # runs of figures aligned at most (表三 has 25 rows; the work stays under a second)


@dataclass
class Group:
    """A run of figure cells and the label fragments (label keys) between it and its neighbours."""

    tokens: list[Token]
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    after_parent: bool = False  # the label right before it is a group's (a subtotal row a tool added)
    by_column: bool = False  # read across a block printed column by column: the columns' order is presumed
    block: int = 0  # … the block it was read from (its rows share the presumed order)


@dataclass
class Aligned:
    """Row key → its figure cells, and the rows placed by position (their label could not be read)."""

    rows: dict[str, list[Token]]
    weak: list[str]
    by_column: list[str] = field(default_factory=list)
    label_after: list[str] = field(default_factory=list)  # read by a row label printed after the figures
    # row → a row without figures whose label stands before this row's figures (extract_rowcheck.crowded)
    crowded: dict[str, str] = field(default_factory=dict)
    apart: list[str] = field(
        default_factory=list
    )  # a lone first figure joined to the rest of the row (extract_apart)
    blocks: dict[str, int] = field(default_factory=dict)  # each row read by column → its block


_LEAF_NUMBER = re.compile(r"^(?:\d+[、.]|[（(][一二三四五六七八九十]+[）)])")


def groups_of(tokens: Sequence[Token], parents: frozenset[str]) -> list[Group]:
    """The runs of figures of the stream, each with the label fragments on either side. A fragment on the same
    line as the next run's first figure is that run's label only (not read after the run before it)."""
    groups: list[Group] = []
    fragments: list[tuple[int, str]] = []
    for token in tokens:
        if token.is_value:
            new = (
                not groups
                or fragments
                or (groups[-1].tokens[-1].line != token.line and _full_line(groups[-1]))
            )
            if new:
                if groups:
                    groups[-1].after = [k for line, k in fragments if line != token.line]
                keys = [k for _, k in fragments]
                parent = bool(keys) and max((ratio(keys[-1], p) for p in parents), default=0) >= 0.85
                groups.append(Group([token], keys, after_parent=parent))
                fragments = []
            else:
                groups[-1].tokens.append(token)
            continue
        key = label_key(token.text)
        # "数据1…数据6", "Col2": a converter's placeholder column names, no row's label
        if key and not PLACEHOLDER.fullmatch(key):
            fragments.extend((token.line, part) for part in _item_apart(key))
    if groups:
        groups[-1].after = [k for _, k in fragments]
    return groups


_INNER_ITEM = re.compile(r"(?<=[^\d])(?=\d{1,2}、.)")


def _item_apart(key: str) -> list[str]:
    """A label fragment cut where a row's item number starts inside it: a merged group label's piece printed on
    the row's line ("（六）其1、申请人无正当理", "开5、属于三类内部事务") is two fragments, the group's and the
    row's (a 表三 label never holds an item number after its start)."""
    parts = _INNER_ITEM.split(key, maxsplit=1)
    return [p for p in parts if p]


def rejoin(
    groups: list[Group], whole_row: Callable[[list[str]], bool], rows: Sequence[tuple[str, tuple[str, ...]]]
) -> list[Group]:
    """Join a run cut in two by the rest of its own label ("（二）部分公开（区分处理的，只计这一 0 0 0 0" /
    "情形，不计其他情形） 0 0 0"): when neither half is a whole row, together they are, and what stands between
    them is no row's label and starts no item ("2.", "（三）"). The words between join the run's label."""
    out: list[Group] = []
    for group in groups:
        last = out[-1] if out else None
        if (
            last is not None
            and group.before
            and not whole_row([t.text for t in last.tokens])
            and not whole_row([t.text for t in group.tokens])
            and whole_row([t.text for t in last.tokens + group.tokens])
            and not any(_LEAF_NUMBER.match(k) for k in group.before)
            and (
                all(label_score(k, forms) < MATCH_THRESHOLD for k in group.before for _, forms in rows)
                or _continues(last, group, rows)
            )
        ):
            last.tokens += group.tokens
            last.before = last.before + group.before
            last.after = group.after
            continue
        out.append(group)
    return out


def _continues(last: Group, group: Group, rows: Sequence[tuple[str, tuple[str, ...]]]) -> bool:
    """Whether the words between two halves of a run continue the label before the first half ("4.无正当理由大量反"
    / "复申请": the whole label reads better than the words alone, which look like another row's, "重复申请")."""
    if not last.before:
        return False
    between = "".join(group.before)
    alone = max(label_score(k, forms) for k in group.before for _, forms in rows)
    joined = max(label_score(last.before[-1] + between, forms) for _, forms in rows)
    return joined >= MATCH_THRESHOLD and joined > alone


def _transposed(
    group: Group, whole_row: Callable[[list[str]], bool], width: int, fmt: str
) -> list[Group] | None:
    """A run printed column by column: the labels of k rows, then the k figures of the first column, the k of the
    second … (pdfminer's reading order for a table whose cells are laid out apart). Read so only when the run is k
    rows wide, there are exactly k row labels before it, every row read by column holds its own sum and the run
    read row by row does not (then the cut is decided by the sums, not guessed)."""
    cells = group.tokens
    k = len(cells) // width
    if k < 2 or len(cells) != k * width or any(not t.text.strip() for t in cells):
        return None
    labels = leaf_labels(group.before, fmt)
    if len(labels) != k:
        return None
    by_row = [cells[r * width : (r + 1) * width] for r in range(k)]
    by_column = [[cells[c * k + r] for c in range(width)] for r in range(k)]
    if all(whole_row([t.text for t in row]) for row in by_row):
        return None
    if not all(whole_row([t.text for t in row]) for row in by_column):
        return None
    return [
        Group(row, [label], [], by_column=True, block=id(cells[0]))
        for row, label in zip(by_column, labels, strict=True)
    ]


def column_blocks(
    groups: list[Group],
    whole_row: Callable[[list[str]], bool],
    columns: Sequence[str],
    fmt: str,
) -> list[Group]:
    """Rows printed column by column under their column headers (pdfminer on a table whose header cells are broken
    over lines): the labels of k rows, then each column's header and its k figures, the columns in the order their
    headers are printed ("商业企业 科研机构 社会公益组织 法律服务机构 总计 其他 [6k figures] 自然人 [k figures]").
    Read so when the headers name every column once, each run holds k figures per column it follows, and every
    row read across holds its own sum; the rows get the labels in order."""
    width = len(columns)
    out: list[Group] = []
    i = 0
    while i < len(groups):
        head = header_columns(groups[i].before, columns)
        labels = in_format_order(leaf_labels(head[0], fmt), fmt) if head else []
        k = len(labels)
        if head is None or k < 2:
            out.append(groups[i])
            i += 1
            continue
        named: list[str] = []
        figures: list[Token] = []
        j = i
        while j < len(groups) and len(named) < width:
            here = head[1] if j == i else (header_columns(groups[j].before, columns) or ([""], []))[1]
            if (j > i and header_columns(groups[j].before, columns) is None) or len(
                groups[j].tokens
            ) != k * len(here):
                break
            named += here
            figures += groups[j].tokens
            j += 1
        if sorted(named) != sorted(columns) or len(named) != width:
            out.append(groups[i])
            i += 1
            continue
        rows = across_headers(figures, named, columns, k, whole_row)
        if rows is None:
            out.append(groups[i])
            i += 1
            continue
        out.extend(
            Group(row, [label], [], by_column=True, block=id(figures[0]))
            for row, label in zip(rows, labels, strict=True)
        )
        i = j
    return out


def split_runs(
    groups: list[Group], whole_row: Callable[[list[str]], bool], width: int, fmt: str
) -> list[Group]:
    """Cut a run holding several whole rows into its rows: text that gives every cell its own line (a PDF's text
    layer, a converter writing one cell per paragraph) loses the row breaks, and labels of merged cells float
    elsewhere, so "二、上年结转… 34 0 0 0 0 0 34 1288 21 0 0 50 3 1362 447 7 …" is three rows without labels
    between them. A run is cut only when it is a multiple of the row width and every piece is a whole row (its
    own sum holds): the first piece keeps the run's label, the others are rows without a label, placed by
    position (and named, ``import_row_position``) — the sums are the constraint, never a guess."""
    out: list[Group] = []
    for group in groups:
        transposed = _transposed(group, whole_row, width, fmt)
        if transposed is not None:
            out.extend(transposed)
            continue
        cells = group.tokens
        count = len(cells)
        pieces = (
            [cells[k : k + width] for k in range(0, count, width)]
            if count > width and count % width == 0
            else []
        )
        if (
            not pieces
            or not all(whole_row([t.text for t in piece]) for piece in pieces)
            or narrower_rows([t.text for t in cells], width)
        ):
            out.append(group)
            continue
        # the labels of all the rows before the run (a table printed labels first): one to each row, in order
        labels = leaf_labels(group.before, fmt)
        own = len(labels) == len(pieces)
        # labels after the run are not its last row's: the rows of a cut run have lost their labels, and what
        # follows is the next run's (or floating group labels)
        for n, piece in enumerate(pieces):
            out.append(
                Group(
                    list(piece),
                    [labels[n]] if own else group.before if n == 0 else [],
                    [],
                    after_parent=group.after_parent if n == 0 else False,
                )
            )
    return out


def _full_line(group: Group) -> bool:
    """A group that already holds a whole line of cells (a row printed without its label starts anew)."""
    last = group.tokens[-1].line
    return sum(1 for t in group.tokens if t.line == last and t.text.strip()) >= 6


def _windows(group: Group, parents: frozenset[str] = frozenset(), width: int = 0) -> list[tuple[str, float]]:
    """Label readings of a group: fragments before it (nearest first) and after it, joined in order; and the same
    without the pieces of a merged group label floating between a row label's lines ("4.保护第三方合法权" /
    "（三）不予公" / figures / "益")."""
    out = _joined(group.before[-MAX_BEFORE:], group.after[:MAX_AFTER])
    if len(group.before) > 1 and BARE_NUMBER.match(group.before[-1]):
        # the row's number printed on the line of its figures, after its words ("其他" / "3. 0 0")
        words = group.before[-MAX_BEFORE:-1]
        out += [(group.before[-1] + "".join(words[len(words) - k :]), 1.0) for k in range(1, len(words) + 1)]
    long = len(group.tokens) <= width  # a label running on over many lines names one row, not a longer run
    out += _long_label(group.before, group.after) if long else []
    if parents:
        own = [
            [f for f in fs if max(ratio(f, p) for p in parents) < 0.85] for fs in (group.before, group.after)
        ]
        if own != [group.before, group.after]:
            out += _joined(own[0][-MAX_BEFORE:], own[1][:MAX_AFTER]) + (_long_label(*own) if long else [])
    return out


def _long_label(before: list[str], after: list[str]) -> list[tuple[str, float]]:
    """A numbered label whose words run on over more lines after its figures than MAX_AFTER (a narrow cell:
    "1.申请人无正当" / "理由逾期不补" / "正、行政机关" / "不再处理其政" / …): the label's start and every line
    after it up to the next item, MAX_LONG at most."""
    if not before or not ITEM_START.match(before[-1]):
        return []
    lines = label_tail(after, MAX_LONG)
    return [(before[-1] + "".join(lines[:k]), AFTER_PENALTY) for k in range(MAX_AFTER + 1, len(lines) + 1)]


def _joined(before: list[str], after: list[str]) -> list[tuple[str, float]]:
    out = []
    for k in range(len(before) + 1):
        for j in range(len(after) + 1):
            if k + j == 0:
                continue
            text = "".join(before[len(before) - k :]) + "".join(after[:j])
            out.append((text, AFTER_PENALTY if j else 1.0))
    return out


@lru_cache(maxsize=8)
def _forms(fmt: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((key, forms) for key, forms, _ in row_candidates(fmt))


def _scores(
    group: Group,
    rows: Sequence[tuple[str, tuple[str, ...]]],
    parents: frozenset[str] = frozenset(),
    width: int = 0,
) -> list[float]:
    own = group.before[-1:]
    if own:
        quick = [label_score(own[0], forms) for _, forms in rows]
        if max(quick) >= FAST:
            return quick
    windows = _windows(group, parents, width)
    return [max((label_score(text, forms) * w for text, w in windows), default=0.0) for _, forms in rows]


def _label_after(group: Group, forms: tuple[str, ...], rows: Sequence[tuple[str, tuple[str, ...]]]) -> bool:
    """Whether the group takes this row only by a label printed after its figures (extract_rowcheck)."""
    return printed_after(group.before[-MAX_BEFORE:], group.after[:MAX_AFTER], forms, rows)


def align_rows(tokens: Sequence[Token], fmt: str, whole_row: Callable[[list[str]], bool]) -> Aligned:
    """Align the figure groups of the stream to the format's rows (see the module). ``whole_row(values)``: whether
    the values can be a whole row of 表三 (its width, its own sum) — for a group placed by position or rejoined."""
    rows = _forms(fmt)
    columns = defs.FORMATS[fmt].table3_columns
    groups = placeholder_lead(groups_of(tokens, parent_labels(fmt))[:MAX_GROUPS], rows)
    groups = numbers_apart(groups, len(columns), rows)
    groups = rejoin(groups, whole_row, rows)
    groups, joined = first_apart(groups, whole_row, len(columns))
    groups = interleaved_columns(labels_after(groups, whole_row, columns, fmt), whole_row, len(columns), fmt)
    groups = column_blocks(groups, whole_row, columns, fmt)
    groups = split_runs(groups, whole_row, len(columns), fmt)
    groups = detached_totals(groups, len(columns), label_key(columns[-1]))
    groups = groups[:MAX_GROUPS]
    m, n = len(groups), len(rows)
    # A row that heads sub-rows in this format (2021's （六）其他处理, kept for the single-（六） template) takes a
    # run only by its label, never by position: the run between labelled rows is a sub-row's.
    heads = [any(other.startswith(f"{key}/") for other, _ in rows) for key, _ in rows]
    gain: list[list[float | None]] = []
    for group in groups:
        scores = _scores(group, rows, parent_labels(fmt), len(columns))
        whole = not group.after_parent and whole_row([t.text for t in group.tokens])
        gain.append(
            [
                s if s >= MATCH_THRESHOLD else WEAK_GAIN * (1 + s) - EARLY * j if whole and not head else None
                for j, (s, head) in enumerate(zip(scores, heads, strict=True))
            ]
        )
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    move = [[""] * (n + 1) for _ in range(m + 1)]
    for i in range(1, m + 1):
        move[i][0] = "skip_group"
    for j in range(1, n + 1):
        move[0][j] = "skip_row"
    for i in range(1, m + 1):
        above, here, row_gain = best[i - 1], best[i], gain[i - 1]
        for j in range(1, n + 1):
            value, step = above[j], "skip_group"
            if here[j - 1] > value:
                value, step = here[j - 1], "skip_row"
            g = row_gain[j - 1]
            if g is not None and above[j - 1] + g >= value:  # a match wins a tie
                value, step = above[j - 1] + g, "match"
            here[j], move[i][j] = value, step
    out: dict[str, list[Token]] = {}
    weak: list[str] = []
    columned: list[str] = []
    after: list[str] = []
    labels: dict[str, list[str]] = {}  # each placed row → the row labels before its run
    blocks: dict[str, int] = {}
    i, j = m, n
    while i or j:
        step = move[i][j]
        if step == "match":
            key = rows[j - 1][0]
            out[key] = groups[i - 1].tokens
            labels[key] = leaf_labels(groups[i - 1].before, fmt)
            if (gain[i - 1][j - 1] or 0.0) < MATCH_THRESHOLD:
                weak.append(key)
            if groups[i - 1].by_column:
                columned.append(key)
                blocks[key] = groups[i - 1].block
            elif key not in weak and _label_after(groups[i - 1], rows[j - 1][1], rows):
                after.append(key)
            i, j = i - 1, j - 1
        elif step == "skip_group":
            i -= 1
        else:
            j -= 1
    order = [key for key, _ in rows]
    named = {*weak, *columned, *after}
    return Aligned(
        dict(sorted(out.items(), key=lambda kv: order.index(kv[0]))),
        weak[::-1],
        columned[::-1],
        after[::-1],
        {k: v for k, v in crowded(labels, rows).items() if k not in named},
        [k for k, v in out.items() if id(v) in joined],
        blocks,
    )
