"""A row of zeros printed without its blank cell (one-line text: the blank's place is lost, as in r408 and r413
of the dev half): every reading puts 0 or a blank in each applicant cell, and a blank is 0 in the format (应填 0),
so the cells read 0 and a warning names them."""

from __future__ import annotations

from gongkai.reports import definitions as defs
from gongkai.reports.importing.extract_align import zero_or_blank
from gongkai.reports.importing.extract_fit import zeros_apart
from gongkai.reports.importing.pipeline import import_bytes

from . import shapes

PART = f"{defs.RESULTS}/（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
ROWS = "0 0 0 0 0 0 0"


def _zeros_in(doc: dict, row: str) -> None:
    """Make ``row`` all zeros and keep the table consistent (its figures taken off 总计 and 本年新收)."""
    rows = doc["table3"]["rows"]
    for key in (defs.RESULTS_TOTAL, defs.RECEIVED):
        rows[key] = [t - v for t, v in zip(rows[key], rows[row], strict=True)]
        assert min(rows[key]) >= 0
    rows[row] = [0] * 7


def _printed_as(figures: str) -> tuple[dict, str, str]:
    """A consistent one-line report whose 部分公开 row is all zeros, and the same text with that row printed as
    ``figures`` (its blank cells lost)."""
    doc = shapes.consistent_document(3, "2021")
    _zeros_in(doc, PART)
    text = shapes.render(doc, "one_line")
    label = PART.rsplit("/", 1)[-1]
    at = text.index(label) + len(label)
    assert text[at:].lstrip().startswith(ROWS)
    return doc, text, text[:at] + text[at:].replace(ROWS, figures, 1)


def test_a_row_of_zeros_short_of_one_figure_reads_zeros_and_says_so():
    # given a consistent one-line report whose 部分公开 row is all zeros, printed with six figures for seven cells
    doc, text, lost = _printed_as("0 0 0 0 0 0")
    [before] = import_bytes(text.encode(), "report.txt")
    [got] = import_bytes(lost.encode(), "report.txt")
    # then every cell of the row reads 0 (the blank's place does not matter), the rest of the table reads as
    # with the blank printed, and a warning names the cells read that way
    assert got["table3"]["rows"][PART] == [0] * 7
    assert got["table3"]["rows"] == before["table3"]["rows"] == doc["table3"]["rows"]
    named = {c for f in got["findings"] if f["code"] == "import_zero_or_blank" for c in f["cells"]}
    assert {f"table3:{PART}:{c}" for c in ("自然人", "商业企业", "其他")} <= named
    assert [f for f in got["findings"] if f["severity"] == "error"] == []


def test_only_a_cell_that_is_zero_or_blank_in_every_reading_and_zero_in_most_counts():
    readings = [[0, 1, None, 0], [None, 0, 0, 0], [0, 0, 0, None]]
    assert [zero_or_blank(readings, n) for n in range(4)] == [True, False, True, True]
    # blank in every reading, or in most: nothing was printed there, the cell stays blank
    assert not zero_or_blank([[None], [None]], 0)
    assert not zero_or_blank([[0], [None], [None]], 0)
    assert not zero_or_blank([[0], [None]], 0)
    # a text cell or False is not the format's 0
    assert not zero_or_blank([["0"], ["0"], [None]], 0)
    assert not zero_or_blank([[False], [False], [None]], 0)


def test_a_row_of_two_zeros_for_seven_cells_keeps_its_blanks():
    # given the same report whose 部分公开 row prints only 自然人 0 and 总计 0 (five blank cells, lost)
    _, _, lost = _printed_as("0 0")
    [got] = import_bytes(lost.encode(), "report.txt")
    # then no applicant cell is read as 0 where most readings leave it blank
    assert not any(f["code"] == "import_zero_or_blank" for f in got["findings"])
    assert [v for v in got["table3"]["rows"][PART] if v is not None] in ([], [0], [0, 0])


def test_a_run_of_zeros_in_a_row_short_of_figures_is_its_zeros():
    # "0 00000" (r408: a row of zeros printed with its cells together, a space where the blank was)
    assert zeros_apart(["0", "00000"], 7) == ["0"] * 6
    # a figure with a leading zero is not a count: only whole runs of zeros are cut
    assert zeros_apart(["0", "010"], 7) == ["0", "010"]
    # a full row, or a cut giving more figures than cells, is left alone
    assert zeros_apart(["00", "1"], 2) == ["00", "1"]
    assert zeros_apart(["000", "000"], 5) == ["000", "000"]
