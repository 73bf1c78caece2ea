"""One declarative workflow registry: each domain declares its steps once; buttons, forms, API step names,
status guards and tests derive from it.

A :class:`Step` says where it starts (source states), where it ends (target state; ``None`` for a step that
leaves this object's state alone, e.g. "start a new version"; or a callable ``(obj) -> state`` with the
``targets`` it may return, e.g. "back to work" — a step may stay in its state and is still recorded), who may
take it (a permission value the domain interprets, an any-of tuple of them, or a predicate
``(actor, obj) -> bool``), and what else it needs: a form
or schema for its parameters, a comment, a handler doing the step's own work, a letter to draft, a four-eyes
message. A :class:`Workflow` holds the states (a ``TextChoices``), the steps and the domain's hooks, and runs
every step through one skeleton (:meth:`Workflow.transition`):

    lock → check (permission, state, guard, four eyes, comment, extra checks) → prepare → handler
         → apply (state, event row, audit row) → after-hook → letter

(``Workflow.state_last`` checks the state and guard after the handler instead, for a domain whose steps
refuse on their own grounds first.)

Core imports no other Gongkai app: permissions arrive as values (an ``orgs.permissions.Action``) together with
the domain's ``permits(actor, permission, org)``, asked about the object's organisation (``org_of``, by default
``obj.org``: every domain's role policy reads the organisation); the four-eyes rule arrives as a hook. A
``SystemActor`` (core.actors: CLI, import, demo loader) passes the permission check (the domain's four-eyes
hook lets it through too), never the others; ``None`` is no actor (TypeError).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms import BaseForm

from .actors import Actor, is_system
from .models import AuditAction
from .services import audit_record, diff, snapshot

Predicate = Callable[[Any, Any], bool]  # (actor, obj) -> allowed; may raise PermissionDenied with its reason
Target = str | Callable[[Any], str] | None  # a state, the state an object goes to, or None (state left alone)
Permission = Any  # a domain permission value (e.g. an orgs Action), a tuple of them (any one), or a Predicate


@dataclass
class Move:
    """One step being taken: what handlers and hooks receive."""

    workflow: Workflow
    step: Step
    actor: Actor
    obj: Any
    source: str
    comment: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    updates: dict[str, Any] = field(default_factory=dict)  # fields the apply phase sets besides the state
    result: Any = None  # what transition() returns (defaults to the object)
    target: str | None = None  # the state the step leads to, for this object
    audit: dict[str, Any] = field(default_factory=dict)  # more entries for the audit row (e.g. the event)


@dataclass(frozen=True)
class Step:
    """One workflow step, declared once.

    ``guard(obj)`` returns a refusal message when the step does not apply to this object although its state
    does (the button is then hidden and the step refused); ``checks`` run after the standard checks (e.g. a
    pre-publication scan; they raise ValidationError) and are not run for buttons. ``handler(move)`` does the
    step's own work before the state changes: it fills ``move.updates`` or returns a result. ``target`` may
    depend on the object: a callable ``(obj) -> state`` returning one of ``targets`` or the object's own state
    (a same-state step: still applied, its event and audit row written). Message templates
    (``denied``, ``wrong_state``, ``comment_required``) override the workflow's; they are formatted with
    ``obj``, ``step``, ``state`` (current state label) and ``target`` (target state label).
    """

    name: str
    label: str
    sources: tuple[str, ...]
    target: Target
    permission: Permission
    form: type[BaseForm] | None = None  # back-office form of the step's parameters
    schema: type | None = None  # API input schema, when the step takes more than its name
    handler: Callable[[Move], Any] | None = None
    needs_comment: bool = False
    letter: str = ""  # letter kind to draft after the step (Workflow.draft_letter)
    four_eyes: str = ""  # the refusal when the actor did the work being approved (Workflow.four_eyes)
    guard: Callable[[Any], str] | None = None
    checks: tuple[Callable[[Any], None], ...] = ()
    secondary: bool = False  # rendered as a secondary button (sending back, not moving on)
    inline: bool = True  # the step's form sits on the button's line (else a block form, the shared partial)
    form_error: str = ""  # the message when the step's form is invalid
    denied: str = ""
    wrong_state: str = ""
    comment_required: str = ""
    targets: tuple[str, ...] = ()  # what a callable target may return (besides the object's own state)

    def starts_from(self, state: str) -> bool:
        return str(state) in self.sources

    def target_for(self, obj: Any) -> str | None:
        """The state this step leads ``obj`` to (None: the step leaves the state alone)."""
        return self.target(obj) if callable(self.target) else self.target

    def leads_to(self, state: str) -> frozenset[str]:
        """The states this step may lead to from ``state`` (the table's view of a callable target)."""
        if self.target is None:
            return frozenset()
        if callable(self.target):
            return frozenset({*self.targets, str(state)})
        return frozenset({self.target})


@dataclass(frozen=True)
class Workflow:
    """A set of steps over the states of one model, with the domain's hooks."""

    name: str
    states: type[models.TextChoices]
    steps: tuple[Step, ...]
    permits: Callable[[Any, Any, Any], bool]  # (actor, permission value, org_of(obj)) -> bool
    state_field: str = "status"
    lock: Callable[[Any], Any] | None = None  # re-read the object under a row lock (e.g. row_lock("org"))
    four_eyes: Callable[[Any, Any, str], None] | None = None  # (actor, obj, message): raise PermissionDenied
    prepare: Callable[[Move], None] | None = None  # every step, before its handler (default/check a date)
    record: Callable[[Move], None] | None = None  # writes the domain's event row after the state changed
    draft_letter: Callable[[Move, str], None] | None = None
    after: Callable[[Move], None] | None = None
    audit_fields: tuple[str, ...] = ("status",)
    state_last: bool = False  # check state and guard after prepare and the handler (their refusals first)
    org_of: Callable[[Any], Any] = lambda obj: getattr(obj, "org", None)
    comment_max: int = 500
    denied: str = "您没有权限执行“{step.label}”。"
    wrong_state: str = "当前状态“{state}”不能执行“{step.label}”。"
    comment_required: str = "“{step.label}”须填写意见或理由。"
    unknown: str = "未知的操作：{name}"

    def __post_init__(self) -> None:
        names = [s.name for s in self.steps]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.name}: duplicate step names {names}")
        values = set(self.states.values)
        for s in self.steps:
            targets = {*s.targets, *([] if s.target is None or callable(s.target) else [s.target])}
            if not (set(s.sources) | targets) <= values:
                raise ValueError(f"{self.name}.{s.name}: unknown state in {s.sources} → {s.target}")
            if callable(s.target) and not s.targets:
                raise ValueError(f"{self.name}.{s.name}: a callable target needs its targets declared")

    # --- the table ---------------------------------------------------------------------------------

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.steps)

    def step(self, name: str | Step) -> Step:
        """The step called ``name``; ValidationError for an unknown name."""
        if isinstance(name, Step):
            return name
        for s in self.steps:
            if s.name == name:
                return s
        raise ValidationError(self.unknown.format(name=name))

    def steps_from(self, state: str) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.starts_from(state))

    def allowed_transitions(self) -> dict[str, frozenset[str]]:
        """State → the states one step leads to (steps whose target is None are not transitions; a step that
        may stay where it is, e.g. assigning a clerk, is a transition to the same state)."""
        return {
            state: frozenset().union(*(s.leads_to(state) for s in self.steps_from(state)))
            for state in self.states.values
        }

    def label(self, state: str) -> str:
        try:
            return str(self.states(state).label)
        except ValueError:
            return str(state)

    # --- checks ------------------------------------------------------------------------------------

    def permitted(self, actor: Actor, obj: Any, step: Step) -> bool:
        """Does ``actor`` hold the step's permission on ``obj``? (A ``SystemActor``: always; ``None``: TypeError.)"""
        if is_system(actor):
            return True
        return self._holds(actor, obj, step.permission)

    def _holds(self, actor: Actor, obj: Any, permission: Permission) -> bool:
        if isinstance(permission, tuple | list | frozenset | set):
            return any(self._holds(actor, obj, p) for p in permission)
        if callable(permission) and not isinstance(permission, str):
            return bool(permission(actor, obj))
        return self.permits(actor, permission, self.org_of(obj))

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.state_field))

    def available(self, actor: Actor, obj: Any) -> list[Step]:
        """The steps ``actor`` may take on ``obj`` now (the buttons): state, guard and permission (a predicate
        raising PermissionDenied counts as "no")."""
        return [
            s
            for s in self.steps_from(self.state_of(obj))
            if not (s.guard and s.guard(obj)) and self._permitted_quietly(actor, obj, s)
        ]

    def _permitted_quietly(self, actor: Actor, obj: Any, step: Step) -> bool:
        try:
            return self.permitted(actor, obj, step)
        except PermissionDenied:
            return False

    def _message(self, template: str, obj: Any, step: Step) -> str:
        target = step.target_for(obj)
        label = self.label(target) if target is not None else ""
        return template.format(obj=obj, step=step, state=self.label(self.state_of(obj)), target=label)

    def check(
        self, actor: Actor, obj: Any, step: Step | str, *, comment: str = "", state: bool = True
    ) -> None:
        """Refuse the step unless it may be taken now: permission (PermissionDenied), state and guard
        (ValidationError; ``state=False`` leaves them to :meth:`check_state`), four eyes (PermissionDenied),
        comment and the step's extra checks (ValidationError)."""
        s = self.step(step)
        if not self.permitted(actor, obj, s):
            raise PermissionDenied(self._message(s.denied or self.denied, obj, s))
        if state:
            self.check_state(obj, s)
        if s.four_eyes and self.four_eyes is not None:
            self.four_eyes(actor, obj, s.four_eyes)
        if s.needs_comment and not comment.strip():
            raise ValidationError(self._message(s.comment_required or self.comment_required, obj, s))
        for extra in s.checks:
            extra(obj)

    def check_state(self, obj: Any, step: Step | str) -> None:
        """Refuse the step (ValidationError) unless it starts from ``obj``'s state, leads to a state the table
        allows from there, and its guard lets it through."""
        s = self.step(step)
        state = self.state_of(obj)
        if not s.starts_from(state) or not s.leads_to(state) >= {s.target_for(obj)} - {None}:
            raise ValidationError(self._message(s.wrong_state or self.wrong_state, obj, s))
        refusal = s.guard(obj) if s.guard else ""
        if refusal:
            raise ValidationError(refusal)

    # --- the one way a step is taken ---------------------------------------------------------------

    def transition(
        self, *, actor: Actor, obj: Any, step: Step | str, comment: str = "", **params: Any
    ) -> Any:
        """Take one step: lock → check → prepare → handler → apply (state, event, audit) → after-hook → letter.

        Returns ``move.result`` when the handler set one (e.g. a new version), else the (re-read) object.
        """
        s = self.step(step)
        with transaction.atomic():
            if self.lock is not None:
                obj = self.lock(obj)
            self.check(actor, obj, s, comment=comment, state=not self.state_last)
            move = Move(
                workflow=self, step=s, actor=actor, obj=obj, source=self.state_of(obj),
                comment=comment.strip()[: self.comment_max], params=params,
            )  # fmt: skip
            if self.prepare is not None:
                self.prepare(move)
            if s.handler is not None:
                result = s.handler(move)
                if result is not None:
                    move.result = result
            if self.state_last:
                self.check_state(obj, s)
            move.target = s.target_for(obj)
            if move.target is not None:
                self.apply(move)
            if self.after is not None:
                self.after(move)
            if s.letter and self.draft_letter is not None:
                self.draft_letter(move, s.letter)
        return move.result if move.result is not None else move.obj

    def apply(self, move: Move) -> None:
        """Set the target state and the handler's updates, write the event row (``record``, which may derive
        more fields from it), save, and write one audit row: TRANSITION, or UPDATE for a same-state step."""
        obj = move.obj
        assert move.target is not None
        before = snapshot(obj, self.audit_fields)
        for name, value in move.updates.items():
            setattr(obj, name, value)
        setattr(obj, self.state_field, move.target)
        if self.record is not None:
            self.record(move)
        obj.full_clean()
        obj.save()
        changes = diff(before, snapshot(obj, self.audit_fields))
        changes.update(move.audit)
        if move.comment:
            changes["comment"] = [None, move.comment]
        action = AuditAction.TRANSITION if move.target != move.source else AuditAction.UPDATE
        audit_record(actor=move.actor, action=action, obj=obj, org=self.org_of(obj), changes=changes)


def row_lock(*related: str) -> Callable[[Any], Any]:
    """A ``Workflow.lock``: re-read the object under a row lock (``SELECT … FOR UPDATE``), with ``related``
    joined (the organisation the permission check and the audit row read)."""

    def lock(obj: Any) -> Any:
        return type(obj)._default_manager.select_for_update().select_related(*related).get(pk=obj.pk)

    return lock


def any_of(*permissions: Any) -> tuple[Any, ...]:
    """A permission satisfied by any one of ``permissions`` (readability in step tables)."""
    return tuple(permissions)


__all__ = ["Move", "Permission", "Predicate", "Step", "Target", "Workflow", "any_of"]
