"""Migration 0002 seeds 2004–2026 from its frozen copy: the rows the live package helper would give today."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from gongkai.workdays.models import CalendarRevision, CalendarYear, DayOverride
from gongkai.workdays.seed import package_arrangements, package_version

migration = importlib.import_module("gongkai.workdays.migrations.0002_seed_2004_2026")
frozen = importlib.import_module("gongkai.workdays.migrations._frozen_0002")

pytestmark = pytest.mark.django_db


def _empty() -> None:
    DayOverride.objects.all().delete()
    CalendarYear.objects.all().delete()
    CalendarRevision.objects.all().delete()


def test_the_frozen_seed_inserts_what_the_package_gives_today():
    # given an empty calendar / when the migration's frozen seed runs
    _empty()
    migration.seed(apps, None)

    # then the years and days are those of the live helper over the installed package, in the same order
    live = package_arrangements(frozen.FIRST, frozen.LAST)
    note = f"（数据来自 chinesecalendar {package_version()}）"
    frozen_note = f"（数据来自 chinesecalendar {frozen.PACKAGE_VERSION}）"
    years = list(CalendarYear.objects.order_by("id").values_list("year", "source", "origin", "loaded_by"))
    assert years == [(year, a.source.replace(note, frozen_note), "package", None) for year, a in live.items()]
    days = list(
        DayOverride.objects.order_by("id").values_list("arrangement__year", "date", "kind", "name", "source")
    )
    assert days == [(year, d.date, str(d.kind), d.name, d.source) for year, a in live.items() for d in a.days]
    assert (len(years), len(days)) == (23, 771)
    assert CalendarRevision.objects.filter(id=1).exists()


def test_the_frozen_seed_keeps_existing_rows_and_unseed_removes_only_package_years():
    # given the seeded calendar, one day removed, and 2027 loaded by staff
    _empty()
    migration.seed(apps, None)
    DayOverride.objects.filter(date="2026-10-10").delete()
    staff_year = CalendarYear.objects.create(
        year=2027, source="通知", origin="staff", loaded_at="2026-11-01T00:00Z"
    )

    # when the seed runs again, the missing day comes back and nothing is doubled
    migration.seed(apps, None)
    assert DayOverride.objects.filter(arrangement__year__range=(2004, 2026)).count() == 771

    # and reversing the migration removes 2004–2026 only
    migration.unseed(apps, None)
    assert list(CalendarYear.objects.all()) == [staff_year]
