"""Ruled tables on a page image: rules found and erased, cells (with a label spanning rows), words tagged and laid
out as flat rows. No OCR engine needed: the page is drawn, the words are made."""

from __future__ import annotations

from gongkai.reports.importing import ocr, ocr_grid, readers_ocr


def _ruled_page():
    """A 3-column table of 3 bands; the first column's cell spans the two lower bands (no rule between them)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(image)
    xs, ys = [100, 500, 800, 1100], [100, 250, 400, 550]
    for y in ys:
        start = xs[1] if y == 400 else xs[0]  # the rule under band 2 stops at the spanning label
        draw.line((start, y, xs[-1], y), fill=0, width=3)
    for x in xs:
        draw.line((x, ys[0], x, ys[-1]), fill=0, width=3)
    draw.text((120, 160), "text", fill=0)  # short strokes are not rules
    return image


def test_rules_are_found_and_erased_but_not_the_writing():
    image = _ruled_page()
    horizontal, vertical = ocr_grid.find_rules(image)
    assert sorted(r.at for r in horizontal) == [100, 250, 400, 550]
    assert sorted(r.at for r in vertical) == [100, 500, 800, 1100]
    clean = ocr_grid.erase(image, horizontal, vertical)
    assert clean.getpixel((300, 100)) == 255 and clean.getpixel((100, 300)) == 255
    assert clean.crop((115, 155, 160, 175)).getextrema()[0] < 128  # the writing stays


def test_cells_span_rows_where_a_rule_is_missing_and_words_are_tagged():
    horizontal, vertical = ocr_grid.find_rules(_ruled_page())
    table = ocr_grid.cells(horizontal, vertical)
    # band 0: three own cells; band 1: three, the first running on into band 2; band 2: the first covered
    assert [(c.tag.band, c.tag.column) for c in table] == [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (1, 1),
        (1, 2),
        (2, 1),
        (2, 2),
    ]
    assert table[3].box == [100, 250, 500, 550]
    assert table[-1].tag.own == (False, True, True)
    # a word in the lower half of the spanning label belongs to it; a word outside the table to none
    assert ocr_grid.tag_of((200, 450, 260, 480), table) == table[3].tag
    assert ocr_grid.tag_of((200, 700, 260, 730), table) is None


def test_a_ruled_band_becomes_one_flat_row_with_blank_and_covered_cells():
    horizontal, vertical = ocr_grid.find_rules(_ruled_page())
    table = ocr_grid.cells(horizontal, vertical)

    def word(text, x, y, line):
        box = (x, y, x + 40, y + 30)
        return ocr.Word(text, 1, box, 0.9, (1, 1, line), ocr_grid.tag_of(box, table))

    words = [
        word("事项", 120, 160, 1), word("本年", 520, 160, 1), word("总计", 820, 160, 1),
        word("行政", 120, 300, 2), word("复议", 170, 300, 2), word("l2", 520, 300, 2),  # blank 3rd cell
        word("00", 520, 450, 3), word("7", 820, 450, 3),  # "00": a 0 read twice, in a cell of its own
        word("五、存在的主要问题", 100, 700, 4),
    ]  # fmt: skip
    text, positions = readers_ocr.layout(words)
    assert text.split("\n") == ["事项 | 本年 | 总计 |", "行政复议 | 12 | |", "0 | 7 |", "五、存在的主要问题"]
    twelve = next(p for p in positions if text[p.start : p.end] == "12")
    assert twelve.bbox == (520, 300, 560, 330)


def test_a_word_run_across_erased_rules_is_cut_at_the_rules():
    horizontal, vertical = ocr_grid.find_rules(_ruled_page())
    table = ocr_grid.cells(horizontal, vertical)
    # "007" read as one word over the 2nd and 3rd cells of band 0 (rule at x = 800): cut there
    parts = ocr_grid.split((700, 160, 880, 190), "007", table)
    assert [text for text, _ in parts] == ["00", "7"]
    assert [ocr_grid.tag_of(box, table).column for _, box in parts] == [1, 2]
    # a word inside one cell is left whole
    assert ocr_grid.split((520, 160, 600, 190), "12", table) == [("12", (520, 160, 600, 190))]
