"""An audit row as people read it: field names and coded values in Chinese, never the stored keys.

The row keeps what was written (``changes`` as JSON with field names and vocabulary codes: the chain hashes
it); this module only translates for the page. Field names come from the models' ``verbose_name``, coded
values from the fields' choices (every model of the project, so an event kind inside a nested change is found
too), and the few keys that are no model field from ``EXTRA_LABELS``. A link to an organisation (上级机构, 办理申请的
工作机构) is stored as its id and shown by its name (``NAMED_TARGETS``: models whose name is public; a link to any
other model, e.g. an application, keeps its number, as its name may carry personal data).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.html import format_html

from gongkai.core.richtext import looks_like_html, rich_text_plain

EXTRA_LABELS = {
    "event": "办理记录",
    "kind": "事项",
    "date": "日期",
    "attachments": "附件数",
    "sections": "正文各部分",
    "text": "内容",
    "value": "数值",
    "body": "正文",
    "file": "文件",
    "note": "说明",
    "result": "结果",
    "year": "年度",
    "source": "依据",
    "title": "标题",
    "role": "角色",
    "user": "用户",
    "items": "事项",
    "until": "期限",
    "reply_summary": "答复摘要",
    "what": "内容",
    "count": "数量",
    "format": "格式",
    "version": "版本",
    "reason": "理由",
    "fields": "字段",
    "parent": "上级机构",
    "read": "读取内容",
    "issued": "已出具",
    "days": "天数",
    "clock": "据此确定的期限",
    "letter": "文书",
    "case": "案件",
    "sealed": "已加盖电子印章",
    "seal_sha256": "所用印章（摘要）",
    "scan_sha256": "扫描件（摘要）",
    "documents": "材料数",
    "pages": "页数",
    "pdf_sha256": "PDF（摘要）",
    "zip_sha256": "压缩包（摘要）",
    "size": "尺寸",
    "sha256": "摘要",
    "proof_sha256": "送达凭证（摘要）",
    "personal_data_purged": "删除的个人信息",
    "attachments_removed": "删除的申请材料数",
    "evidence_bundles_removed": "删除的证据材料数",
    "issued_pdf_sha256": "出具件（摘要）",
    "issued_pdfs_removed": "删除的出具件数",
    "issued_pdfs_kept_as_records": "随归档案卷保留的出具件数",
}
# Keys whose values are SHA-256 digests: machine values, shown short and marked not to be read as words
# (translate="no"), so a person sees 「PDF（摘要）：a491f6d8505c8fea」 as an identifier, not as text.
DIGEST_KEYS = frozenset(
    {"sha256", "seal_sha256", "scan_sha256", "proof_sha256", "pdf_sha256", "zip_sha256", "issued_pdf_sha256"}
)
DIGEST_SHOWN = 16
# Keys whose values are themselves field names (a delivery's receipt day fed 「补正期限」): shown by their label.
FIELD_VALUED_KEYS = frozenset({"clock", "personal_data_purged"})
EMPTY = "（空）"
NAMED_TARGETS = frozenset({"orgs.organisation"})
# What an empty link means, where it means something (as the form's empty choice says it).
EMPTY_LINK = {"handling_office": "（本机关自行办理）", "parent": "（无上级机构）"}
# Rich text (a catalogue item's 正文, a report's section) is stored as HTML: the page shows its words, not its
# tags, and only the start of them (the whole text is on the item's own page).
RICH_TEXT_SHOWN = 60


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, str], dict[str, str]]:
    """(field name → verbose name, code → label) over every model of the project."""
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("gongkai."):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.Field):
                continue
            if not str(field.verbose_name).isascii():  # a field left without a Chinese name
                names.setdefault(field.name, str(field.verbose_name))
            for value, label in field.flatchoices or ():
                if isinstance(value, str) and value:
                    codes.setdefault(value, str(label))
    return names, codes


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_label(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model else "对象"


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except Exception:  # noqa: BLE001 (FieldDoesNotExist: a key that is no field of the model)
        return None
    return field if isinstance(field, models.Field) else None


def key_label(model: type[models.Model] | None, key: str) -> str:
    field = _field(model, key)
    if field is not None and not str(field.verbose_name).isascii():
        return str(field.verbose_name)
    names, _ = _vocabulary()
    return EXTRA_LABELS.get(key) or names.get(key) or "其他"


def value_label(value: Any, field: models.Field | None = None) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(f"{key_label(None, k)}：{value_label(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(value_label(v, field) for v in value) or EMPTY
    if isinstance(value, str):
        if looks_like_html(value):
            return _rich_text_summary(value)
        if field is not None and field.flatchoices:
            return str(dict(field.flatchoices).get(value, value))
        return _vocabulary()[1].get(value, value)
    return str(value)


def _rich_text_summary(value: str) -> str:
    """「（约 N 字）第一段内容。第二段……」: the length of the text and its first words, without tags."""
    text = rich_text_plain(value)
    if not text:
        return EMPTY
    shown = text if len(text) <= RICH_TEXT_SHOWN else text[:RICH_TEXT_SHOWN] + "……"
    return f"（约 {len(text)} 字）{shown}"


def _is_rich(value: Any) -> bool:
    return isinstance(value, str) and looks_like_html(value)


def _digest(value: Any) -> str:
    if value in (None, ""):
        return EMPTY
    return format_html('<span class="digest" translate="no">{}</span>', str(value)[:DIGEST_SHOWN])


def _field_name(value: Any) -> Any:
    return _vocabulary()[0].get(value, value) if isinstance(value, str) else value


def _target(field: models.Field | None) -> type[models.Model] | None:
    """The model a link field points to, when its objects may be shown by name."""
    related = getattr(field, "related_model", None) if field is not None and field.many_to_one else None
    if (
        isinstance(related, type)
        and issubclass(related, models.Model)
        and related._meta.label_lower in NAMED_TARGETS
    ):
        return related
    return None


def _linked_label(related: type[models.Model], value: Any, empty: str = EMPTY) -> str:
    """An organisation's id as its current name (the row stores the id: a rename since shows the new name)."""
    if value is None or value == "":
        return empty
    if not isinstance(value, int) or isinstance(value, bool):
        return str(value)
    obj = related._default_manager.filter(pk=value).first()
    if obj is None:
        return f"（已删除的{related._meta.verbose_name}，编号 {value}）"
    return str(obj)


def _value_text(value: Any, field: models.Field | None) -> str:
    related = _target(field)
    if related is None or field is None:
        return value_label(value, field)
    return _linked_label(related, value, EMPTY_LINK.get(field.name, EMPTY))


def change_rows(object_type: str, changes: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(label, text) per changed key; a [old, new] pair reads 「旧 → 新」."""
    model = _model(object_type)
    rows = []
    for key, value in (changes or {}).items():
        field = _field(model, key)
        if key in DIGEST_KEYS:
            pair = isinstance(value, list) and len(value) == 2  # noqa: PLR2004 ([old, new])
            text = format_html("{} → {}", _digest(value[0]), _digest(value[1])) if pair else _digest(value)
            rows.append((key_label(model, key), text))
            continue
        if key in FIELD_VALUED_KEYS:
            value = [_field_name(v) for v in value] if isinstance(value, list) else _field_name(value)
        if isinstance(value, list) and len(value) == 2 and any(_is_rich(v) for v in value):  # noqa: PLR2004
            text = "已修改" + _rich_text_summary(value[1]) if value[1] else "已清空"
        elif isinstance(value, list) and len(value) == 2:  # noqa: PLR2004 ([old, new])
            text = f"{_value_text(value[0], field)} → {_value_text(value[1], field)}"
        else:
            text = _value_text(value, field)
        rows.append((key_label(model, key), text))
    return rows
