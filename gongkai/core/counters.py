"""Serial numbers that are never handed out twice: 申请编号, 索引号, 档号 draw from a counter row per key."""

from __future__ import annotations

from typing import Any, Self

from django.db import models

from .fields import org_reference


class SerialCounter(models.Model):
    """The last serial drawn for one key (a year; an organisation and a year). Its row is created when first
    needed and locked (``SELECT … FOR UPDATE``) while a number is drawn, so concurrent draws queue on it and
    the count only goes up. Call inside the transaction that uses the number."""

    last = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @classmethod
    def locked(cls, **key: Any) -> Self:
        """The counter of ``key``, created if missing (a concurrent insert is ignored) and locked."""
        cls._default_manager.bulk_create([cls(**key)], ignore_conflicts=True)
        return cls._default_manager.select_for_update().get(**key)

    def draw(self) -> int:
        """The next serial (saved)."""
        self.last += 1
        self.save(update_fields=["last"])
        return self.last


class OrgYearCounter(SerialCounter):
    """A serial counter per organisation and year (索引号, 档号); each model names its unique (org, year)."""

    org = org_reference()
    year = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.org_id}-{self.year}: {self.last}"
