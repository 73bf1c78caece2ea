"""The PII / 错敏词 scanner: personal data and wording errors in a text, with positions (domain-free).

Each hit says which field, where (line, column and character offset in the field's plain text) and
whether it blocks publication or only warns. 身份证号 (GB 11643 check digit) and bank card numbers
(Luhn) block; 手机号 warn by default (offices publish hotline numbers); the 错敏词 dictionary rows, passed in by
the caller, say per entry. ``GONGKAI_SCAN_SEVERITY = {"mobile": "block"}`` changes a pattern's severity.
The catalogue's pre-publication scan of an item (《条例》第十七条 保密审查 support) is ``catalog.scans``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.html import strip_tags

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)")
_CARD = re.compile(r"(?<!\d)((?:\d[ -]?){15,18}\d)(?!\d)")


class Severity(models.TextChoices):
    """What a hit does: blocks publication, or only warns."""

    BLOCK = "block", "阻止发布"
    WARN = "warn", "提醒"


@dataclass(frozen=True)
class Hit:
    kind: str  # id_number / mobile / bank_card / dictionary
    severity: str  # Severity value
    field: str  # the field label (名称 / 内容概述 / 正文 …)
    offset: int
    line: int
    column: int
    text: str
    message: str

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCK

    def __str__(self) -> str:
        return f"{self.field} 第{self.line}行第{self.column}字：{self.message}（{self.text}）"


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 check character of a 18-digit 公民身份号码."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def is_id_number(value: str) -> bool:
    value = value.upper()
    if not re.fullmatch(r"\d{17}[0-9X]", value) or id_check_digit(value[:17]) != value[17]:
        return False
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= dt.date.today()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _severity(kind: str, default: Severity) -> str:
    return str(getattr(settings, "GONGKAI_SCAN_SEVERITY", {}).get(kind, default))


def plain_text(html_or_text: str) -> str:
    """Text as a reader sees it: block tags become line breaks, then tags are dropped."""
    text = re.sub(r"(?i)<br\s*/?>|</(p|div|li|h[1-6]|tr)>", "\n", html_or_text or "")
    return strip_tags(text)


def scan_text(text: str, *, field: str, dictionary: Iterable[tuple[str, str, str, str]] = ()) -> list[Hit]:
    """All hits in one field's plain text; ``dictionary`` rows are (wrong, correct, kind label, severity)."""
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, severity: str, start: int, end: int, message: str) -> None:
        line, col = _position(text, start)
        hits.append(Hit(kind, severity, field, start, line, col, text[start:end], message))
        taken.append((start, end))

    for m in _ID.finditer(text):
        if is_id_number(m.group(1)):
            add("id_number", _severity("id_number", Severity.BLOCK), m.start(1), m.end(1), "疑似公民身份号码")
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        overlaps = any(s < m.end(1) and m.start(1) < e for s, e in taken)
        if 16 <= len(digits) <= 19 and not overlaps and luhn_ok(digits):
            add("bank_card", _severity("bank_card", Severity.BLOCK), m.start(1), m.end(1), "疑似银行卡号")
    for m in _MOBILE.finditer(text):
        if not any(s < m.end(1) and m.start(1) < e for s, e in taken):
            add("mobile", _severity("mobile", Severity.WARN), m.start(1), m.end(1), "疑似个人手机号码")
    for wrong, correct, kind_label, severity in dictionary:
        start = text.find(wrong)
        while start >= 0:
            hint = f"应为“{correct}”" if correct else "请核实"
            add("dictionary", severity, start, start + len(wrong), f"{kind_label}：{hint}")
            start = text.find(wrong, start + len(wrong))
    hits.sort(key=lambda h: h.offset)
    return hits


def scan_fields(
    fields: Iterable[tuple[str, str]], *, dictionary: list[tuple[str, str, str, str]]
) -> list[Hit]:
    """Scan (label, html-or-text) pairs in order."""
    out: list[Hit] = []
    for label, value in fields:
        out.extend(scan_text(plain_text(value), field=label, dictionary=dictionary))
    return out
