"""Control characters in submitted text: never accepted, anywhere.

C0 controls other than tab, line feed and carriage return, DEL, and the C1 controls have no place in a name,
a title or a letter; NUL is refused by PostgreSQL outright (a 500 before this check), and the others end up
in exported spreadsheets, letters and the public site. One regular expression and one validator, used by the
request middleware (query strings and form fields), the API's input schemas (JSON bodies) and forms.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from django.core.exceptions import ValidationError

# ... and the bidirectional formatting characters (LRM/RLM, embeddings, overrides, isolates): "测试\u202egnp.exe"
# displays as "测试exe.png" — a name that lies about itself (red-team N7).
CONTROL_CHARACTERS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
CONTROL_MESSAGE = "内容含有不可见的控制字符，请删除后重新提交。"


def has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


def validate_no_control_characters(value: Any) -> None:
    """A Django validator: ValidationError (Chinese) when ``value`` is text with a control character."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


def find_control_characters(value: Any, path: str = "") -> str | None:
    """The dotted path of the first text with a control character in ``value`` (str, or lists, dicts and
    dataclasses of them, keys included), or None. The root itself is ``""``."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, str):
        return path if has_control_characters(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and has_control_characters(key):
                return sub
            found = find_control_characters(item, sub)
            if found is not None:
                return found
    if isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            found = find_control_characters(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None
