"""Who may fetch a picture: each owning app registers, per owner kind, whether a user may see it (staff of the
organisation while a draft, everyone once published). Core knows no app; the apps register in ``ready()``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ImageOwner:
    owner: str  # "catalog.item"
    # (user, owner_id) → "public" (anyone; cacheable), "staff" (this user may; private) or "" (404)
    may_see: Callable[[Any, int], str]


_OWNERS: dict[str, ImageOwner] = {}


def register_owner(rule: ImageOwner) -> None:
    _OWNERS[rule.owner] = rule


def owner_rule(owner: str) -> ImageOwner | None:
    return _OWNERS.get(owner)
