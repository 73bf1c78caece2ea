"""Audit writes and verification. Every service that changes data calls :func:`audit_record`."""

from __future__ import annotations

import datetime as dt
import decimal
import ipaddress
import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from . import chain
from .actors import Actor, acting_user
from .context import client_ip
from .models import GENESIS_HASH, AuditAction, AuditEntry, AuditHead
from .queries import singleton_for_update

# Field names whose values never enter the audit log (only the fact that they changed).
SECRET_FIELDS = frozenset({"password", "key", "secret", "token", "token_hash", "otp_secret", "bin_key"})
# Personal data of applicants: the log names the field that changed, never its value, so that purging
# personal data (retention) never has to touch the immutable chain. Redacted wherever they appear in
# ``changes`` (at any depth), whatever the object.
PERSONAL_FIELDS = frozenset(
    {
        "applicant_name", "contact_person", "id_number", "id_number_enc", "id_number_tail",
        "phone_enc", "phone_tail", "applicant_key", "applicant_phone", "applicant_email",
        "applicant_address", "applicant_id_number",
    }
)  # fmt: skip
# Fields that are personal only on some objects (an application's phone and address are the applicant's,
# an organisation's are its public office's; a letter's recipient and body name the applicant; an
# attachment's name is the applicant's file name): redacted in rows about these object types.
PERSONAL_FIELDS_BY_TYPE: dict[str, frozenset[str]] = {
    "applications.application": frozenset({"phone", "email", "address", "postcode", "name"}),
    "applications.attachment": frozenset({"name"}),
    "applications.letter": frozenset({"recipient", "body"}),
    "accounts.user": frozenset({"phone", "email"}),  # a staff member's own contact details
}
# Objects whose ``str()`` may carry personal data (an attachment's file name): the row keeps type and id only.
PERSONAL_REPR_TYPES = frozenset({"applications.attachment"})
logger = logging.getLogger(__name__)
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
            changes[name] = [REDACTED, REDACTED] if name in SECRET_FIELDS | PERSONAL_FIELDS else [old, new]
    return changes


def redact(changes: Any, *, also: frozenset[str] = frozenset()) -> Any:
    """``changes`` with the values of secret and personal fields replaced by :data:`REDACTED`, at any depth.

    A ``[old, new]`` pair (from :func:`diff`) becomes ``[REDACTED, REDACTED]``, keeping the fact of the
    change; any other value becomes ``REDACTED``. Empty values stay as they are. ``also``: more field
    names to redact (:data:`PERSONAL_FIELDS_BY_TYPE` of the row's object).
    """
    hidden = SECRET_FIELDS | PERSONAL_FIELDS | also
    if isinstance(changes, Mapping):
        out = {}
        for name, value in changes.items():
            if name in hidden and value not in (None, "", [], {}):
                is_pair = isinstance(value, list | tuple) and len(value) == 2
                value = [REDACTED, REDACTED] if is_pair else REDACTED
            else:
                value = redact(value, also=also)
            out[name] = value
        return out
    if isinstance(changes, list | tuple):
        return [redact(v, also=also) for v in changes]
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
    return singleton_for_update(AuditHead)


@transaction.atomic
def audit_record(
    *,
    actor: Actor,
    action: AuditAction | str,
    obj: models.Model | None = None,
    org: Any | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit row: who, in which organisation, did what to which object, from where.

    ``actor``: a user (stored as ``actor`` and by username), or a ``SystemActor`` (no user; ``actor_name`` is
    its label, e.g. "系统（命令行）"); ``None`` is refused (TypeError, core.actors).
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    if object_type in PERSONAL_REPR_TYPES:
        object_repr = REDACTED
    actor_user = acting_user(actor)  # TypeError for None, before the lock
    head = _lock_head()
    entry = AuditEntry(
        id=head.last_entry_id + 1,
        created_at=timezone.now(),
        actor=actor_user,
        actor_name=actor_user.username if actor_user else str(actor),  # a SystemActor: "系统（命令行）"
        org=org,
        org_code=getattr(org, "code", "") or "",
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        action=str(action),
        changes=redact(
            jsonable(dict(changes or {})), also=PERSONAL_FIELDS_BY_TYPE.get(object_type, frozenset())
        ),
        ip=_stored_ip(),
        alg=chain.current_algorithm(),
        prev_hash=head.last_hash,
    )
    entry.hash = entry.compute_hash(head.last_hash)
    entry.save(force_insert=True)
    head.last_entry_id = entry.id
    head.last_hash = entry.hash
    head.save(update_fields=["last_entry_id", "last_hash"])
    _anchor_now_and_then(entry)
    return entry


# Anchoring without cron: the running platform appends the head to the external anchors itself, for the first
# row, every AUTO_ANCHOR_EVERY rows and at least every AUTO_ANCHOR_SECONDS while rows are written, after the
# transaction commits (an anchor never names a row that was rolled back). Cron (`audit_anchor`) still closes
# the gap while nothing is written; so a deleted tail can hide at most that many rows, never the whole log.
AUTO_ANCHOR_EVERY = 20
AUTO_ANCHOR_SECONDS = 300
_last_auto_anchor = {"at": 0.0}


def _anchor_now_and_then(entry: AuditEntry) -> None:
    import time

    if chain.anchor_file() is None and not chain.anchor_syslog():
        return
    now = time.monotonic()
    if entry.id != 1 and entry.id % AUTO_ANCHOR_EVERY and now - _last_auto_anchor["at"] < AUTO_ANCHOR_SECONDS:
        return
    _last_auto_anchor["at"] = now
    record = {
        "id": entry.id,
        "hash": entry.hash,
        "at": entry.created_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "source": "auto",
    }

    def write() -> None:
        try:
            chain.write_anchor(record)
        except OSError:  # the write itself succeeded; a missing anchor is reported by audit_verify
            logger.exception("audit anchor not written")

    transaction.on_commit(write)


def audit_read(
    actor: Actor,
    obj: models.Model,
    what: str,
    *,
    action: AuditAction | str = AuditAction.READ,
    org: Any | None = None,
    **details: Any,
) -> AuditEntry:
    """Record that ``actor`` read personal data: ``what`` of ``obj`` (viewed, exported or downloaded).

    ``details`` (e.g. ``year=2025``) are recorded beside ``what``.

    ``org`` defaults to the object's own ``org`` (an application, a remedy case), or to the object
    itself when it has none (an organisation whose ledger is exported).
    """
    if org is None:
        org = getattr(obj, "org", None)
        if org is None and hasattr(obj, "application"):
            org = getattr(obj.application, "org", None)
        if org is None and obj._meta.label_lower == "orgs.organisation":
            org = obj
    return audit_record(actor=actor, action=action, obj=obj, org=org, changes={"read": what, **details})


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int | None
    reason: str
    place: str = ""

    def __str__(self) -> str:
        where = self.place or (f"第 {self.entry_id} 条" if self.entry_id is not None else "链头")
        return f"审计日志校验失败：{where}：{self.reason}"


class AuditChainError(Exception):
    """The chain cannot be anchored (or anchors cannot be read); the message is for the operator, in Chinese."""


def _anchors_by_id(anchors: Iterable[chain.Anchor]) -> dict[int, list[chain.Anchor]]:
    pinned: dict[int, list[chain.Anchor]] = {}
    for anchor in anchors:
        pinned.setdefault(anchor.entry_id, []).append(anchor)
    return pinned


def audit_verify(
    *, chunk_size: int = 2000, anchors: Iterable[chain.Anchor] | None = None
) -> tuple[int, ChainProblem | None]:
    """Walk the chain from the first row and hold it against the external anchors.

    Returns (rows checked, first problem or None). Each row's keyed hash must match; each anchor's
    (id, hash) must match the row with that id; the chain must reach the latest anchor. ``anchors``
    defaults to those in ``GONGKAI_AUDIT_ANCHOR_FILE``.
    """
    if anchors is None:
        try:
            anchors = chain.read_anchors()
        except chain.AnchorFileError as exc:
            return 0, ChainProblem(None, str(exc), place="外部锚点")
    pinned = _anchors_by_id(anchors)
    for anchor in pinned.get(0, ()):
        if anchor.hash != GENESIS_HASH:
            return 0, ChainProblem(None, f"{anchor.where()}与空日志不符", place="外部锚点")
    expected_id = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size):
        if entry.id != expected_id:
            return checked, ChainProblem(expected_id, f"记录缺失（下一条为第 {entry.id} 条）")
        if entry.prev_hash != prev_hash:
            return checked, ChainProblem(entry.id, "与上一条记录的链接不符（上一条被修改或删除）")
        if entry.alg not in chain.KEYED_ALGORITHMS:
            return checked, ChainProblem(entry.id, f"哈希算法「{entry.alg}」未知或不带密钥（记录被改写）")
        if entry.compute_hash(prev_hash) != entry.hash:
            return checked, ChainProblem(
                entry.id, "内容与哈希不符（记录被修改，或哈希不是用本系统的密钥计算的）"
            )
        for anchor in pinned.get(entry.id, ()):
            if anchor.hash != entry.hash:
                return checked, ChainProblem(
                    entry.id, f"与{anchor.where()}不符（记录被改写或整条链被重新计算）"
                )
        prev_hash = entry.hash
        expected_id += 1
        checked += 1
    head = AuditHead.objects.filter(id=1).first()
    last_id, last_hash = (head.last_entry_id, head.last_hash) if head else (0, GENESIS_HASH)
    if last_id != checked or last_hash != prev_hash:
        return checked, ChainProblem(
            None, f"链头指向第 {last_id} 条，实际最后一条为第 {checked} 条（末尾记录被删除或修改）"
        )
    latest = max(pinned, default=0)
    if latest > checked:
        anchor = pinned[latest][-1]
        return checked, ChainProblem(
            None,
            f"{anchor.where()}记录了第 {latest} 条，实际最后一条为第 {checked} 条（末尾记录被删除，链头被移动）",
            place="外部锚点",
        )
    return checked, None


def audit_anchor(*, entry_id: int | None = None, source: str = "audit_anchor") -> dict[str, Any]:
    """Append the head (id, hash, time) to the external anchors; return the anchor with ``written_to``.

    Without ``entry_id`` the current head is anchored after cheap checks (the head points at the last
    row; the latest earlier anchor still matches its row and is not beyond the chain), not a full
    verification: that is ``audit_verify``, which anchors the row it verified last (``entry_id``).
    Raises :class:`AuditChainError` when a check fails or no anchor destination is configured.
    """
    if chain.anchor_file() is None and not chain.anchor_syslog():
        raise AuditChainError("未配置外部锚点（GONGKAI_AUDIT_ANCHOR_FILE 或 GONGKAI_AUDIT_ANCHOR_SYSLOG）。")
    if entry_id is None:
        last = AuditEntry.objects.order_by("-id").first()
        head = AuditHead.objects.filter(id=1).first()
        last_id, last_hash = (last.id, last.hash) if last else (0, GENESIS_HASH)
        head_id, head_hash = (head.last_entry_id, head.last_hash) if head else (0, GENESIS_HASH)
        if (last_id, last_hash) != (head_id, head_hash):
            raise AuditChainError(
                f"审计日志校验失败：链头指向第 {head_id} 条，实际最后一条为第 {last_id} 条（末尾记录被删除或修改），未锚定。"
            )
        entry_id, entry_hash = last_id, last_hash
    else:
        entry_hash = (
            GENESIS_HASH
            if entry_id == 0
            else AuditEntry.objects.values_list("hash", flat=True).get(id=entry_id)
        )
    try:
        anchors = chain.read_anchors()
    except chain.AnchorFileError as exc:
        raise AuditChainError(f"审计日志校验失败：{exc}，未锚定。") from exc
    if anchors:
        latest = max(anchors, key=lambda a: (a.entry_id, a.line))
        if latest.entry_id > entry_id:
            raise AuditChainError(
                f"审计日志校验失败：{latest.where()}记录了第 {latest.entry_id} 条，"
                f"实际最后一条为第 {entry_id} 条（末尾记录被删除），未锚定。"
            )
        row_hash = (
            GENESIS_HASH
            if latest.entry_id == 0
            else AuditEntry.objects.filter(id=latest.entry_id).values_list("hash", flat=True).first()
        )
        if row_hash != latest.hash:
            raise AuditChainError(
                f"审计日志校验失败：第 {latest.entry_id} 条与{latest.where()}不符（记录被改写或整条链被重新计算），未锚定。"
            )
    record = {
        "id": entry_id,
        "hash": entry_hash,
        "at": timezone.localtime().isoformat(timespec="seconds"),
        "source": source,
    }
    try:
        written = chain.write_anchor(record)
    except OSError as exc:
        raise AuditChainError(f"写入外部锚点失败：{exc}") from exc
    return {**record, "written_to": written}
