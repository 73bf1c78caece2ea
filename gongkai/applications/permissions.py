"""Who may see and handle applications; applicant data is narrower than the record itself (条例 privacy)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from gongkai.orgs.handling import handling_office_of
from gongkai.orgs.models import Membership, Role
from gongkai.orgs.permissions import Action, application_orgs_where, can_for_applications, orgs_where

from .models import Application

# Roles whose holders in the handling organisation see applicant data (not 上级 supervisors).
HANDLING_ROLES = frozenset({Role.CLERK, Role.REVIEWER, Role.SECRECY_REVIEWER, Role.OFFICE_ADMIN})


def can_view(user: Any, application: Application) -> bool:
    return can_for_applications(user, Action.VIEW, application.org)


def can_handle(user: Any, application: Application) -> bool:
    return can_for_applications(user, Action.EDIT, application.org)


def may_register(user: Any) -> bool:
    """The check of the 登记申请 page (``views.register``): EDIT on applications in some organisation."""
    return application_orgs_where(user, Action.EDIT).exists()


def may_manage_seals(user: Any) -> bool:
    """The check of the 电子印章 page (``delivery_views.seals``): 公开办管理员 (MANAGE) somewhere."""
    return orgs_where(user, Action.MANAGE).exists()


def _memberships(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return list(Membership.objects.filter(user=user, org__is_active=True).select_related("org"))


def applicant_scope(user: Any) -> Q:
    """Applications whose applicant data ``user`` may see: staff of the organisation applied to or of its
    handling office (``Organisation.handling_office``), and the 公开办管理员 over either. System administrators
    and 上级 supervisors see the record, not the applicant."""
    condition = Q(pk__in=[])
    for m in _memberships(user):
        if m.role in HANDLING_ROLES:
            condition |= Q(org_id=m.org_id) | Q(org__handling_office_id=m.org_id)
        if m.role == Role.OFFICE_ADMIN:
            condition |= Q(org__path__startswith=m.org.path) | Q(
                org__handling_office__path__startswith=m.org.path
            )
    return condition


def can_see_applicant(user: Any, application: Application) -> bool:
    return Application.objects.filter(applicant_scope(user), pk=application.pk).exists()


def can_see_applicants_of(user: Any, org: Any) -> bool:
    """May ``user`` see the applicants of every application of ``org`` (a ledger export names them all)?"""
    office = handling_office_of(org)
    for m in _memberships(user):
        for handler in {org, office}:
            if m.role in HANDLING_ROLES and m.org_id == handler.pk:
                return True
            if m.role == Role.OFFICE_ADMIN and handler.path.startswith(m.org.path):
                return True
    return False
