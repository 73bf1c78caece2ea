"""The PII / 错敏词 scanner (core.scans): 身份证号 (GB 11643), bank cards (Luhn), mobiles, dictionary, positions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.scans import Severity, id_check_digit, is_id_number, luhn_ok, plain_text, scan_text

VALID_ID = "11010519491231002X"  # GB 11643 example number
VALID_CARD = "6222020200112345678"  # 19 digits, Luhn-valid (check digit computed below)


def _luhn_complete(prefix: str) -> str:
    for d in "0123456789":
        if luhn_ok(prefix + d):
            return prefix + d
    raise AssertionError


CARD = _luhn_complete("622202020011234567")


@pytest.mark.parametrize(
    "number,ok",
    [
        (VALID_ID, True),
        (VALID_ID.lower(), True),
        ("110105194912310021", False),  # wrong check digit
        ("110105194913310029", False),  # month 13
        ("110105299912310023", False),  # born in the future
    ],
)
def test_id_number_check(number, ok):
    assert is_id_number(number) is ok


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_a_changed_digit_breaks_the_check(first17):
    # GB 11643 detects any single-digit error: changing one digit changes the check character
    check = id_check_digit(first17)
    changed = first17[:5] + str((int(first17[5]) + 1) % 10) + first17[6:]
    assert id_check_digit(changed) != check


def test_id_number_hit_reports_line_and_column_and_blocks():
    # Given a body whose second line carries an ID number after four characters
    text = "第一行\n申请人：" + VALID_ID + "。"
    # When scanned
    hits = scan_text(text, field="正文")
    # Then the hit is there, blocking, with its position
    assert [(h.kind, h.line, h.column, h.text, h.severity) for h in hits] == [
        ("id_number", 2, 5, VALID_ID, Severity.BLOCK)
    ]
    assert hits[0].offset == text.index(VALID_ID)
    assert "第2行第5字" in str(hits[0])


@pytest.mark.parametrize(
    "text,kinds",
    [
        (f"卡号 {CARD} 请核对", ["bank_card"]),
        (f"卡号 {CARD[:-1]}{(int(CARD[-1]) + 1) % 10}", []),  # Luhn fails
        ("联系电话 13812345678", ["mobile"]),
        ("联系电话 138-1234-5678", ["mobile"]),
        ("座机 0579-88000001", []),
        ("编号 20260000000000000001", []),  # 20 digits: neither ID nor card
        (f"身份证 {VALID_ID} 电话 13912345678", ["id_number", "mobile"]),
    ],
)
def test_pattern_table(text, kinds):
    assert [h.kind for h in scan_text(text, field="正文")] == kinds


def test_dictionary_hits_every_occurrence_with_its_severity():
    rows = [
        ("社会主意", "社会主义", "严重表述错误", Severity.BLOCK),
        ("按排", "安排", "错别字", Severity.WARN),
    ]
    hits = scan_text("按排工作，坚持社会主意，再按排", field="正文", dictionary=rows)
    assert [(h.text, h.column, h.blocks) for h in hits] == [
        ("按排", 1, False),
        ("社会主意", 8, True),
        ("按排", 14, False),
    ]
    assert "应为“社会主义”" in hits[1].message


@given(
    st.text(alphabet="政府信息公开，。 \n", max_size=40), st.text(alphabet="政府信息公开，。 ", max_size=20)
)
def test_hit_position_is_where_the_number_is(prefix, suffix):
    # Given an ID number anywhere in text without other digits
    text = prefix + VALID_ID + suffix
    hits = scan_text(text, field="正文")
    # Then the one hit's offset, line and column locate it exactly
    assert [h.offset for h in hits] == [len(prefix)]
    assert hits[0].line == prefix.count("\n") + 1
    assert hits[0].column == len(prefix) - (prefix.rfind("\n") + 1) + 1


def test_plain_text_turns_blocks_into_lines():
    assert plain_text("<p>一</p><p>二<br>三</p>") == "一\n二\n三\n"
