"""Chinese text preparation for search: jieba segmentation, title bigrams, query tokens, highlighting."""

from __future__ import annotations

import html
import logging
import re
import threading
from collections.abc import Iterable

import jieba
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

jieba.setLogLevel(logging.WARNING)
_init_lock = threading.Lock()
_ready = False

# Tokens worth indexing: CJK runs, Latin words, numbers (index numbers, 文号 years).
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")
_CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
MAX_QUERY_TOKENS = 12


def _ensure_ready() -> None:
    """Load jieba's dictionary once per process (about 0.7 s), guarded for threaded servers."""
    global _ready
    if not _ready:
        with _init_lock:
            if not _ready:
                jieba.initialize()
                _ready = True


def segment(text: str) -> list[str]:
    """Search-mode segmentation (long words also yield their sub-words), lower-cased, punctuation dropped."""
    _ensure_ready()
    out: list[str] = []
    for run in _WORD.findall(text or ""):
        if _CJK.match(run):
            out.extend(t for t in jieba.cut_for_search(run) if t.strip())
        else:
            out.append(run.lower())
    return out


def bigrams(text: str) -> list[str]:
    """Every two-character run of CJK text: any two-character word of a title then finds it."""
    out: list[str] = []
    for run in _WORD.findall(text or ""):
        if _CJK.match(run):
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def title_tokens(title: str) -> str:
    return " ".join(dict.fromkeys(segment(title) + bigrams(title)))


# Where a reader sees a break (a paragraph, a list item, a table cell), the text gets a space before the tags go,
# so that words of two paragraphs or two cells are not read as one.
_BREAK = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6]|t[dh]|tr|blockquote)>")


def text_of(html_or_text: str) -> str:
    return strip_tags(_BREAK.sub(" ", html_or_text or ""))


def body_tokens(*parts: str) -> str:
    return " ".join(segment(" ".join(text_of(p) for p in parts)))


def query_tokens(q: str) -> list[str]:
    """The words of a query: a two-character CJK query is taken whole, anything else is segmented."""
    q = (q or "").strip()
    if _CJK.match(q) and len(q) <= 2:
        return [q]
    tokens: list[str] = []
    for run in _WORD.findall(q):
        if _CJK.match(run) and len(run) <= 2:
            tokens.append(run)
        elif _CJK.match(run):
            # the whole word's jieba segments (precise mode) must all occur
            _ensure_ready()
            tokens.extend(t for t in jieba.cut(run) if t.strip())
        else:
            tokens.append(run.lower())
    return list(dict.fromkeys(tokens))[:MAX_QUERY_TOKENS]


def highlight(text: str, terms: Iterable[str], *, limit: int | None = None) -> SafeString:
    """Escape ``text`` and wrap each occurrence of a term in <mark>; with ``limit``, cut a snippet around the first hit."""
    plain = text_of(text)
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if limit is not None and len(plain) > limit:
        first = min((i for i in (plain.lower().find(w.lower()) for w in words) if i >= 0), default=0)
        start = max(0, first - limit // 4)
        plain = ("…" if start else "") + plain[start : start + limit] + "…"
    if not words:
        return mark_safe(html.escape(plain))  # noqa: S308 (escaped just now)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, pos = [], 0
    for m in pattern.finditer(plain):
        out.append(html.escape(plain[pos : m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(html.escape(plain[pos:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece escaped)
