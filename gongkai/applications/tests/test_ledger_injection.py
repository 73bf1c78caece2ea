"""Finding H1: text from the public form must never become a live formula in a ledger export."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.applications.ledger import export_applications, import_applications
from gongkai.applications.models import Application
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.tests.export_checks import DDE, HYPERLINK, assert_escaped_csv, assert_no_formula_xlsx

pytestmark = pytest.mark.django_db


def _submit_publicly(client, org, name=HYPERLINK, title=DDE):
    response = client.post(
        f"/api/applications/public/{org.code}",
        {
            "applicant": {
                "applicant_type": "natural",
                "name": name,
                "id_type": "resident_id",
                "id_number": "11010519491231002X",
                "phone": "13700000000",
                "email": "z@example.org",
            },
            "request": {"info_title": title},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()["tracking_code"]


def test_h1_formula_from_public_api_not_live_in_ledger_xlsx_and_csv(client, office):
    # given an anonymous submission whose name and title are spreadsheet formulas
    org = office["org"]
    code = _submit_publicly(client, org)
    stored = Application.objects.get(tracking_code=code)
    assert (stored.applicant_name, stored.info_title) == (HYPERLINK, DDE)  # kept as typed
    # when the org's clerk (经办人) exports the ledger through the download links
    client.force_login(office["clerk"])
    exports = {}
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse("applications:ledger_export", args=[org.code, "applications", fmt]))
        assert response.status_code == 200
        exports[fmt] = response.content
    # then the XLSX holds them as text cells (no formula element at all) and the CSV escaped with "'"
    assert_no_formula_xlsx(exports["xlsx"], (HYPERLINK, DDE))
    assert_escaped_csv(exports["csv"], (HYPERLINK, DDE))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_ledger_with_formula_text_round_trips(client, office, fmt):
    # given publicly submitted applications whose text begins with "=", "+", "-", "@" (and, for CSV, "'=")
    org = office["org"]
    texts = [
        (HYPERLINK, DDE),
        ("+86 张三", "-某规划"),
        ("@李四", "=1+1"),
    ]  # (a leading TAB is trimmed by the importer)
    if fmt == "csv":  # in an XLSX a leading "'" before "=" is read as the CSV escape (core/README.md)
        texts.append(("赵六", "'=既有引号"))
    for name, title in texts:
        _submit_publicly(client, org, name, title)
    before = set(Application.objects.values_list("id", flat=True))
    # when the ledger is exported and imported back
    result = import_applications(
        actor=SYSTEM_TEST, org=org, data=export_applications(org=org, fmt=fmt), filename=f"a.{fmt}"
    )
    # then the new rows carry exactly the same text
    assert result.ok, result.summary()
    again = Application.objects.exclude(id__in=before).order_by("id")
    assert [(a.applicant_name, a.info_title) for a in again] == texts
