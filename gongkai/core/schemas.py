"""Base classes for the API's input schemas: no control characters in any text, no null where none fits."""

from __future__ import annotations

from typing import Any, ClassVar

from ninja import Schema
from pydantic import model_validator

from .text import CONTROL_MESSAGE, find_control_characters


class InputSchema(Schema):
    """An input schema (JSON body or query): every text in it, nested ones (schemas, dataclasses) included, is
    free of control characters (gongkai.core.text). Each input schema of the API derives from this one."""

    @model_validator(mode="after")
    def _no_control_characters(self) -> Any:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, InputSchema):
                continue  # checked by its own validator
            found = find_control_characters(value)
            if found is not None:
                raise ValueError(f"「{name}{'.' + found if found else ''}」{CONTROL_MESSAGE}")
        return self


class PatchSchema(InputSchema):
    """A partial update: a field left out is unchanged, and ``null`` is accepted only for the fields listed in
    ``nullable`` (those whose empty value is null: dates, optional links). Every other field's type says
    ``| None`` only so that it may be left out; a null there would reach a NOT NULL column."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null(self) -> Any:
        nulls = sorted(
            name
            for name in self.model_fields_set
            if getattr(self, name) is None and name not in self.nullable
        )
        if nulls:
            raise ValueError(f"「{'、'.join(nulls)}」不能为空值（null）；不修改的项请不要提交。")
        return self
