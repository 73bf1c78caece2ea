"""The working-day calendar as data: loaded years (arrangements) and their day overrides."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from gongkai.core.fields import NamedInChinese, user_reference

# The arithmetic table covers these years; arrangements can only be loaded inside them.
FIRST_YEAR = 1950
LAST_YEAR = 2199


PACKAGE_NOTE = re.compile(r"（数据来自 chinesecalendar ([0-9.]+)）")


def source_display(source: str) -> str:
    """The 依据 as people read it: the seed's note names the data package in Chinese, not by its Python name."""
    return PACKAGE_NOTE.sub(r"（数据来自随系统安装的节假日数据包，版本 \1）", source)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"
    MAKEUP = "makeup", "调休上班"


class YearOrigin(models.TextChoices):
    PACKAGE = "package", "随系统安装的节假日数据包"
    STAFF = "staff", "工作人员载入"


class CalendarYear(models.Model):
    """A year whose 国务院办公厅 arrangement (《关于XXXX年部分节假日安排的通知》) is loaded.

    A year without a row is *unknown*: its days are counted as Monday–Friday working days and
    every result that reaches it is marked provisional.
    """

    year = models.PositiveSmallIntegerField(
        "年度", unique=True, validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    source = models.CharField("依据（通知名称、文号）", max_length=300)
    origin = models.CharField("来源", max_length=10, choices=YearOrigin.choices, default=YearOrigin.STAFF)
    loaded_at = models.DateTimeField("载入时间")
    loaded_by = user_reference("载入人")

    class Meta(NamedInChinese):
        verbose_name = "年度节假日安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"

    @property
    def source_display(self) -> str:
        return source_display(self.source)


def arrangement_window(year: int) -> tuple[dt.date, dt.date]:
    """Dates a year's notice may fix: the year itself and December of the year before.

    (The 2019 notice made 2018-12-29 a make-up day and 2018-12-30/31 holidays.)
    """
    return dt.date(year - 1, 12, 1), dt.date(year, 12, 31)


class DayOverride(models.Model):
    """A day that differs from the Monday–Friday rule: a holiday or a make-up working day (调休上班).

    Holidays may fall on a weekend (the published 放假 ranges include adjoining weekends);
    make-up days are always a Saturday or Sunday.
    """

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("节日", max_length=60)
    # Blank: the year's notice. Set when a later notice fixed the day (e.g. the 2020 春节 extension).
    source = models.CharField("依据", max_length=300, blank=True)
    arrangement = models.ForeignKey(
        CalendarYear, verbose_name="所属年度安排", on_delete=models.PROTECT, related_name="days"
    )

    class Meta(NamedInChinese):
        verbose_name = "节假日调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}（{self.name}）"

    @property
    def notice(self) -> str:
        """The notice that fixed this day."""
        return self.source or self.arrangement.source

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.date and self.kind == DayKind.MAKEUP and self.date.weekday() < 5:
            errors["kind"] = f"{self.date.isoformat()} 是周一至周五，本来就是工作日，不能记为调休上班日。"
        if self.date and self.arrangement_id is not None:
            first, last = arrangement_window(self.arrangement.year)
            if not first <= self.date <= last:
                errors["date"] = (
                    f"{self.date.isoformat()} 不属于{self.arrangement.year}年的安排"
                    f"（只能是{self.arrangement.year}年内或上一年12月的日期）。"
                )
        if errors:
            raise ValidationError(errors)


class CalendarRevision(models.Model):
    """Singleton: a random token replaced on every calendar change.

    Each process caches the working-day table with the token it was built from and compares
    tokens to notice changes made by other processes.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta(NamedInChinese):
        verbose_name = "工作日历版本"

    def __str__(self) -> str:
        return f"工作日历版本 {self.token}"
