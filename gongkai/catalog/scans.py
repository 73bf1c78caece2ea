"""The pre-publication scans of a catalogue item (《条例》第十七条 保密审查 support), with the 错敏词 dictionary.

The text scanning itself (身份证号, bank cards, 手机号, dictionary rows, positions, severities) is
``core.scans``; here are only the item's fields and the dictionary kept as ``TypoEntry`` rows.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from gongkai.core.scans import Hit, scan_fields

from .models import Item, TypoEntry


def dictionary_rows() -> list[tuple[str, str, str, str]]:
    return [
        (e.wrong, e.correct, e.get_kind_display(), e.severity)
        for e in TypoEntry.objects.filter(is_active=True)
    ]


def item_scan(item: Item) -> list[Hit]:
    """Run the pre-publication scans over 名称, 文号, 内容概述, 主题词, 正文 and the attachments' text."""
    fields = [("名称", item.title), ("文号", item.doc_number), ("内容概述", item.summary),
              ("主题词", item.keywords), ("正文", item.body)]  # fmt: skip
    if item.pk:
        fields += [(f"附件“{a.name}”", a.text) for a in item.attachments.all() if a.text]
    return scan_fields(fields, dictionary=dictionary_rows())


def refuse_blocking_hits(item: Item) -> None:
    """ValidationError listing every blocking hit (a workflow check of 提交 and 发布, and of the importer)."""
    blocking = [h for h in item_scan(item) if h.blocks]
    if blocking:
        raise ValidationError(
            ["发布前检查发现以下问题，须修改后再提交："] + [str(h) for h in blocking], code="scan_blocked"
        )
