"""Seed the calendar with the 2004–2026 arrangements of the chinesecalendar package (1.11.0).

The days are frozen as data in ``_frozen_0002`` (this migration reads neither the package nor live code), so a
fresh database always gets the same 2004–2026 rows. Later years come from ``gongkai workdays_seed`` (the
installed package) or ``gongkai workdays_load`` at run time.
"""

import uuid

from django.db import migrations
from django.utils import timezone

from ._frozen_0002 import FIRST, LAST, arrangements


def seed(apps, schema_editor):
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    DayOverride = apps.get_model("workdays", "DayOverride")
    CalendarRevision = apps.get_model("workdays", "CalendarRevision")
    now = timezone.now()
    for year, (source, days) in arrangements().items():
        row, _ = CalendarYear.objects.get_or_create(
            year=year, defaults={"source": source, "origin": "package", "loaded_at": now}
        )
        known = set(DayOverride.objects.filter(arrangement=row).values_list("date", flat=True))
        DayOverride.objects.bulk_create(
            [
                DayOverride(date=date, kind=kind, name=name, source=day_source, arrangement=row)
                for date, kind, name, day_source in days
                if date not in known
            ]
        )
    CalendarRevision.objects.update_or_create(id=1, defaults={"token": uuid.uuid4().hex, "changed_at": now})


def unseed(apps, schema_editor):
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    DayOverride = apps.get_model("workdays", "DayOverride")
    DayOverride.objects.filter(arrangement__year__range=(FIRST, LAST), arrangement__origin="package").delete()
    CalendarYear.objects.filter(year__range=(FIRST, LAST), origin="package").delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
