"""Model fields several apps declare alike: who did something, whose record it is, and references that outlive
their target."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def user_reference(verbose_name: str | None = None) -> Any:
    """The user who did or holds something (操作人, 经办人, 归档人…): kept as NULL when the user is deleted,
    no reverse accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def org_reference(verbose_name: str | None = None, *, related_name: str = "+") -> Any:
    """The organisation a record belongs to: an organisation that has records is not deleted (PROTECT)."""
    return models.ForeignKey(
        "orgs.Organisation", verbose_name=verbose_name, on_delete=models.PROTECT, related_name=related_name
    )


def record_reference(to: str, verbose_name: str) -> Any:
    """A reference in a permanent record (the audit log, a job): no database constraint and nothing done on
    delete, so deleting the user or organisation never touches the record."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
