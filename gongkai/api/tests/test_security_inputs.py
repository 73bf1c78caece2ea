"""Security review, low findings: hidden draft titles (L1), the status lookup limit (L2), absurd numbers (L3),
control characters (L5), and the applicant name under a token (Info). Run on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from gongkai.accounts.services import api_token_create
from gongkai.applications import status_lookup
from gongkai.applications.models import Application
from gongkai.applications.selectors import HIDDEN
from gongkai.applications.tests.conftest import office, register  # noqa: F401 (fixtures)
from gongkai.catalog import services as catalog_services
from gongkai.catalog.models import Item
from gongkai.catalog.tests.factories import draft_item, published_item
from gongkai.catalog.vocab import DocKind
from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.permissions import Action, can
from gongkai.orgs.tests.factories import staff, valid_org_code

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=SYSTEM_TEST, user=user)}"}


def _json(client, method, url, data, user):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json", **_auth(user))


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


# --- L1 ---------------------------------------------------------------------------------------------------


def test_l1_interprets_hides_invisible_draft_title(client, org_tree):
    own, parent = org_tree["own"], org_tree["parent"]
    clerk = staff(Role.CLERK, own)
    assert not can(clerk, Action.VIEW, parent)  # the premise: the parent's drafts are not the clerk's to see
    secret_draft = draft_item(parent, title="尚未公开的市级绝密草稿标题", doc_kind=DocKind.POLICY)
    public_policy = published_item(parent, title="已公开的市级政策文件", doc_kind=DocKind.POLICY)

    # API: an invisible draft is refused as the policy to interpret, like an id that does not exist
    body = {"org_code": own.code, "title": "政策解读一", "doc_kind": "interpretation"}
    refused = _json(client, "post", "/api/catalog/items", body | {"interprets_id": secret_draft.pk}, clerk)
    missing = _json(client, "post", "/api/catalog/items", body | {"interprets_id": 10**9}, clerk)
    assert refused.status_code == missing.status_code == 400
    assert "不存在或您无权查看" in _text(refused) and "绝密草稿" not in _text(refused)
    assert refused.json()["errors"].keys() == missing.json()["errors"].keys()
    # ... and so is it on a change; a published policy is accepted
    ok = _json(client, "post", "/api/catalog/items", body | {"interprets_id": public_policy.pk}, clerk)
    assert ok.status_code == 201, ok.content
    pk = ok.json()["id"]
    patched = _json(client, "patch", f"/api/catalog/items/{pk}", {"interprets_id": secret_draft.pk}, clerk)
    assert patched.status_code == 400 and Item.objects.get(pk=pk).interprets_id == public_policy.pk

    # Back office: an item linked (earlier, or by someone who could see it) to a draft shows no title
    linked = catalog_services.item_create(
        actor=SYSTEM_TEST,
        org=own,
        title="政策解读二",
        doc_kind=DocKind.INTERPRETATION,
        interprets=secret_draft,
    )
    client.force_login(clerk)
    detail = _text(client.get(reverse("catalog:detail", args=[linked.pk])))
    assert "政策解读二" in detail and "绝密草稿" not in detail and "您无权查看" in detail
    edit = _text(client.get(reverse("catalog:edit", args=[linked.pk])))
    assert "绝密草稿" not in edit
    # ... while whoever may see the draft still sees its title
    client.force_login(staff(Role.OFFICE_ADMIN, parent))
    assert "绝密草稿" in _text(client.get(reverse("catalog:detail", args=[linked.pk])))

    # Portal: a published interpretation of a policy taken back to draft names no policy
    shown = published_item(own, title="政策解读三", doc_kind=DocKind.INTERPRETATION, interprets=public_policy)
    Item.objects.filter(pk=public_policy.pk).update(status="draft", title="撤回后的草稿标题")
    page = _text(client.get(reverse("portal:catalog_item", args=[own.code, shown.pk])))
    assert "政策解读三" in page and "撤回后的草稿标题" not in page


# --- L2 ---------------------------------------------------------------------------------------------------


def test_l2_public_status_api_rate_limited(client, office, register, monkeypatch):  # noqa: F811
    monkeypatch.setattr(status_lookup, "STATUS_FAILURE_LIMIT", (4, 3600))
    org = office["org"]
    submitted = client.post(
        f"/api/applications/public/{org.code}",
        {"applicant": {"applicant_type": "natural", "name": "赵六", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13700000000"},
         "request": {"info_title": "某规划"}},
        content_type="application/json",
    ).json()  # fmt: skip
    right = {"tracking_code": submitted["tracking_code"], "secret": submitted["secret"]}
    wrong = right | {"secret": "wrong"}

    def api(data):
        return client.post("/api/applications/public-status", data, content_type="application/json")

    def page(data):
        return client.post(reverse("applications_public:status"), data)

    assert api(right).status_code == 200
    # two misses through the API and two through the page count against one limit
    assert api(wrong).status_code == 403 and api(wrong).status_code == 403
    assert page(wrong).status_code == 200
    assert "不正确" in _text(page(wrong))
    # then both doors refuse, even the right code, with a Chinese 429
    blocked_api = api(right)
    assert blocked_api.status_code == 429 and "查询失败次数过多" in blocked_api.json()["detail"]
    blocked_page = page(right)
    assert blocked_page.status_code == 429 and "查询失败次数过多" in _text(blocked_page)


def test_l2_page_misses_alone_block_the_api(client, office, register, monkeypatch):  # noqa: F811
    monkeypatch.setattr(status_lookup, "STATUS_FAILURE_LIMIT", (2, 3600))
    a = register()
    for _ in range(2):
        client.post(reverse("applications_public:status"), {"tracking_code": a.tracking_code, "secret": "x"})
    r = client.post(
        "/api/applications/public-status",
        {"tracking_code": a.tracking_code, "secret": "x"},
        content_type="application/json",
    )
    assert r.status_code == 429


# --- L3 ---------------------------------------------------------------------------------------------------

VALUES = ["abc", "99999", "-1", "0", str(10**30)]
YEAR_PAGES = ["checks", "reports", "ledger", "reports_api"]
API_LISTS = ["/api/catalog/items?offset=", "/api/applications?offset=", "/api/audit?offset=",
             "/api/catalog/search?q=公开&page=", "/search/?q=公开&page="]  # fmt: skip


@pytest.fixture
def l3(client, org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    client.force_login(admin)
    return {"admin": admin, "org": org_tree["own"]}


def _assert_handled(response, value: str, *, clamps: bool = False) -> None:
    """Never a 500; a 4xx says why in Chinese; 10**30 is a 4xx unless the page clamps to a valid one."""
    assert response.status_code < 500
    if response.status_code >= 400:
        body = _text(response)
        assert CJK.search(body), body
        if response["Content-Type"].startswith("application/json"):
            assert not re.search(r"[A-Za-z]{4,}", json.dumps(response.json(), ensure_ascii=False).replace(
                "detail", "").replace("errors", "").replace("__all__", "").replace("offset", "").replace(
                "page", "").replace("year", ""))  # fmt: skip
    if value == str(10**30) and not clamps:
        assert 400 <= response.status_code < 500


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("where", YEAR_PAGES)
def test_l3_absurd_numbers_are_4xx(client, l3, where, value):
    url = {
        "checks": "/admin/catalog/checks/?year=",
        "reports": "/admin/reports/?year=",
        "ledger": f"/admin/applications/ledger/{l3['org'].code}/applications.csv?year=",
        "reports_api": f"/api/reports/versions?org={l3['org'].code}&year=",
    }[where]
    response = client.get(url + value)
    _assert_handled(response, value)
    assert response.status_code in (400, 422)  # no such year, and it says so
    assert "年度应为" in _text(response) if where != "reports_api" else "year" in response.json()["errors"]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("url", API_LISTS)
def test_l3_absurd_offsets_and_pages(client, l3, url, value):
    response = client.get(url + value)
    _assert_handled(response, value, clamps=not url.startswith("/api/"))  # the portal's search page clamps
    if value in ("abc", "-1") and url.startswith("/api/"):
        assert response.status_code == 422


@pytest.mark.parametrize(
    ("kind", "field"),
    [("item", "summary"), ("item", "keywords"), ("item", "title"), ("org", "phone"), ("org", "is_active")],
)
def test_l3_patch_with_null_is_4xx(client, l3, kind, field):
    if kind == "item":
        item = draft_item(l3["org"])
        url = f"/api/catalog/items/{item.pk}"
    else:
        url = f"/api/orgs/{l3['org'].code}"
    response = _json(client, "patch", url, {field: None}, l3["admin"])
    assert response.status_code == 422
    assert field in response.json()["errors"]["__all__"][0] and "空值" in _text(response)
    # a null where null means something is still accepted
    if kind == "item":
        assert _json(client, "patch", url, {"formed_on": None}, l3["admin"]).status_code == 200


def test_l3_huge_path_ids_are_4xx(client, l3):
    assert client.get(f"/api/catalog/items/{10**30}").status_code == 422


# --- L5 ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["\x00", "\x07"])
def test_l5_control_characters_rejected(client, office, bad):  # noqa: F811
    org = office["org"]
    admin = staff(Role.OFFICE_ADMIN, org)
    clerk = office["clerk"]
    name = f"坏{bad}机构"

    def refused(response, status=(400, 422)):
        assert response.status_code in status, response.content
        assert "控制字符" in _text(response)

    # API: org name (create, change), item title, application title (staff and public)
    refused(_json(client, "post", "/api/orgs", {"name": name, "code": valid_org_code(32345678),
            "parent_code": org.code, "level": "county", "kind": "department"}, admin))  # fmt: skip
    refused(_json(client, "patch", f"/api/orgs/{org.code}", {"name": name}, admin))
    refused(_json(client, "post", "/api/catalog/items", {"org_code": org.code, "title": name}, clerk))
    application = {"org_code": org.code, "channel": "in_person",
                   "applicant": {"applicant_type": "natural", "name": "赵六", "id_type": "resident_id", "id_number": "11010519491231002X",
                                 "phone": "13700000000"},
                   "request": {"info_title": name}}  # fmt: skip
    refused(_json(client, "post", "/api/applications", application, clerk))
    public = {"applicant": application["applicant"], "request": {"info_title": name}}
    refused(client.post(f"/api/applications/public/{org.code}", public, content_type="application/json"))
    # ... and in a query string or a path
    refused(client.get("/api/catalog/items", {"q": name}, **_auth(clerk)))
    refused(client.get(f"/api/orgs/{name}", **_auth(clerk)))

    # Back-office forms: org, item, application
    client.force_login(admin)
    refused(client.post(reverse("orgs:create"), {"name": name, "code": valid_org_code(42345678),
            "parent": org.pk, "level": "county", "kind": "department"}), status=(400,))  # fmt: skip
    client.force_login(clerk)
    refused(client.post(reverse("catalog:create"), {"org": org.pk, "title": name, "topic": "general",
            "doc_kind": "other", "method": "website", "disclosure": "proactive"}), status=(400,))  # fmt: skip
    refused(client.post(reverse("applications:register"), {"org": org.pk, "channel": "in_person",
            "submitted_on": "2026-03-01", "applicant_type": "natural", "name": "李四", "phone": "13900000000",
            "info_title": name, "delivery_form": "paper", "delivery_method": "pickup"}), status=(400,))  # fmt: skip
    refused(client.get(reverse("applications:list"), {"q": name}), status=(400,))

    assert not Organisation.objects.filter(name__startswith="坏").exists()
    assert not Item.objects.exists() and not Application.objects.exists()
    # Line breaks and tabs are still text
    ok = _json(client, "post", "/api/catalog/items", {"org_code": org.code, "title": "标题",
               "summary": "第一行\r\n第二行\t完"}, clerk)  # fmt: skip
    assert ok.status_code == 201, ok.content


# --- Info -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["clerk", "reviewer", "county_admin", "supervisor", "outsider"])
def test_info_token_sees_same_as_session(client, office, register, who):  # noqa: F811
    a = register()
    user = office[who]
    headers = _auth(user)
    token_list = client.get("/api/applications", **headers)
    token_detail = client.get(f"/api/applications/{a.tracking_code}", **headers)
    client.force_login(user)
    session_list = client.get("/api/applications")
    session_detail = client.get(f"/api/applications/{a.tracking_code}")
    page = _text(client.get(reverse("applications:list")))
    assert token_list.status_code == session_list.status_code == 200
    assert token_list.json() == session_list.json()
    assert token_detail.status_code == session_detail.status_code
    if who == "outsider":
        assert token_detail.status_code == 403 and token_list.json() == []
        return
    name = token_detail.json()["applicant_name"]
    assert name == session_detail.json()["applicant_name"]
    handling = who in ("clerk", "reviewer", "county_admin")
    assert name == ("张三" if handling else HIDDEN)
    assert ("张三" in page) == handling and (HIDDEN in page) != handling


def test_l5_control_characters_in_spreadsheets_refused():
    """Uploaded spreadsheets bypass the request middleware: the one reader refuses them, naming the cell.

    (XLSX needs no such test: XML 1.0 cannot hold these characters and openpyxl keeps Excel's ``_x0007_``
    escapes as plain text.)
    """
    from gongkai.core.exports import write_csv
    from gongkai.core.tables import TableFileError, read_sheet

    data = write_csv([["好机构", 1], ["坏\x07机构", 2]], header=["名称", "代码"])
    with pytest.raises(TableFileError, match="第 3 行第 1 列含有不可见的控制字符"):
        read_sheet(data, "台账.csv")
