"""Separation of duties (双人审核, "four eyes"): who may not approve their own work.

The rule is a setting per organisation (``Organisation.four_eyes``, on by default). Each workflow
decides who "drafted" a record and calls :func:`refuse_own_work` before an approving step:

- catalogue items: the creator and the submitter of the current revision (catalog.workflow);
- annual reports: the creator and the submitter of the version under review (reports.workflow);
- extensions of the reply period: see applications.services.extensions.extension_approve.

System jobs (a ``core.actors.SystemActor``: CLI, imports, the demo loader) are never refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from gongkai.core.actors import Actor, is_system
from gongkai.core.models import AuditAction, AuditEntry

from .models import Organisation

RULE = "按本机关“双人审核”规定，"


def four_eyes(org: Organisation) -> bool:
    """Is the four-eyes rule on for ``org``?"""
    return bool(getattr(org, "four_eyes", True))


def is_own_work(actor: Actor, drafters: Iterable[Any]) -> bool:
    """Is ``actor`` one of ``drafters`` (users or user ids; None entries are ignored)?"""
    pk = getattr(actor, "pk", None)
    if pk is None:
        return False
    return any((getattr(d, "pk", d) == pk) for d in drafters if d is not None)


def refuse_own_work(actor: Actor, org: Organisation, drafters: Iterable[Any], message: str) -> None:
    """Raise PermissionDenied(``RULE`` + ``message``) when the rule is on and ``actor`` drafted the record."""
    if is_system(actor) or not four_eyes(org):
        return
    if is_own_work(actor, drafters):
        raise PermissionDenied(RULE + message)


def audited_editors(obj: models.Model, **since: Any) -> set[int]:
    """The ids of the users the audit log shows changing ``obj`` (``since``: a filter on the entries, such as
    ``created_at__gte=…``): editing someone else's draft and then approving it is approving one's own work."""
    edits = AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=AuditAction.UPDATE, **since
    )
    return {pk for pk in edits.values_list("actor_id", flat=True) if pk is not None}


def own_work_refuser(drafters: Callable[[Any], set[int]]) -> Callable[[Any, Any, str], None]:
    """A workflow's ``four_eyes`` hook for records with an ``org``: :func:`refuse_own_work` with ``drafters(obj)``."""

    def refuse(actor: Any, obj: Any, message: str) -> None:
        refuse_own_work(actor, obj.org, drafters(obj), message)

    return refuse
