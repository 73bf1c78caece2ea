"""The permission matrix (orgs/permissions.py): every role × relation × action, by hand.

The expected table is written out here, not derived from ``ROLE_GRANTS``: it is the policy as
stated, and the code must agree with it through both ``can`` and ``orgs_where``.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from gongkai.orgs.models import Role
from gongkai.orgs.permissions import Action, can, orgs_where, roles_grantable_by
from gongkai.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory, staff

# The membership is always held at "own"; the relation is that of the organisation acted upon.
RELATIONS = ("own", "child", "sibling", "parent")
ACTIONS = (Action.VIEW, Action.EDIT, Action.REVIEW, Action.SECRECY_REVIEW, Action.MANAGE)
Y, N = True, False

# fmt: off
MATRIX = [
    # role                   relation    view edit review secrecy manage
    (Role.SYSTEM_ADMIN,      "own",      Y,   Y,   Y,     Y,      Y),
    (Role.SYSTEM_ADMIN,      "child",    Y,   Y,   Y,     Y,      Y),
    (Role.SYSTEM_ADMIN,      "sibling",  Y,   Y,   Y,     Y,      Y),
    (Role.SYSTEM_ADMIN,      "parent",   Y,   Y,   Y,     Y,      Y),

    (Role.OFFICE_ADMIN,      "own",      Y,   Y,   N,     N,      Y),
    (Role.OFFICE_ADMIN,      "child",    Y,   Y,   N,     N,      Y),
    (Role.OFFICE_ADMIN,      "sibling",  N,   N,   N,     N,      N),
    (Role.OFFICE_ADMIN,      "parent",   N,   N,   N,     N,      N),

    (Role.CLERK,             "own",      Y,   Y,   N,     N,      N),
    (Role.CLERK,             "child",    N,   N,   N,     N,      N),
    (Role.CLERK,             "sibling",  N,   N,   N,     N,      N),
    (Role.CLERK,             "parent",   N,   N,   N,     N,      N),

    (Role.REVIEWER,          "own",      Y,   N,   Y,     N,      N),
    (Role.REVIEWER,          "child",    N,   N,   N,     N,      N),
    (Role.REVIEWER,          "sibling",  N,   N,   N,     N,      N),
    (Role.REVIEWER,          "parent",   N,   N,   N,     N,      N),

    (Role.SECRECY_REVIEWER,  "own",      Y,   N,   N,     Y,      N),
    (Role.SECRECY_REVIEWER,  "child",    N,   N,   N,     N,      N),
    (Role.SECRECY_REVIEWER,  "sibling",  N,   N,   N,     N,      N),
    (Role.SECRECY_REVIEWER,  "parent",   N,   N,   N,     N,      N),

    (Role.SUPERVISOR,        "own",      Y,   N,   N,     N,      N),
    (Role.SUPERVISOR,        "child",    Y,   N,   N,     N,      N),
    (Role.SUPERVISOR,        "sibling",  N,   N,   N,     N,      N),
    (Role.SUPERVISOR,        "parent",   N,   N,   N,     N,      N),
]
# fmt: on

CASES = [
    pytest.param(role, relation, action, allowed, id=f"{role.value}-{relation}-{action.value}")
    for role, relation, *row in MATRIX
    for action, allowed in zip(ACTIONS, row, strict=True)
]


def test_matrix_covers_every_role_relation_and_action():
    assert set(ACTIONS) == set(Action)
    assert sorted((role, relation) for role, relation, *_ in MATRIX) == sorted(
        (role, relation) for role in Role for relation in RELATIONS
    )


@pytest.mark.parametrize(("role", "relation", "action", "allowed"), CASES)
def test_permission_matrix(org_tree, role, relation, action, allowed):
    # given a user holding ``role`` in the "own" organisation
    user = staff(role, org_tree["own"])
    target = org_tree[relation]

    # when asked whether the user may act on the related organisation
    # then the predicate and the scoping queryset both give the expected answer
    assert can(user, action, target) is allowed
    assert orgs_where(user, action).filter(pk=target.pk).exists() is allowed


@pytest.mark.parametrize("role", list(Role))
def test_orgs_where_is_exactly_the_orgs_where_can_holds(org_tree, role):
    # given a user holding ``role`` in "own" and an organisation outside the tree altogether
    user = staff(role, org_tree["own"])
    elsewhere = OrganisationFactory(name="另一个市人民政府")
    everything = [*org_tree.values(), elsewhere]

    for action in Action:
        # when the scoping queryset is computed / then it holds exactly the orgs can() allows
        expected = {org.pk for org in everything if can(user, action, org)}
        assert set(orgs_where(user, action).values_list("pk", flat=True)) == expected, action


@pytest.mark.parametrize("role", list(Role))
def test_inactive_user_gets_nothing(org_tree, role):
    # given a deactivated user who still holds a membership
    user = staff(role, org_tree["own"], is_active=False)

    # when / then nothing is allowed anywhere
    for action in Action:
        assert not any(can(user, action, org) for org in org_tree.values())
        assert not orgs_where(user, action).exists()
    assert roles_grantable_by(user, org_tree["own"]) == []


@pytest.mark.parametrize("role", list(Role))
def test_membership_in_an_inactive_org_gives_nothing(org_tree, role):
    # given a membership in a deactivated organisation that has an active sub-organisation
    closed = OrganisationFactory(name="已撤销的机构", parent=org_tree["parent"], is_active=False)
    below = OrganisationFactory(name="已撤销机构的下属单位", parent=closed)
    user = staff(role, closed)

    # when / then it reaches nothing: not the closed org, not below it, not elsewhere
    for action in Action:
        assert not any(can(user, action, org) for org in [closed, below, *org_tree.values()])
        assert not orgs_where(user, action).exists()


def test_anonymous_user_gets_nothing(org_tree):
    anonymous = AnonymousUser()
    for action in Action:
        assert not any(can(anonymous, action, org) for org in org_tree.values())
        assert not orgs_where(anonymous, action).exists()
    assert roles_grantable_by(anonymous, org_tree["own"]) == []


def test_user_without_memberships_gets_nothing(org_tree):
    user = UserFactory()
    for action in Action:
        assert not any(can(user, action, org) for org in org_tree.values())
        assert not orgs_where(user, action).exists()


def test_roles_add_up_across_memberships(org_tree):
    # given a clerk in "own" who is also the reviewer of the sibling
    user = staff(Role.CLERK, org_tree["own"])
    MembershipFactory(user=user, org=org_tree["sibling"], role=Role.REVIEWER)

    # when / then each membership grants its own actions in its own place, and no more
    assert can(user, Action.EDIT, org_tree["own"]) and not can(user, Action.REVIEW, org_tree["own"])
    assert can(user, Action.REVIEW, org_tree["sibling"]) and not can(user, Action.EDIT, org_tree["sibling"])
    assert set(orgs_where(user, Action.VIEW)) == {org_tree["own"], org_tree["sibling"]}


# --- who may hand out which role -----------------------------------------------------------------

ALL_ROLES = set(Role.values)
ALL_BUT_SYSTEM_ADMIN = ALL_ROLES - {Role.SYSTEM_ADMIN}

# fmt: off
GRANTABLE = [
    # granter's role (held at own)  where     roles it may grant there
    (Role.SYSTEM_ADMIN,             "own",     ALL_ROLES),
    (Role.SYSTEM_ADMIN,             "child",   ALL_ROLES),
    (Role.SYSTEM_ADMIN,             "sibling", ALL_ROLES),
    (Role.SYSTEM_ADMIN,             "parent",  ALL_ROLES),
    (Role.OFFICE_ADMIN,             "own",     ALL_BUT_SYSTEM_ADMIN - {Role.OFFICE_ADMIN}),
    (Role.OFFICE_ADMIN,             "child",   ALL_BUT_SYSTEM_ADMIN),
    (Role.OFFICE_ADMIN,             "sibling", set()),
    (Role.OFFICE_ADMIN,             "parent",  set()),
    *[(role, relation, set())
      for role in (Role.CLERK, Role.REVIEWER, Role.SECRECY_REVIEWER, Role.SUPERVISOR)
      for relation in RELATIONS],
]
# fmt: on


@pytest.mark.parametrize(
    ("role", "relation", "expected"), GRANTABLE, ids=[f"{r.value}-{rel}" for r, rel, _ in GRANTABLE]
)
def test_roles_grantable_by(org_tree, role, relation, expected):
    # given a user holding ``role`` in "own"
    user = staff(role, org_tree["own"])

    # when asking which roles it may hand out in the related organisation
    grantable = roles_grantable_by(user, org_tree[relation])

    # then only system admins may create system admins, and office admins only below their own rank
    # (another office admin only strictly below their own organisation)
    assert len(grantable) == len(set(grantable))
    assert set(grantable) == expected
