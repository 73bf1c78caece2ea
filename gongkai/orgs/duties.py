"""Separation of duties (双人审核, "four eyes"): who may not approve their own work.

The rule is a setting per organisation (``Organisation.four_eyes``, on by default). Each workflow
decides who "drafted" a record and calls :func:`refuse_own_work` before an approving step:

- catalogue items: the creator and the submitter of the current revision (catalog.workflow);
- annual reports: the creator and the submitter of the version under review (reports.workflow);
- extensions of the reply period: see applications.services.extensions.extension_approve.

System jobs (``actor=None``: CLI, imports, the demo loader) are never refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied

from .models import Organisation

RULE = "按本机关“双人审核”规定，"


def four_eyes(org: Organisation) -> bool:
    """Is the four-eyes rule on for ``org``?"""
    return bool(getattr(org, "four_eyes", True))


def is_own_work(actor: Any, drafters: Iterable[Any]) -> bool:
    """Is ``actor`` one of ``drafters`` (users or user ids; None entries are ignored)?"""
    pk = getattr(actor, "pk", None)
    if pk is None:
        return False
    return any((getattr(d, "pk", d) == pk) for d in drafters if d is not None)


def refuse_own_work(actor: Any, org: Organisation, drafters: Iterable[Any], message: str) -> None:
    """Raise PermissionDenied(``RULE`` + ``message``) when the rule is on and ``actor`` drafted the record."""
    if actor is None or not four_eyes(org):
        return
    if is_own_work(actor, drafters):
        raise PermissionDenied(RULE + message)
