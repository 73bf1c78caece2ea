"""Reads of the organisation tree that other apps use."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .codes import normalise
from .models import Organisation
from .permissions import Action, orgs_where


def org_by_code(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=normalise(code)).first()


def org_subtree(org: Organisation, *, include_self: bool = True) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(path__startswith=org.path)
    return qs if include_self else qs.exclude(pk=org.pk)


# what the breadcrumbs show of an ancestor (its address and display_name); any other field costs a query
ANCESTOR_FIELDS = ("code", "name", "short_name")


def org_ancestors(org: Organisation) -> list[Organisation]:
    """Root first, excluding ``org`` itself; each with ``ANCESTOR_FIELDS`` loaded."""
    codes = [c for c in org.path.strip("/").split("/")][:-1]
    if not codes:  # a top organisation (no query to build)
        return []
    by_code = {o.code: o for o in Organisation.objects.filter(code__in=codes).only(*ANCESTOR_FIELDS)}
    return [by_code[c] for c in codes if c in by_code]


def orgs_visible_to(user: Any) -> QuerySet[Organisation]:
    return orgs_where(user, Action.VIEW).order_by("path")


def public_orgs() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("path")
