"""The staff application list (issue 18, defect 7): filters by 机关, 收到日期, 状态 and 逾期, overdue rows marked
in text, and the Excel export of exactly the filtered rows through the safe writer, scoped as the list."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.applications.models import Status
from gongkai.core.models import AuditEntry

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
LIST = reverse("applications:list")


@pytest.fixture
def rows(office, org_tree):
    dept = office["org"]
    return {
        "overdue": ApplicationFactory(org=dept, tracking_code="YS1", received_on=D("2026-01-05"),
                                      reply_due=D("2026-02-02"), applicant_name="=HYPERLINK(1)"),
        "due_later": ApplicationFactory(org=dept, tracking_code="YS2", received_on=D("2026-03-02"),
                                        reply_due=D("2099-03-30")),
        "closed": ApplicationFactory(org=dept, tracking_code="YS3", received_on=D("2026-02-10"), replied=True,
                                     reply_due=D("2026-03-09")),
        "other_county": ApplicationFactory(org=org_tree["sibling"], tracking_code="YS4",
                                           received_on=D("2026-01-06"), reply_due=D("2026-02-03")),
    }  # fmt: skip


def _codes(response):
    body = response.content.decode()
    return {code for code in ("YS1", "YS2", "YS3", "YS4") if f">{code}<" in body}


def test_filters_by_date_range_status_and_overdue(client, office, rows):
    client.force_login(office["clerk"])
    assert _codes(client.get(LIST)) == {"YS1", "YS2", "YS3"}
    assert _codes(client.get(LIST, {"received_from": "2026-02-01", "received_to": "2026-02-28"})) == {"YS3"}
    assert _codes(client.get(LIST, {"status": Status.REPLIED})) == {"YS3"}
    assert _codes(client.get(LIST, {"status": "open"})) == {"YS1", "YS2"}
    response = client.get(LIST, {"overdue": "on"})
    # the overdue row is marked in words, not by colour alone
    assert _codes(response) == {"YS1"} and 'class="is-overdue"' in response.content.decode()
    assert "已逾期</span>" in response.content.decode()


def test_filter_by_org_offers_only_the_users_organisations(client, office, rows, org_tree):
    client.force_login(office["clerk"])
    body = client.get(LIST).content.decode()
    assert f'value="{office["org"].code}"' in body and f'value="{org_tree["sibling"].code}"' not in body
    # a hand-typed code outside the scope is refused by the form, never widening the list
    response = client.get(LIST, {"org": org_tree["sibling"].code})
    assert "YS4" not in _codes(response)
    admin = office["county_admin"]
    client.force_login(admin)
    assert _codes(client.get(LIST, {"org": office["org"].code})) == {"YS1", "YS2", "YS3"}


def test_reversed_date_range_is_refused_in_chinese(client, office, rows):
    client.force_login(office["clerk"])
    body = client.get(LIST, {"received_from": "2026-03-01", "received_to": "2026-01-01"}).content.decode()
    assert "收到日期的起始日不能晚于截止日。" in body
    assert "Enter a valid date" not in client.get(LIST, {"received_from": "2026-13-01"}).content.decode()


def test_export_is_the_filtered_list_written_safely_and_audited(client, office, rows):
    client.force_login(office["clerk"])
    response = client.get(LIST, {"status": "open", "export": "xlsx"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "申请编号" and values[0][-1] == "是否逾期"
    assert sorted(r[0] for r in values[1:]) == ["YS1", "YS2"]
    overdue = next(r for r in values[1:] if r[0] == "YS1")
    assert overdue[-1] == "已逾期"
    # a name that looks like a formula stays text (the safe writer), never a formula cell
    cell = next(c for c in sheet["C"] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"
    assert AuditEntry.objects.filter(action="export").exists()


def test_export_masks_names_as_the_list_does_and_needs_a_login(client, office, rows):
    assert client.get(LIST, {"export": "xlsx"}).status_code == 302
    client.force_login(office["supervisor"])
    sheet = load_workbook(io.BytesIO(client.get(LIST, {"export": "xlsx"}).content)).active
    names = {r[2] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"（仅办理机关可见）"}
    # the 上级 sees the whole city (both counties); a clerk of the other county only that county's row
    assert {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)} == {"YS1", "YS2", "YS3", "YS4"}
    client.force_login(office["outsider"])
    sheet = load_workbook(io.BytesIO(client.get(LIST, {"export": "xlsx"}).content)).active
    assert {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)} == {"YS4"}
