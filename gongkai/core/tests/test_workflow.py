"""core.workflow: the table helpers and the checks, on a toy workflow (no database)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from gongkai.core.workflow import Step, Workflow, any_of


class Door(models.TextChoices):
    SHUT = "shut", "关"
    OPEN = "open", "开"
    GONE = "gone", "拆除"


def _four_eyes(actor: Any, obj: Any, message: str) -> None:
    if actor is not None and actor.name == obj.builder:
        raise PermissionDenied(message)


DOOR = Workflow(
    name="door",
    states=Door,
    steps=(
        Step("open", "开门", (Door.SHUT,), Door.OPEN, "hands", guard=lambda d: "门锁着。" if d.locked else ""),
        Step("shut", "关门", (Door.OPEN,), Door.SHUT, any_of("hands", "feet"), needs_comment=True),
        Step("remove", "拆除", (Door.SHUT, Door.OPEN), Door.GONE, lambda actor, d: actor.name == "boss",
             four_eyes="不能拆除自己装的门。"),
        Step("paint", "刷漆", (Door.SHUT,), None, "hands"),
    ),
    permits=lambda actor, permission, d: permission in actor.grants,
    four_eyes=_four_eyes,
)  # fmt: skip


def door(state: str = Door.SHUT, **kw: Any) -> Any:
    return SimpleNamespace(status=state, locked=kw.get("locked", False), builder=kw.get("builder", ""))


def person(name: str, *grants: str) -> Any:
    return SimpleNamespace(name=name, grants=set(grants))


def test_the_table_derives_the_transitions_and_the_steps_per_state():
    assert [s.name for s in DOOR.steps_from(Door.SHUT)] == ["open", "remove", "paint"]
    assert DOOR.allowed_transitions() == {
        Door.SHUT: {Door.OPEN, Door.GONE},  # paint leaves the state alone: not a transition
        Door.OPEN: {Door.SHUT, Door.GONE},
        Door.GONE: frozenset(),
    }
    assert DOOR.names == ("open", "shut", "remove", "paint")
    with pytest.raises(ValidationError, match="未知的操作：fly"):
        DOOR.step("fly")


def test_a_table_with_a_duplicate_or_an_unknown_state_is_refused():
    with pytest.raises(ValueError, match="duplicate"):
        Workflow(name="x", states=Door, steps=(DOOR.steps[0], DOOR.steps[0]), permits=lambda *a: True)
    with pytest.raises(ValueError, match="unknown state"):
        Workflow(name="x", states=Door, steps=(Step("fly", "飞", ("air",), Door.OPEN, "wings"),),
                 permits=lambda *a: True)  # fmt: skip


def test_available_filters_by_permission_and_guard():
    hands = person("a", "hands")
    assert [s.name for s in DOOR.available(hands, door())] == ["open", "paint"]
    assert [s.name for s in DOOR.available(hands, door(locked=True))] == ["paint"]
    assert [s.name for s in DOOR.available(person("boss"), door(Door.OPEN))] == ["remove"]
    assert [s.name for s in DOOR.available(None, door(Door.OPEN))] == ["shut", "remove"]  # system job


def test_check_order_permission_state_guard_four_eyes_comment():
    with pytest.raises(PermissionDenied, match="您没有权限执行“开门”"):
        DOOR.check(person("a", "feet"), door(Door.OPEN), "open")  # permission before state
    with pytest.raises(ValidationError, match="当前状态“开”不能执行“开门”"):
        DOOR.check(person("a", "hands"), door(Door.OPEN), "open")
    with pytest.raises(ValidationError, match="门锁着"):
        DOOR.check(person("a", "hands"), door(locked=True), "open")
    with pytest.raises(PermissionDenied, match="自己装的门"):
        DOOR.check(person("boss"), door(builder="boss"), "remove")
    DOOR.check(person("boss"), door(builder="someone"), "remove")
    with pytest.raises(ValidationError, match="须填写意见"):
        DOOR.check(person("a", "feet"), door(Door.OPEN), "shut", comment="  ")
    DOOR.check(person("a", "feet"), door(Door.OPEN), "shut", comment="风大")
    DOOR.check(None, door(Door.OPEN), "remove")  # a system job passes permission and four eyes
