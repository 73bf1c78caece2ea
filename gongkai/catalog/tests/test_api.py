"""The catalogue API: create, update, transition, scan, search — same services, same scoping, Chinese errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gongkai.accounts.services import api_token_create
from gongkai.catalog.models import Item
from gongkai.catalog.vocab import Status
from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff

from .factories import draft_item, published_item

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=SYSTEM_TEST, user=user)}"}


def post(client, url, data, user):
    return client.post(url, json.dumps(data), content_type="application/json", **auth(user))


def test_create_update_and_walk_the_workflow(client, org_tree, django_capture_on_commit_callbacks):
    org = org_tree["own"]
    clerk, secrecy, reviewer = (staff(r, org) for r in (Role.CLERK, Role.SECRECY_REVIEWER, Role.REVIEWER))
    # Given a clerk drafting through the API
    r = post(client, "/api/catalog/items", {"org_code": org.code, "title": "关于开展安全生产大检查的通知",
             "statutory_item": "a20_13", "doc_kind": "policy", "fields": ["安全生产"]}, clerk)  # fmt: skip
    assert r.status_code == 201, r.content
    item_id = r.json()["id"]
    assert r.json()["fields"] == ["安全生产"] and r.json()["status"] == "draft"
    # When the clerk changes it and each role takes its step
    r = client.patch(f"/api/catalog/items/{item_id}", json.dumps({"summary": "部署全县安全生产大检查"}),
                     content_type="application/json", **auth(clerk))  # fmt: skip
    assert r.status_code == 200 and r.json()["summary"] == "部署全县安全生产大检查"
    assert (
        post(client, f"/api/catalog/items/{item_id}/transition", {"step": "submit"}, clerk).status_code == 200
    )
    assert (
        post(client, f"/api/catalog/items/{item_id}/transition", {"step": "secrecy_pass"}, clerk).status_code
        == 403
    )
    assert (
        post(
            client, f"/api/catalog/items/{item_id}/transition", {"step": "secrecy_pass"}, secrecy
        ).status_code
        == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = post(client, f"/api/catalog/items/{item_id}/transition", {"step": "publish"}, reviewer)
    # Then it is published and the public search endpoint finds it
    assert r.json()["status"] == Status.PUBLISHED
    found = client.get("/api/catalog/search", {"q": "检查"}).json()
    assert [x["id"] for x in found["results"]] == [item_id]
    assert "<mark>检查</mark>" in found["results"][0]["title_html"]


def test_errors_are_chinese_and_change_nothing(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    r = post(
        client,
        "/api/catalog/items",
        {"org_code": org_tree["own"].code, "title": "x", "fields": ["不存在的领域"]},
        clerk,
    )
    assert r.status_code == 400 and "未知的领域" in json.dumps(r.json(), ensure_ascii=False)
    r = post(client, "/api/catalog/items", {"org_code": org_tree["sibling"].code, "title": "越权"}, clerk)
    assert r.status_code == 403
    assert not Item.objects.exists()


def test_scan_endpoint_reports_positions(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    item = draft_item(org_tree["own"], body="<p>电话13812345678</p>")
    hits = client.get(f"/api/catalog/items/{item.pk}/scan", **auth(clerk)).json()
    assert [(h["kind"], h["line"], h["column"], h["severity"]) for h in hits] == [("mobile", 1, 3, "warn")]


def test_list_is_scoped(client, org_tree):
    published_item(org_tree["sibling"], title="邻县")
    mine = draft_item(org_tree["own"], title="本县")
    rows = client.get("/api/catalog/items", **auth(staff(Role.CLERK, org_tree["own"]))).json()
    assert [r["id"] for r in rows] == [mine.pk]


def test_office_admin_imports_a_published_item_keeping_number_and_date(
    client, org_tree, django_capture_on_commit_callbacks
):
    org = org_tree["own"]
    data = {"org_code": org.code, "title": "青山县2019年政府信息公开工作年度报告（旧站迁移）",
            "index_no": "0142768-8/2020-00003", "published_at": "2020-01-20T09:00:00+08:00"}  # fmt: skip
    # A clerk may not import
    assert post(client, "/api/catalog/import", data, staff(Role.CLERK, org)).status_code == 403
    # The office admin may: number and date are kept, the item is public and searchable
    with django_capture_on_commit_callbacks(execute=True):
        r = post(client, "/api/catalog/import", data, staff(Role.OFFICE_ADMIN, org))
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["index_no"] == "0142768-8/2020-00003" and out["imported"] and out["status"] == "published"
    assert dt.datetime.fromisoformat(out["published_at"]) == dt.datetime(2020, 1, 20, 1, tzinfo=dt.UTC)
    assert client.get("/api/catalog/search", {"q": "迁移"}).json()["total"] == 1
    # A second import with the same number is refused
    assert (
        post(client, "/api/catalog/import", data, staff(Role.OFFICE_ADMIN, org, username="gkb9")).status_code
        == 400
    )
