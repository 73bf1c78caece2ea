"""Organisation services: audit rows, the path invariant, refusals and permissions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.orgs import services
from gongkai.orgs.models import Level, Organisation, OrgKind, Role
from gongkai.orgs.tests.factories import MembershipFactory, OrganisationFactory, staff, valid_org_code

pytestmark = pytest.mark.django_db


def audit_rows(org_pk, action=None):
    rows = AuditEntry.objects.filter(object_type="orgs.organisation", object_id=str(org_pk))
    return list(rows.filter(action=action) if action else rows)


def new_fields(parent, n=1):
    return {
        "name": f"测试县新机构{n}",
        "code": valid_org_code(70000000 + n),
        "parent": parent,
        "level": Level.COUNTY,
        "kind": OrgKind.DEPARTMENT,
    }


def assert_paths_consistent():
    """Every organisation's path is its parent's path plus its own code; depth counts the links."""
    for org in Organisation.objects.select_related("parent"):
        expected = f"{org.parent.path}{org.code}/" if org.parent else f"/{org.code}/"
        assert (org.path, org.depth) == (expected, expected.count("/") - 2), org.name


# --- create -------------------------------------------------------------------------------------


def test_create_places_the_org_under_its_parent_and_audits_it(org_tree):
    # given an office admin of the county
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    # when they create a department under the county (code typed with a hyphen and lower case)
    fields = new_fields(org_tree["own"])
    fields["code"] = fields["code"][:8] + "-" + fields["code"][8:].lower()
    org = services.org_create(actor=admin, **fields)
    # then it sits under the county, its code normalised, and one audit row holds its fields
    assert org.code == valid_org_code(70000001)
    assert org.path == f"{org_tree['own'].path}{org.code}/"
    assert org.depth == 2
    [entry] = audit_rows(org.pk)
    assert entry.action == AuditAction.CREATE
    assert entry.actor == admin
    assert entry.changes["name"] == "测试县新机构1"
    assert entry.changes["parent"] == org_tree["own"].pk


def test_create_top_level_org_needs_a_system_admin(org_tree):
    # given an office admin of the city (the top of the tree)
    admin = staff(Role.OFFICE_ADMIN, org_tree["parent"])
    # when they try to create a second top-level organisation / then it is refused in Chinese
    with pytest.raises(PermissionDenied, match="只有系统管理员可以创建顶级机构"):
        services.org_create(actor=admin, **new_fields(None))
    assert not Organisation.objects.filter(code=valid_org_code(70000001)).exists()
    # and a system admin may
    org = services.org_create(actor=staff(Role.SYSTEM_ADMIN, org_tree["parent"]), **new_fields(None))
    assert (org.path, org.depth) == (f"/{org.code}/", 0)


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"code": "000014348"}, "code", "组织机构代码校验码错误（应为 9）"),
        ({"name": "测试县财政局"}, "name", None),  # taken by the fixture's department
        ({"postcode": "1000"}, "postcode", "邮编应为6位数字。"),
        ({"level": "district"}, "level", None),
    ],
)
def test_create_refuses_invalid_data_and_writes_nothing(org_tree, override, field, message):
    # given otherwise valid fields with one bad value
    fields = new_fields(org_tree["own"]) | override
    before = Organisation.objects.count()
    # when created by a system job
    with pytest.raises(ValidationError) as caught:
        services.org_create(actor=SYSTEM_TEST, **fields)
    # then the error names the field (with the Chinese reason) and nothing was written
    assert field in caught.value.message_dict
    if message:
        assert caught.value.message_dict[field] == [message]
    assert Organisation.objects.count() == before
    assert not AuditEntry.objects.exists()


# --- update -------------------------------------------------------------------------------------


def test_update_audits_only_the_changed_fields(org_tree):
    # given a department
    dept = org_tree["child"]
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    # when its phone and address change (and its name is given unchanged)
    services.org_update(actor=admin, org=dept, name=dept.name, phone="0571-12345678", address="新地址1号")
    # then one audit row records exactly those two changes, old and new
    [entry] = audit_rows(dept.pk)
    assert entry.action == AuditAction.UPDATE
    assert entry.changes == {"address": ["", "新地址1号"], "phone": ["", "0571-12345678"]}


def test_update_without_a_change_writes_no_audit_row(org_tree):
    # given a department / when "updated" with its current values / then no audit row
    dept = org_tree["child"]
    services.org_update(actor=SYSTEM_TEST, org=dept, name=dept.name, short_name=dept.short_name)
    assert audit_rows(dept.pk) == []


def test_moving_an_org_repaths_its_descendants(org_tree):
    # given the county with a department and a unit under the department
    county, dept, sibling = org_tree["own"], org_tree["child"], org_tree["sibling"]
    unit = OrganisationFactory(name="测试县财政局下属单位", parent=dept)
    # when the county is moved under the neighbouring county
    services.org_update(actor=SYSTEM_TEST, org=county, parent=sibling)
    # then the county and everything below it carry the new path and depth
    county.refresh_from_db()
    dept.refresh_from_db()
    unit.refresh_from_db()
    assert county.path == f"{sibling.path}{county.code}/"
    assert dept.path == f"{county.path}{dept.code}/"
    assert unit.path == f"{dept.path}{unit.code}/"
    assert (county.depth, dept.depth, unit.depth) == (2, 3, 4)
    assert_paths_consistent()
    [entry] = audit_rows(county.pk)
    assert entry.changes["parent"] == [org_tree["parent"].pk, sibling.pk]


def test_changing_a_code_repaths_the_descendants(org_tree):
    # given the county with a department / when the county's code is corrected
    county = org_tree["own"]
    services.org_update(actor=SYSTEM_TEST, org=county, code=valid_org_code(71234567))
    # then the department's path follows
    assert_paths_consistent()
    assert Organisation.objects.get(pk=org_tree["child"].pk).path.startswith(
        f"/{org_tree['parent'].code}/{valid_org_code(71234567)}/"
    )


@pytest.mark.parametrize("new_parent", ["own", "child"])
def test_moving_under_itself_or_its_descendant_is_refused(org_tree, new_parent):
    # given the county and its department
    county = org_tree["own"]
    # when the county is put under itself or under its own department
    with pytest.raises(ValidationError) as caught:
        services.org_update(actor=SYSTEM_TEST, org=county, parent=org_tree[new_parent])
    # then a Chinese message explains the cycle and nothing moved
    assert caught.value.message_dict["parent"] == ["上级机构不能是本机构或其下级机构（会形成循环）。"]
    county.refresh_from_db()
    assert county.parent_id == org_tree["parent"].pk
    assert_paths_consistent()
    assert audit_rows(county.pk) == []


# --- delete -------------------------------------------------------------------------------------


def test_delete_a_leaf_org_writes_an_audit_row(org_tree):
    # given a department without children or staff
    dept = org_tree["child"]
    pk, name = dept.pk, dept.name
    # when deleted by the county's office admin
    services.org_delete(actor=staff(Role.OFFICE_ADMIN, org_tree["own"]), org=dept)
    # then it is gone and the audit row keeps what it was
    assert not Organisation.objects.filter(pk=pk).exists()
    [entry] = audit_rows(pk)
    assert (entry.action, entry.object_repr, entry.changes["name"]) == (AuditAction.DELETE, name, name)


def test_delete_an_org_with_children_is_refused(org_tree):
    # given the county, which has a department / when deleted / then refused and kept
    with pytest.raises(ValidationError, match="该机构下仍有下级机构，不能删除"):
        services.org_delete(actor=SYSTEM_TEST, org=org_tree["own"])
    assert Organisation.objects.filter(pk=org_tree["own"].pk).exists()
    assert not AuditEntry.objects.exists()


def test_delete_an_org_with_memberships_is_refused(org_tree):
    # given a department where someone works / when deleted / then refused and kept
    MembershipFactory(org=org_tree["child"], role=Role.CLERK)
    with pytest.raises(ValidationError, match="该机构仍有工作人员授权，不能删除"):
        services.org_delete(actor=SYSTEM_TEST, org=org_tree["child"])
    assert Organisation.objects.filter(pk=org_tree["child"].pk).exists()


# --- permissions --------------------------------------------------------------------------------


def _create(actor, tree):
    services.org_create(actor=actor, **new_fields(tree["own"]))


def _update(actor, tree):
    services.org_update(actor=actor, org=tree["child"], phone="12345")


def _move_to_sibling(actor, tree):
    services.org_update(actor=actor, org=tree["child"], parent=tree["sibling"])


def _delete(actor, tree):
    services.org_delete(actor=actor, org=tree["child"])


@pytest.mark.parametrize(
    ("role", "where", "operation", "allowed"),
    [
        (Role.CLERK, "own", _create, False),
        (Role.CLERK, "own", _update, False),
        (Role.CLERK, "child", _update, False),
        (Role.CLERK, "own", _delete, False),
        (Role.REVIEWER, "child", _update, False),
        (Role.SUPERVISOR, "parent", _update, False),
        (Role.OFFICE_ADMIN, "sibling", _update, False),
        (Role.OFFICE_ADMIN, "own", _create, True),
        (Role.OFFICE_ADMIN, "own", _update, True),
        (Role.OFFICE_ADMIN, "own", _delete, True),
        (Role.OFFICE_ADMIN, "own", _move_to_sibling, False),  # no MANAGE on the new parent
        (Role.OFFICE_ADMIN, "parent", _move_to_sibling, True),
        (Role.SYSTEM_ADMIN, "sibling", _move_to_sibling, True),
    ],
)
def test_permission_matrix(org_tree, role, where, operation, allowed):
    # given a user holding `role` in one organisation of the tree
    actor = staff(role, org_tree[where])
    before = AuditEntry.objects.count()
    # when they attempt the operation / then it happens (audited) or is refused in Chinese
    if allowed:
        operation(actor, org_tree)
        assert AuditEntry.objects.count() == before + 1
    else:
        with pytest.raises(PermissionDenied, match=r"您没有权限对「.+」执行此操作"):
            operation(actor, org_tree)
        assert AuditEntry.objects.count() == before
    assert_paths_consistent()
