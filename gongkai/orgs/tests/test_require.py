"""orgs.permissions.require: the one permission check of the services."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from gongkai.core.actors import MISSING_ACTOR, SYSTEM_CLI, SYSTEM_TEST, SystemActor
from gongkai.orgs.models import Role
from gongkai.orgs.permissions import Action, require
from gongkai.orgs.tests.factories import staff


@pytest.mark.parametrize("job", [SYSTEM_CLI, SYSTEM_TEST, SystemActor("nightly", "夜间任务")])
@pytest.mark.parametrize("action", list(Action))
def test_a_system_actor_passes_every_check(org_tree, job, action):
    require(job, action, org_tree["sibling"])


def test_a_user_needs_the_action_on_the_organisation(org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    require(clerk, Action.EDIT, org_tree["own"])
    with pytest.raises(PermissionDenied, match=r"^您没有权限对「邻县人民政府」执行此操作。$"):
        require(clerk, Action.EDIT, org_tree["sibling"])
    with pytest.raises(PermissionDenied, match=r"^不能审核。$"):
        require(clerk, Action.REVIEW, org_tree["own"], "不能审核。")


def test_any_one_of_several_actions_will_do(org_tree):
    reviewer = staff(Role.REVIEWER, org_tree["own"])
    require(reviewer, (Action.REVIEW, Action.MANAGE), org_tree["own"])
    with pytest.raises(PermissionDenied):
        require(reviewer, (Action.EDIT, Action.MANAGE), org_tree["own"])


def test_an_anonymous_or_inactive_user_holds_nothing(org_tree):
    with pytest.raises(PermissionDenied):
        require(AnonymousUser(), Action.VIEW, org_tree["own"])
    admin = staff(Role.SYSTEM_ADMIN, org_tree["own"], is_active=False)
    with pytest.raises(PermissionDenied):
        require(admin, Action.VIEW, org_tree["own"])


def test_none_is_refused_not_waved_through(org_tree):
    with pytest.raises(TypeError, match=re.escape(MISSING_ACTOR)):
        require(None, Action.VIEW, org_tree["own"])
