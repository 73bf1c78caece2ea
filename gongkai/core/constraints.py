"""Check constraints several models declare alike: a closing date and the state it goes with."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q


def not_before(field: str, start: str, *, name: str) -> models.CheckConstraint:
    """The date ``field`` is empty or on or after the date ``start`` (closed no earlier than received…)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": F(start)}), name=name
    )


def closed_iff_dated(
    state_field: str, open_value: Any, date_field: str, *, name: str
) -> models.CheckConstraint:
    """A record is closed exactly when its closing date is set: ``date_field`` is empty while ``state_field``
    holds ``open_value`` (no outcome yet, 审理中…) and set once it holds anything else."""
    is_open = Q(**{state_field: open_value})
    return models.CheckConstraint(
        condition=(is_open & Q(**{f"{date_field}__isnull": True}))
        | (~is_open & Q(**{f"{date_field}__isnull": False})),
        name=name,
    )
