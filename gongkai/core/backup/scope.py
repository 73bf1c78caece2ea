"""Which tables a backup holds, in which order, and when a database counts as empty.

Every concrete, managed model is backed up except the ``EXCLUDED`` ones. Rows are written and loaded in
dependency order (a table after the tables its foreign keys point at); foreign keys are checked once at the
end of a restore anyway.

**Empty**, precisely: every backed-up table is empty except those in ``SEEDED_BY_MIGRATIONS`` — the rows that
``migrate`` itself creates (content types and permissions from Django's post-migrate step, the working-day
calendar 2004–2026, the 26 试点领域 and the 错敏词 seed). A restore replaces those tables wholesale with the
backup's rows. ``tests/test_backup_scope.py`` checks that a freshly migrated database has rows in no other table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models

# Sessions are transient and signed with the deployment's SECRET_KEY: after a restore everybody logs in again.
EXCLUDED = frozenset({"sessions.session"})
SEEDED_BY_MIGRATIONS = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "workdays.calendaryear",
        "workdays.dayoverride",
        "workdays.calendarrevision",
        "catalog.field",
        "catalog.typoentry",
    }
)


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def backed_up_models() -> list[type[models.Model]]:
    """The models whose rows a backup holds, each after the models it points at (cycles: in app order)."""
    chosen = [
        m
        for m in apps.get_models(include_auto_created=True)  # many-to-many tables are tables of their own
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped and label(m) not in EXCLUDED
    ]
    by_label = {label(m): m for m in chosen}
    ordered: list[type[models.Model]] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(model: type[models.Model]) -> None:
        name = label(model)
        if name in placed or name in visiting:
            return
        visiting.add(name)
        for target in _targets(model):
            if target in by_label:
                place(by_label[target])
        visiting.discard(name)
        placed.add(name)
        ordered.append(model)

    for model in chosen:
        place(model)
    return ordered


def _targets(model: type[models.Model]) -> Iterable[str]:
    for field in model._meta.get_fields(include_hidden=True):
        related: Any = field.related_model
        if related is None or isinstance(related, str) or related is model:
            continue
        if (field.concrete and field.is_relation) or (field.many_to_many and not field.auto_created):
            yield label(related)


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def non_empty_tables(using: str = "default") -> list[str]:
    """The backed-up tables, outside the seeded ones, that hold a row (empty list: the database is empty)."""
    return [
        label(m)
        for m in backed_up_models()
        if label(m) not in SEEDED_BY_MIGRATIONS and m._base_manager.using(using).exists()
    ]
