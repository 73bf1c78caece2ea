"""One row as one JSON line, and back: Django's own field conversions (the "python" serializer), with exact
datetimes (Django's JSON encoder cuts microseconds, which the audit hash covers) and no natural keys."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.core import serializers
from django.db import models

CHUNK = 500


class _ExactEncoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.date | dt.time):
            return o.isoformat()
        if isinstance(o, dt.timedelta):
            return str(o.total_seconds())
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        return super().default(o)


def field_names(model: type[models.Model]) -> list[str]:
    """The columns written per row (the primary key is written as ``pk``; many-to-many rows are own tables)."""
    return [f.name for f in model._meta.concrete_fields if not f.primary_key]


def encode_rows(model: type[models.Model], rows: Iterable[models.Model]) -> Iterator[str]:
    """Each row as one line of JSON (with its newline)."""
    names = field_names(model)
    for chunk in chunked(rows, CHUNK):
        for data in serializers.serialize("python", chunk, fields=names):
            yield json.dumps(data, cls=_ExactEncoder, ensure_ascii=False, separators=(",", ":")) + "\n"


def decode_rows(lines: Iterable[str]) -> Iterator[models.Model]:
    """The model instances of JSON lines written by :func:`encode_rows` (unsaved, primary keys set)."""
    for chunk in chunked((line for line in lines if line.strip()), CHUNK):
        for obj in serializers.deserialize("python", [json.loads(line) for line in chunk]):
            yield obj.object


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def json_dumps(value: Any, **options: Any) -> str:
    return json.dumps(value, cls=_ExactEncoder, ensure_ascii=False, **options)
