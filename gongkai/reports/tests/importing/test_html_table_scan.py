"""HTML tables inside text: found in one linear pass, exactly where the old lazy regex found them."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.reports.importing import readers_text
from gongkai.reports.importing.readers_text import _flatten_html_tables, _html_table_spans

# The regex the scan replaced: quadratic on many unclosed ``<table`` tags, the reference for well-formed input.
LAZY_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)

PIECES = [
    "<table",
    "<TABLE border=1>",
    "<tablex>",
    "</table>",
    "</TaBlE \n>",
    "</table",
    "</table x>",
    "x",
    "\n",
    "<",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_spans_are_those_of_the_lazy_regex(pieces):
    text = "".join(pieces)
    assert _html_table_spans(text) == [m.span() for m in LAZY_TABLE.finditer(text)]


class _Counting:
    """A compiled pattern that counts its searches (the work the scan does)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern, self.searches = pattern, 0

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        self.searches += 1
        return self.pattern.search(text, pos)


def test_many_unclosed_tables_are_scanned_once(monkeypatch):
    # given 400 KB of unclosed "<table" tags (the lazy regex took 12 s here, trying each tag to the end of the text)
    opening, closing = _Counting(readers_text._TABLE_OPEN), _Counting(readers_text._TABLE_CLOSE)
    monkeypatch.setattr(readers_text, "_TABLE_OPEN", opening)
    monkeypatch.setattr(readers_text, "_TABLE_CLOSE", closing)
    text = "前言 <table>x</table> " + "<table" * 70_000
    # when the tables are flattened
    flat = _flatten_html_tables(text)
    # then the scan stopped at the first unclosed tag: one search for each tag it passed, not one per tag in the text
    assert (opening.searches, closing.searches) == (2, 2)
    assert flat.endswith("<table" * 70_000) and "</table>" not in flat
