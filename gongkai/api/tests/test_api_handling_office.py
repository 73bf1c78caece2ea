"""The handling office (政府信息公开工作机构) in the API: shown on every organisation (code and name), and set through
POST/PATCH /api/orgs with the form's rules (the service's: MANAGE on both, active, no chain, no cycle)."""

from __future__ import annotations

import json

import pytest

from gongkai.accounts.services import api_token_create
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.orgs import services
from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.tests.factories import MembershipFactory, OrganisationFactory, staff, valid_org_code

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=SYSTEM_TEST, user=user)}"}


def _patch(client, user, code, body):
    return client.patch(f"/api/orgs/{code}", json.dumps(body), content_type="application/json", **_auth(user))


@pytest.fixture
def handled(org_tree):
    """The county government (``own``) handled by its finance bureau (``child``, standing in for the 县政府办)."""
    services.org_set_handling_office(actor=SYSTEM_TEST, org=org_tree["own"], office=org_tree["child"])
    return org_tree


def test_every_organisation_shows_its_handling_office(client, handled):
    supervisor = staff(Role.SUPERVISOR, handled["own"])
    rows = {o["code"]: o for o in client.get("/api/orgs", **_auth(supervisor)).json()}
    own, child = handled["own"], handled["child"]
    assert (rows[own.code]["handling_office_code"], rows[own.code]["handling_office_name"]) == (
        child.code,
        child.name,
    )
    assert (rows[child.code]["handling_office_code"], rows[child.code]["handling_office_name"]) == (
        None,
        None,
    )
    detail = client.get(f"/api/orgs/{own.code}", **_auth(supervisor)).json()
    assert detail["handling_office_name"] == child.name


def test_the_schema_documents_it(client):
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert {"handling_office_code", "handling_office_name"} <= set(schema["OrgOut"]["properties"])
    assert "handling_office_code" in schema["OrgPatch"]["properties"]
    assert "handling_office_name" not in schema["OrgPatch"]["properties"]  # the name is read-only


def test_patch_sets_and_clears_it_with_an_audit_row(client, org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    own, child = org_tree["own"], org_tree["child"]
    response = _patch(client, admin, own.code, {"handling_office_code": child.code})
    assert response.status_code == 200, response.content
    assert response.json()["handling_office_name"] == child.name
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(own.pk)).latest("id")
    assert entry.changes == {"handling_office": [None, child.pk]}
    # null: the organisation handles its own again
    response = _patch(client, admin, own.code, {"handling_office_code": None})
    assert response.status_code == 200 and response.json()["handling_office_code"] is None
    assert Organisation.objects.get(pk=own.pk).handling_office_id is None


def test_patch_refuses_what_the_form_refuses(client, handled):
    admin = staff(Role.OFFICE_ADMIN, handled["own"])
    own, child = handled["own"], handled["child"]
    # a chain: the office handles for the government, so it cannot hand its own applications on
    response = _patch(client, admin, child.code, {"handling_office_code": own.code})
    assert response.status_code == 400
    assert "不能形成转办链或循环" in response.json()["errors"]["handling_office_code"][0]
    # an unknown code, and one the user cannot see, alike
    unknown = valid_org_code(77777777)
    response = _patch(client, admin, own.code, {"handling_office_code": unknown})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "handling_office_code": [f"机构代码「{unknown}」不存在或您无权查看。"]
    }
    response = _patch(client, admin, own.code, {"handling_office_code": handled["sibling"].code})
    assert response.status_code == 400
    # an inactive office
    closed = OrganisationFactory(name="测试县已撤销机构", parent=own, is_active=False)
    response = _patch(client, admin, own.code, {"handling_office_code": closed.code})
    assert response.status_code == 400 and "已停用" in response.json()["errors"]["handling_office_code"][0]
    # switching off the office while it handles for the government
    response = _patch(client, admin, child.code, {"is_active": False})
    assert response.status_code == 400
    assert "停用前请先为这些机关改设其他工作机构" in response.json()["errors"]["is_active"][0]
    assert Organisation.objects.get(pk=own.pk).handling_office_id == child.pk  # nothing changed


def test_patch_needs_manage_on_the_office(client, org_tree):
    # the finance bureau's admin, who also reads the county (上级监督), manages the bureau but not the county
    # government it would hand its applications to
    admin = staff(Role.OFFICE_ADMIN, org_tree["child"])
    MembershipFactory(user=admin, org=org_tree["own"], role=Role.SUPERVISOR)
    response = _patch(client, admin, org_tree["child"].code, {"handling_office_code": org_tree["own"].code})
    assert response.status_code == 403
    assert Organisation.objects.get(pk=org_tree["child"].pk).handling_office_id is None


def test_create_with_a_handling_office(client, org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    body = {"name": "测试县乡镇", "code": valid_org_code(12345670), "parent_code": org_tree["own"].code,
            "level": "township", "kind": "government", "handling_office_code": org_tree["child"].code}  # fmt: skip
    response = client.post("/api/orgs", json.dumps(body), content_type="application/json", **_auth(admin))
    assert response.status_code == 201, response.content
    assert response.json()["handling_office_code"] == org_tree["child"].code
    created = Organisation.objects.get(code=body["code"])
    assert created.handling_office == org_tree["child"]
