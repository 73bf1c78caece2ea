"""Text clean-up for imported reports: traditional → simplified, converter noise, full-width digits."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

# Web converters that annotate characters with pinyin leave "根據(jù)" behind: a CJK character followed by a
# bracketed pinyin syllable carrying a tone mark. Requiring a tone mark keeps "(一)" and "(A)" intact.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_NOISE = re.compile(
    r"(?<=[\u3400-\u9fff])[(（]\s*[a-zü" + _TONED + r"]*[" + _TONED + r"][a-zü" + _TONED + r"]*\s*[)）]"
)
# The same converters without tone marks: "文(wen)章(zhang)". Only whole pinyin syllables in half-width
# brackets right after a CJK character are removed.
_PINYIN_PLAIN = re.compile(
    r"(?<=[\u3400-\u9fff])\((?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:[aeiouv]|ü)[a-z]{0,4}\)"
)
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile("[\u00a0\u3000\u2002\u2003\u2009\u202f\t\x0b\x0c]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# Full-width ASCII letters and digits (U+FF10–FF5A) → ASCII; full-width punctuation is left alone because
# the official labels use （）、，.
_WIDE_ALNUM = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF5B) if chr(cp - 0xFEE0).isalnum()}
_WIDE_ALNUM.update({0xFF0E: ord("."), 0xFF05: ord("%"), 0xFF0B: ord("+"), 0xFF0D: ord("-")})
_CJK = re.compile(r"[\u3400-\u9fff]")
# PDF fonts map common characters to look-alike radicals ("⼯作", "⾏政", "⻚⾯"): the Kangxi radicals and the
# compatibility ideographs fold to the unified character (NFKC), and the simplified radicals of the supplement
# block that stand for whole characters are listed here (no decomposition exists for them).
_RADICALS = {
    cp: unicodedata.normalize("NFKC", chr(cp))
    for block in (range(0x2F00, 0x2FD6), range(0xF900, 0xFADA))
    for cp in block
    if len(unicodedata.normalize("NFKC", chr(cp))) == 1
}
_RADICALS.update(
    {
        ord(a): b
        for a, b in zip(
            "⺠⺟⺩⻄⻅⻆⻉⻋⻓⻔⻘⻙⻚⻛⻜⻢⻣⻤⻥⻦⻧⻨⻩⻬⻮⻰⻳⻗",
            "民母王西见角贝车长门青韦页风飞马骨鬼鱼鸟卤麦黄齐齿龙龟雨",
            strict=True,
        )
    }
)


@lru_cache(maxsize=1)
def _t2s() -> Any:
    """The OpenCC converter, or None when the package is missing (then text stays as it is)."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a declared dependency
        return None
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert traditional characters to simplified when the text is (mostly) traditional.

    Returns the text and whether it was converted. Simplified text is left untouched, so OpenCC's
    occasional one-to-many choices cannot damage a document that needed no conversion.
    """
    converter = _t2s()
    if converter is None or not text:
        return text, False
    cjk = len(_CJK.findall(text))
    if cjk == 0:
        return text, False
    converted: str = converter.convert(text)
    if converted == text:
        return text, False
    if len(converted) == len(text):
        changed = sum(1 for a, b in zip(text, converted, strict=True) if a != b)
    else:  # pragma: no cover - t2s keeps lengths for the characters that occur in reports
        changed = cjk
    if changed >= 3 and changed / cjk >= 0.01:
        return converted, True
    return text, False


def strip_converter_noise(text: str) -> str:
    """Remove pinyin annotations such as "根據(jù)" → "根據" left by on-line converters."""
    text = _PINYIN_NOISE.sub("", text)
    if len(_PINYIN_PLAIN.findall(text)) >= 3:  # a converter's work, not one bracketed word
        text = _PINYIN_PLAIN.sub("", text)
    return text


def normalise_text(text: str) -> tuple[str, list[str]]:
    """Clean a decoded document; returns the text and notes on what was changed (for info findings)."""
    notes: list[str] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text).replace("\f", "")  # a page break (pdftotext) is no space in a line
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    cleaned = strip_converter_noise(text)
    if cleaned != text:
        notes.append("converter_noise")
        text = cleaned
    text = text.translate(_WIDE_ALNUM).translate(_RADICALS)
    text, converted = to_simplified(text)
    if converted:
        notes.append("traditional")
    return text, notes


_LABEL_DROP = re.compile(r"[\s\u3000:：;；_“”\"'‘’「」『』《》·•・]")
_LABEL_MAP = str.maketrans(
    {
        "(": "（",
        ")": "）",
        "，": "、",
        ",": "、",
        "．": "、",
        ".": "、",
        "。": "、",
        "、": "、",
        "／": "/",
        "—": "-",
        "－": "-",
        "–": "-",
    }
)


def label_key(text: str) -> str:
    """An aggressive form of a label for fuzzy matching: no spaces or quotes, unified brackets and commas."""
    return _label_key_cached(text) if len(text) <= 200 else _label_key(text)


@lru_cache(maxsize=65536)
def _label_key_cached(text: str) -> str:
    return _label_key(text)


def _label_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_LABEL_MAP)
    # NFKC turned （）back into (); map again after it.
    text = text.translate(_LABEL_MAP)
    return _LABEL_DROP.sub("", text)
