"""The model declarations core shares: a model named in Chinese has its name as its plural too."""

from __future__ import annotations

import pytest
from django.apps import apps

from gongkai.core.fields import NamedInChinese


def test_the_plural_of_a_chinese_name_is_the_name() -> None:
    class Meta(NamedInChinese):
        verbose_name = "领域"
        ordering = ["name"]

    assert Meta.verbose_name_plural == "领域"
    assert Meta.ordering == ["name"]


def test_a_chinese_name_must_be_stated() -> None:
    with pytest.raises(AttributeError):

        class Meta(NamedInChinese):
            ordering = ["name"]


@pytest.mark.parametrize(
    ("label", "name"),
    [("catalog.Field", "领域"), ("applications.ApplicationEvent", "办理记录"), ("orgs.Organisation", "机构")],
)
def test_django_reads_the_inherited_plural(label: str, name: str) -> None:
    """Django takes the inherited option (and keeps it in the migration state: makemigrations stays clean)."""
    meta = apps.get_model(label)._meta
    assert (meta.verbose_name, meta.verbose_name_plural) == (name, name)
    assert meta.original_attrs["verbose_name_plural"] == name
