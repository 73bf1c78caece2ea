"""Who acts: a user, or a named system job — never ``None``.

Every service takes an ``actor``. A person acting through the back office or the API is their user
(``request.user``); a job with nobody behind it — the command line, the demo loader, a batch import, the
public form, a scheduled task — is a :class:`SystemActor` that names itself. A system actor holds every
permission (``orgs.permissions.require`` lets it through; the workflow skips its permission and four-eyes
checks), stores no user on ``created_by``/``actor`` columns (:func:`acting_user`), and the audit row names it
(``actor_name`` "系统（命令行）"). ``None`` is not an actor: :func:`is_system`, :func:`acting_user`,
``require`` and ``audit_record`` raise TypeError for it, so a forgotten actor fails loudly instead of
passing every check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, TypeAlias

MISSING_ACTOR = "actor is required: a user, or a SystemActor for jobs"


class UserLike(Protocol):
    """What the services read of a user (``accounts.User``; ``request.user`` may be anonymous and then holds
    nothing). Structural, because core and orgs may not import accounts."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...


@dataclass(frozen=True)
class SystemActor:
    """A job acting with nobody behind it: ``name`` for code, ``label`` (Chinese) for the audit log."""

    name: str
    label: str
    # Read like a user's attributes where the code is generic (no user to store, no memberships).
    is_authenticated: ClassVar[bool] = False
    is_active: ClassVar[bool] = False
    pk: ClassVar[None] = None

    def __str__(self) -> str:
        return f"系统（{self.label}）"


Actor: TypeAlias = UserLike | SystemActor

SYSTEM_CLI = SystemActor("cli", "命令行")
SYSTEM_DEMO = SystemActor("demo", "演示数据")
SYSTEM_IMPORT = SystemActor("import", "批量导入")
SYSTEM_SCHEDULER = SystemActor("scheduler", "定时任务")
SYSTEM_MIGRATION = SystemActor("migration", "数据迁移")
SYSTEM_PUBLIC = SystemActor("public", "网上申请")  # a citizen's submission through the public form
# What a step does on its own (e.g. the letter drafted when an approver without EDIT extends the period).
SYSTEM_AUTO = SystemActor("auto", "自动处理")
SYSTEM_TEST = SystemActor("test", "测试")


def check_actor(actor: object) -> None:
    """Refuse a missing actor (TypeError): there is no silent "system" default."""
    if actor is None:
        raise TypeError(MISSING_ACTOR)


def is_system(actor: Actor) -> bool:
    """Is ``actor`` a system job (it passes every permission check)? TypeError for ``None``."""
    check_actor(actor)
    return isinstance(actor, SystemActor)


def acting_user(actor: Actor) -> Any:
    """The user to store on a row (``created_by``, an event's ``actor``): None for a system job (or an anonymous
    request). TypeError for ``None``."""
    check_actor(actor)
    return actor if getattr(actor, "is_authenticated", False) else None


__all__ = [
    "MISSING_ACTOR",
    "SYSTEM_AUTO",
    "SYSTEM_CLI",
    "SYSTEM_DEMO",
    "SYSTEM_IMPORT",
    "SYSTEM_MIGRATION",
    "SYSTEM_PUBLIC",
    "SYSTEM_SCHEDULER",
    "SYSTEM_TEST",
    "Actor",
    "SystemActor",
    "UserLike",
    "acting_user",
    "check_actor",
    "is_system",
]
