"""Seed the calendar with the 2004–2026 arrangements from the chinesecalendar package."""

import uuid

from django.db import migrations
from django.utils import timezone

FIRST, LAST = 2004, 2026


def seed(apps, schema_editor):
    # The pure helper turns the package's tables into per-year arrangements (no model imports).
    from gongkai.workdays.seed import package_arrangements

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    DayOverride = apps.get_model("workdays", "DayOverride")
    CalendarRevision = apps.get_model("workdays", "CalendarRevision")
    now = timezone.now()
    for year, arrangement in package_arrangements(FIRST, LAST).items():
        row, _ = CalendarYear.objects.get_or_create(
            year=year, defaults={"source": arrangement.source, "origin": "package", "loaded_at": now}
        )
        known = set(DayOverride.objects.filter(arrangement=row).values_list("date", flat=True))
        DayOverride.objects.bulk_create(
            [
                DayOverride(date=d.date, kind=d.kind, name=d.name, source=d.source, arrangement=row)
                for d in arrangement.days
                if d.date not in known
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
