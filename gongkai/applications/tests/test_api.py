"""API: public submit and status; staff register, events, reply, remedies."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from gongkai.applications.models import Application, RemedyCase

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


APPLICANT = {"applicant_type": "natural", "name": "赵六", "id_type": "resident_id", "id_number": "11010519491231002X",
             "phone": "13700000000", "email": "z@example.org"}  # fmt: skip


def test_public_submit_and_status(client, office):
    org = office["org"]
    r = client.post(
        f"/api/applications/public/{org.code}",
        {"applicant": APPLICANT, "request": {"info_title": "某规划"}},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    status = client.post("/api/applications/public-status", body | {}, content_type="application/json")
    assert status.status_code == 200 and status.json()["status_label"] == "已登记"
    bad = client.post(
        "/api/applications/public-status",
        {"tracking_code": body["tracking_code"], "secret": "no"},
        content_type="application/json",
    )
    assert bad.status_code == 403


def test_staff_journey_register_correction_extension_reply(client, office):
    client.force_login(office["clerk"])
    r = client.post(
        "/api/applications",
        {
            "org_code": office["org"].code,
            "channel": "in_person",
            "submitted_on": "2026-02-10",
            "applicant": APPLICANT,
            "request": {"info_title": "某规划"},
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    code = r.json()["tracking_code"]
    assert r.json()["reply_due"] == "2026-03-16"

    def event(**data):
        resp = client.post(f"/api/applications/{code}/events", data, content_type="application/json")
        assert resp.status_code == 201, resp.content
        return resp.json()

    event(kind="correction_requested", date="2026-02-12", items="请明确项目名称", until="2026-03-06")
    assert event(kind="correction_received", date="2026-03-02")["reply_due"] == "2026-03-30"
    client.force_login(office["reviewer"])  # 双人审核: the reviewer approves the extension in the system
    assert event(kind="extended", date="2026-03-20", days=10, reason="需检索")["reply_due"] == "2026-04-14"
    client.force_login(office["clerk"])
    # a 部分公开 needs the reasons and the ground of its withheld part (issue 13)
    r = client.post(
        f"/api/applications/{code}/reply",
        {"outcome": "2", "date": "2026-04-10"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "须写明不予公开的理由" in r.json()["errors"]["summary"][0]
    r = client.post(
        f"/api/applications/{code}/reply",
        {"outcome": "2", "date": "2026-04-10", "summary": "第3页涉及个人隐私。", "withheld_grounds": ["3.4"]},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["outcome"] == "2"
    events = client.get(f"/api/applications/{code}/events").json()
    assert [e["kind"] for e in events] == [
        "received",
        "correction_requested",
        "correction_received",
        "extended",
        "answered",
    ]


def test_api_rejects_bad_transition_with_chinese_message(client, office, register):
    a = register("2026-03-02")
    client.force_login(office["clerk"])
    r = client.post(
        f"/api/applications/{a.tracking_code}/events",
        {"kind": "fee_paid", "date": "2026-03-05"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "收费通知" in str(r.json()["errors"])


def test_api_scoping(client, office, register):
    a = register("2026-03-02")
    client.force_login(office["outsider"])
    assert client.get(f"/api/applications/{a.tracking_code}").status_code == 403
    assert client.get("/api/applications").json() == []


def test_api_remedies(client, office, register):
    a = register("2026-03-02")
    client.force_login(office["clerk"])
    r = client.post(
        "/api/applications/remedies",
        {
            "org_code": office["org"].code,
            "kind": "review",
            "filed_on": "2026-04-01",
            "application_code": a.tracking_code,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert RemedyCase.objects.get().application == a
    assert client.get("/api/applications/remedies").json()[0]["result"] == "pending"
    assert Application.objects.count() == 1
