"""The editable vocabularies (data, not code): 领域 and the 错敏词 dictionary; deployment-wide."""

from __future__ import annotations

from django.db import transaction

from gongkai.core.actors import Actor
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record, snapshot

from .models import Field, TypoEntry
from .permissions import require_manage_any


@transaction.atomic
def field_create(*, actor: Actor, name: str, alias: str = "", sort_order: int = 100) -> Field:
    """Add a 领域 (local lists add fields beyond the 26 试点领域)."""
    require_manage_any(actor)
    f = Field(name=name.strip(), alias=alias.strip(), sort_order=sort_order)
    f.full_clean()
    f.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=f, changes=snapshot(f, ("name", "alias", "sort_order"))
    )
    return f


@transaction.atomic
def typo_create(
    *, actor: Actor, wrong: str, correct: str, kind: str, severity: str, note: str = ""
) -> TypoEntry:
    """Add an entry to the 错敏词 dictionary used by the pre-publication scan."""
    require_manage_any(actor)
    e = TypoEntry(
        wrong=wrong.strip(), correct=correct.strip(), kind=kind, severity=severity, note=note.strip()
    )
    e.full_clean()
    e.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=e,
                 changes=snapshot(e, ("wrong", "correct", "kind", "severity", "note")))  # fmt: skip
    return e


@transaction.atomic
def typo_set_active(*, actor: Actor, entry: TypoEntry, active: bool) -> TypoEntry:
    require_manage_any(actor)
    if entry.is_active != active:
        entry.is_active = active
        entry.save(update_fields=["is_active"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=entry, changes={"is_active": [not active, active]}
        )
    return entry
