"""core.workflow: the table helpers and the checks, on a toy workflow (no database)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from gongkai.core.actors import SYSTEM_TEST, is_system
from gongkai.core.workflow import Step, Workflow, any_of


class Door(models.TextChoices):
    SHUT = "shut", "关"
    OPEN = "open", "开"
    GONE = "gone", "拆除"


def _four_eyes(actor: Any, obj: Any, message: str) -> None:
    if not is_system(actor) and actor.name == obj.builder:
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
    permits=lambda actor, permission, org: permission in actor.grants,
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
    assert [s.name for s in DOOR.available(SYSTEM_TEST, door(Door.OPEN))] == ["shut", "remove"]  # system job


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
    DOOR.check(SYSTEM_TEST, door(Door.OPEN), "remove")  # a system job passes permission and four eyes


# --- a target that depends on the object, same-state steps, checking the state last ------------------------


def _back_to_work(d: Any) -> str:
    return Door.OPEN if d.status == Door.SHUT else d.status


def _sign(move: Any) -> None:
    if not move.params.get("name"):
        raise ValidationError("请签名。")
    move.updates["signed_by"] = move.params["name"]


def _records(move: Any) -> None:
    move.obj.log.append((move.source, move.target, move.obj.status))  # the state is set before the record
    move.audit["event"] = [None, move.step.name]


def _only_boss(actor: Any, d: Any) -> bool:
    if actor.name != "boss":
        raise PermissionDenied("只有老板可以检查。")
    return True


ROOM = Workflow(
    name="room",
    states=Door,
    steps=(
        Step(
            "use", "使用", (Door.SHUT, Door.OPEN), _back_to_work, "hands", targets=(Door.OPEN,), handler=_sign
        ),
        Step("inspect", "检查", (Door.OPEN,), Door.OPEN, _only_boss),
        Step("demolish", "拆除", (Door.OPEN,), Door.GONE, "hands", handler=_sign),
    ),
    permits=lambda actor, permission, org: permission in actor.grants,
    record=_records,
    state_last=True,
    audit_fields=("status", "signed_by"),
)


def room(state: str = Door.SHUT) -> Any:
    obj = SimpleNamespace(status=state, signed_by="", log=[], saved=0)
    obj.full_clean = lambda: None
    obj.save = lambda: setattr(obj, "saved", obj.saved + 1)
    return obj


@pytest.fixture
def audited(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The skeleton without a database: no transaction, a plain snapshot, the audit rows collected."""
    from contextlib import nullcontext

    from gongkai.core import workflow

    rows: list[dict[str, Any]] = []
    monkeypatch.setattr(workflow.transaction, "atomic", nullcontext)
    monkeypatch.setattr(workflow, "snapshot", lambda obj, fields: {f: getattr(obj, f) for f in fields})
    monkeypatch.setattr(workflow, "audit_record", lambda **kw: rows.append(kw))
    return rows


def test_a_callable_target_declares_its_targets_and_may_stay():
    assert ROOM.allowed_transitions() == {
        Door.SHUT: {Door.OPEN, Door.SHUT},  # "use": back to work (open), or stay
        Door.OPEN: {Door.OPEN, Door.GONE},
        Door.GONE: frozenset(),
    }
    with pytest.raises(ValueError, match="targets declared"):
        Workflow(name="x", states=Door, steps=(Step("use", "使用", (Door.SHUT,), _back_to_work, "hands"),),
                 permits=lambda *a: True)  # fmt: skip
    wild = Workflow(name="x", states=Door, steps=(Step("use", "使用", (Door.SHUT,), lambda d: Door.GONE, "hands",
                    targets=(Door.OPEN,)),), permits=lambda *a: True)  # fmt: skip
    with pytest.raises(ValidationError, match="不能执行“使用”"):
        wild.check_state(door(), "use")  # the callable returned a state it did not declare


def test_a_same_state_step_is_applied_and_audited_as_an_update(audited):
    shut = ROOM.transition(actor=person("a", "hands"), obj=room(), step="use", name="甲")
    assert (shut.status, shut.signed_by, shut.log, shut.saved) == (
        Door.OPEN,
        "甲",
        [(Door.SHUT, Door.OPEN, Door.OPEN)],
        1,
    )
    opened = ROOM.transition(actor=person("b", "hands"), obj=shut, step="use", name="乙")
    assert opened.status == Door.OPEN and opened.log[-1] == (Door.OPEN, Door.OPEN, Door.OPEN)
    assert [(r["action"], r["changes"]) for r in audited] == [
        ("transition", {"status": [Door.SHUT, Door.OPEN], "signed_by": ["", "甲"], "event": [None, "use"]}),
        ("update", {"signed_by": ["甲", "乙"], "event": [None, "use"]}),
    ]


def test_state_last_lets_the_step_refuse_first_and_a_predicate_give_its_reason(audited):
    with pytest.raises(ValidationError, match="请签名"):
        ROOM.transition(actor=person("a", "hands"), obj=room(Door.GONE), step="demolish")  # not "wrong state"
    with pytest.raises(ValidationError, match="当前状态“拆除”不能执行“拆除”"):
        ROOM.transition(actor=person("a", "hands"), obj=room(Door.GONE), step="demolish", name="甲")
    assert not audited
    assert [s.name for s in ROOM.available(person("a", "hands"), room(Door.OPEN))] == ["use", "demolish"]
    assert [s.name for s in ROOM.available(person("boss"), room(Door.OPEN))] == ["inspect"]
    with pytest.raises(PermissionDenied, match="只有老板可以检查"):
        ROOM.check(person("a", "hands"), room(Door.OPEN), "inspect")
