"""The JSON API: token auth, org-scoped reads, writes through services, Chinese errors, OpenAPI docs."""

from __future__ import annotations

import json

import pytest

from gongkai.accounts.services import api_token_create
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry
from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.tests.factories import staff, valid_org_code

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=SYSTEM_TEST, user=user)}"}


def test_requires_authentication(client):
    response = client.get("/api/orgs")
    assert response.status_code == 401
    assert "未认证" in response.json()["detail"]


def test_bad_token_is_refused(client):
    assert client.get("/api/orgs", HTTP_AUTHORIZATION="Bearer gk_nope").status_code == 401


def test_me_with_bearer_token(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    response = client.get("/api/me", **_auth(clerk))
    assert response.status_code == 200
    assert response.json()["memberships"][0]["role_label"] == "经办人"


def test_org_list_is_scoped(client, org_tree):
    supervisor = staff(Role.SUPERVISOR, org_tree["own"])
    codes = {o["code"] for o in client.get("/api/orgs", **_auth(supervisor)).json()}
    assert codes == {org_tree["own"].code, org_tree["child"].code}


def test_org_detail_outside_scope_is_403(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    response = client.get(f"/api/orgs/{org_tree['sibling'].code}", **_auth(clerk))
    assert response.status_code == 403


def test_create_org_via_api_is_validated_and_audited(client, org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    headers = _auth(admin)
    body = {"name": "测试县审计局", "code": valid_org_code(12345678), "parent_code": org_tree["own"].code,
            "level": "county", "kind": "department"}  # fmt: skip
    response = client.post("/api/orgs", json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    org = Organisation.objects.get(name="测试县审计局")
    assert org.parent == org_tree["own"] and org.path.endswith(f"{org.code}/")
    assert AuditEntry.objects.filter(
        object_type="orgs.organisation", object_id=str(org.pk), action="create"
    ).exists()
    # a bad check digit is a 400 with the reason in Chinese, and nothing is written
    bad = dict(body, name="坏机构", code=valid_org_code(12345679)[:-1] + "0")
    response = client.post("/api/orgs", json.dumps(bad), content_type="application/json", **headers)
    assert response.status_code == 400
    assert "校验码" in json.dumps(response.json(), ensure_ascii=False)
    assert not Organisation.objects.filter(name="坏机构").exists()


def test_create_under_sibling_is_forbidden(client, org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    body = {"name": "越权机构", "code": valid_org_code(22345678), "parent_code": org_tree["sibling"].code,
            "level": "county", "kind": "department"}  # fmt: skip
    response = client.post("/api/orgs", json.dumps(body), content_type="application/json", **_auth(admin))
    assert response.status_code == 403


def test_patch_org(client, org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    response = client.patch(
        f"/api/orgs/{org_tree['child'].code}", json.dumps({"phone": "0579-1"}), content_type="application/json",
        **_auth(admin),
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["phone"] == "0579-1"


def test_audit_endpoint_filters_and_scopes(client, org_tree):
    from gongkai.orgs.services import org_update

    org_update(actor=SYSTEM_TEST, org=org_tree["child"], phone="1")
    org_update(actor=SYSTEM_TEST, org=org_tree["sibling"], phone="2")
    supervisor = staff(Role.SUPERVISOR, org_tree["own"])
    rows = client.get("/api/audit", {"object_type": "orgs.organisation"}, **_auth(supervisor)).json()
    assert {r["org_code"] for r in rows} == {org_tree["child"].code}


def test_openapi_docs_are_served(client):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/orgs" in schema["paths"]
