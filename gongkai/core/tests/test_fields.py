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


def test_no_model_of_the_platform_is_named_with_an_english_plural() -> None:
    """Django's default plural appends "s" ("审计日志s"): every model of ours has its Chinese name as its plural."""
    ours = [m for m in apps.get_models() if m.__module__.startswith("gongkai.")]
    assert len(ours) > 30
    wrong = {m._meta.label: str(m._meta.verbose_name_plural) for m in ours
             if m._meta.verbose_name_plural != m._meta.verbose_name}  # fmt: skip
    assert wrong == {}
