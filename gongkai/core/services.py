"""Audit writes and verification. Every service that changes data calls :func:`audit_record`."""

from __future__ import annotations

import datetime as dt
import decimal
import ipaddress
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from .context import client_ip
from .models import GENESIS_HASH, AuditAction, AuditEntry, AuditHead

# Field names whose values never enter the audit log (only the fact that they changed).
SECRET_FIELDS = frozenset({"password", "key", "secret", "token", "token_hash", "otp_secret", "bin_key"})
REDACTED = "（已隐藏）"


def jsonable(value: Any) -> Any:
    """Turn a model field value into something JSON keeps exactly (for the hash)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | float):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [jsonable(v) for v in value]
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` (FKs by id), to diff before and after a change."""
    out: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = jsonable(getattr(instance, attname))
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields that changed; secrets are redacted."""
    changes: dict[str, list[Any]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = [REDACTED, REDACTED] if name in SECRET_FIELDS else [old, new]
    return changes


def _stored_ip() -> str | None:
    """The client address exactly as the ``ip`` column stores it: the hash must cover the stored value.

    A value that is not an address (a misconfigured proxy) is recorded as unknown rather than
    failing the write (PostgreSQL's inet column would reject it).
    """
    ip = (client_ip() or "").split("%")[0]  # an IPv6 zone index is local to the host and inet refuses it
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return None
    return AuditEntry._meta.get_field("ip").get_prep_value(ip)  # canonical IPv6 spelling, as saved


def _lock_head() -> AuditHead:
    """Serialise appends: one writer extends the chain at a time."""
    if connection.vendor == "postgresql":
        head = AuditHead.objects.select_for_update().filter(id=1).first()
        if head is not None:
            return head
    head, _ = AuditHead.objects.get_or_create(id=1)  # SQLite: IMMEDIATE transactions already serialise
    if connection.vendor == "postgresql":
        head = AuditHead.objects.select_for_update().get(id=1)
    return head


@transaction.atomic
def audit_record(
    *,
    actor: Any | None,
    action: AuditAction | str,
    obj: models.Model | None = None,
    org: Any | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit row: who, in which organisation, did what to which object, from where."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    head = _lock_head()
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        id=head.last_entry_id + 1,
        created_at=timezone.now(),
        actor=actor_user,
        actor_name=getattr(actor_user, "username", "") if actor_user else (str(actor) if actor else "系统"),
        org=org,
        org_code=getattr(org, "code", "") or "",
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        action=str(action),
        changes=jsonable(dict(changes or {})),
        ip=_stored_ip(),
        prev_hash=head.last_hash,
    )
    entry.hash = entry.compute_hash(head.last_hash)
    entry.save(force_insert=True)
    head.last_entry_id = entry.id
    head.last_hash = entry.hash
    head.save(update_fields=["last_entry_id", "last_hash"])
    return entry


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.entry_id} 条" if self.entry_id is not None else "链头"
        return f"审计日志校验失败：{where}：{self.reason}"


def audit_verify(*, chunk_size: int = 2000) -> tuple[int, ChainProblem | None]:
    """Walk the chain from the first row; return (rows checked, first problem or None)."""
    expected_id = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size):
        if entry.id != expected_id:
            return checked, ChainProblem(expected_id, f"记录缺失（下一条为第 {entry.id} 条）")
        if entry.prev_hash != prev_hash:
            return checked, ChainProblem(entry.id, "与上一条记录的链接不符（上一条被修改或删除）")
        if entry.compute_hash(prev_hash) != entry.hash:
            return checked, ChainProblem(entry.id, "内容与哈希不符（记录被修改）")
        prev_hash = entry.hash
        expected_id += 1
        checked += 1
    head = AuditHead.objects.filter(id=1).first()
    last_id, last_hash = (head.last_entry_id, head.last_hash) if head else (0, GENESIS_HASH)
    if last_id != checked or last_hash != prev_hash:
        return checked, ChainProblem(
            None, f"链头指向第 {last_id} 条，实际最后一条为第 {checked} 条（末尾记录被删除或修改）"
        )
    return checked, None
