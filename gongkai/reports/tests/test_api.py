"""Tests for the reports JSON API (scoped by organisation, same rules as the CLI)."""

import json
from pathlib import Path

import pytest

from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff
from gongkai.reports.models import Table2Figure

pytestmark = pytest.mark.django_db
SEED_001 = json.loads((Path(__file__).parent / "fixtures" / "seed_001.json").read_text())


def test_document_for_own_org_only(client, org_tree):
    client.force_login(staff(Role.CLERK, org_tree["own"]))
    response = client.get(f"/api/reports/document?org={org_tree['own'].code}&year=2022&check=true")
    assert response.status_code == 200
    body = response.json()
    assert body["format"] == "2021" and len(body["table3"]["rows"]) == 25 and body["findings"]
    assert client.get(f"/api/reports/document?org={org_tree['sibling'].code}&year=2022").status_code == 403


def test_check_any_document(client, org_tree):
    client.force_login(staff(Role.CLERK, org_tree["own"]))
    broken = json.loads(json.dumps(SEED_001))
    broken["table4"]["行政复议"]["总计"] = 3
    response = client.post("/api/reports/check", {"document": broken}, content_type="application/json")
    assert [f["code"] for f in response.json()] == ["table4_total"]


def test_figure_entry_and_bad_value(client, org_tree):
    org = org_tree["own"]
    client.force_login(staff(Role.CLERK, org))
    good = {
        "org": org.code,
        "year": 2022,
        "project": "行政许可",
        "indicator": "本年处理决定数量",
        "value": "8",
        "source": "审批局",
    }
    assert client.post("/api/reports/figures", good, content_type="application/json").status_code == 200
    bad = good | {"value": "-8"}
    response = client.post("/api/reports/figures", bad, content_type="application/json")
    assert response.status_code == 400 and "负数" in json.dumps(response.json(), ensure_ascii=False)
    assert Table2Figure.objects.get().value == 8


def test_anonymous_is_refused(client, org_tree):
    assert client.get(f"/api/reports/document?org={org_tree['own'].code}&year=2022").status_code == 401


def test_versions(client, org_tree):
    from gongkai.reports.tests.factories import ReportFactory

    ReportFactory(org=org_tree["own"], year=2022)
    client.force_login(staff(Role.CLERK, org_tree["own"]))
    body = client.get(f"/api/reports/versions?org={org_tree['own'].code}").json()
    assert [(r["year"], r["version"], r["status"]) for r in body] == [(2022, 1, "draft")]
