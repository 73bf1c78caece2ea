"""Model declarations several apps make alike: who did something, whose record it is, references that outlive
their target, and a model's name in Chinese."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class NamedInChinese:
    """Base of a model's ``Meta`` that names the model in Chinese: the subclass states ``verbose_name`` and gets
    the same text as ``verbose_name_plural`` (a Chinese noun has no plural; Django's default would append "s")::

        class Meta(NamedInChinese):
            verbose_name = "领域"
            ordering = ["sort_order", "name"]
    """

    verbose_name: ClassVar[str]
    verbose_name_plural: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.verbose_name_plural = cls.verbose_name


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
