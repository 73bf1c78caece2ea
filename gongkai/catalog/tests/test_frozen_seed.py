"""Migration 0002 seeds the 领域 and 错敏词 from its own frozen copy: the same rows as the live seed functions."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from gongkai.catalog.models import Field, TypoEntry
from gongkai.catalog.seed import seed_fields, seed_typos

migration = importlib.import_module("gongkai.catalog.migrations.0002_search_and_seed")

pytestmark = pytest.mark.django_db


def _rows() -> tuple[list[dict], list[dict]]:
    """Every column but the id, in insertion (id) order."""
    fields = [{k: v for k, v in row.items() if k != "id"} for row in Field.objects.order_by("id").values()]
    typos = [{k: v for k, v in row.items() if k != "id"} for row in TypoEntry.objects.order_by("id").values()]
    return fields, typos


def _empty() -> None:
    Field.objects.all().delete()
    TypoEntry.objects.all().delete()


def test_the_frozen_seed_inserts_the_rows_the_live_seed_functions_insert():
    # given empty tables / when the migration's frozen seed runs, then (again from empty) the live functions
    _empty()
    migration.seed(apps, None)
    frozen = _rows()
    _empty()
    seed_fields(Field)
    seed_typos(TypoEntry)

    # then both inserted the same rows in the same order: 26 pilot fields, 25 错敏词
    assert _rows() == frozen
    assert (len(frozen[0]), len(frozen[1])) == (26, 25)


def test_the_frozen_seed_adds_only_what_is_missing():
    # given the seeded rows, a field whose alias staff changed, and a deleted 错敏词
    _empty()
    migration.seed(apps, None)
    Field.objects.filter(name="环境保护").update(alias="环保")
    TypoEntry.objects.filter(wrong="按排").delete()
    before = Field.objects.count()

    # when the seed runs again
    migration.seed(apps, None)

    # then the edit stays and only the missing entry comes back
    assert Field.objects.get(name="环境保护").alias == "环保"
    assert Field.objects.count() == before
    assert TypoEntry.objects.filter(wrong="按排").exists()
