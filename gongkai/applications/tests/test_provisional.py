"""The daily provisional-deadline check (issue 19): open applications whose deadline reaches a year whose
holiday arrangement is not loaded are told to their 公开办 (mail, audit row), the 系统管理员 are warned in
December that next year's arrangement is missing, the dashboard shows both, and loading the year clears it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.applications.provisional import check_provisional_deadlines
from gongkai.applications.services.machine import refresh_deadlines
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_verify
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff
from gongkai.workdays.services import arrangement_load
from gongkai.workdays.tests.factories import arrangement_2027

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
DECEMBER = D("2026-12-22")


@pytest.fixture
def provisional_case(register, office):
    """An application received 2026-12-21 (2027 is not loaded): its 20 working days reach 2027."""
    a = register("2026-11-20")
    Application.objects.filter(pk=a.pk).update(received_on=D("2026-12-21"))
    a.events.update(date=D("2026-12-21"))
    a.refresh_from_db()
    refresh_deadlines(a)
    a.save()
    assert a.deadline_provisional
    settled = register("2026-11-20")  # counted on known days only: not listed
    assert not settled.deadline_provisional
    office_admin = staff(Role.OFFICE_ADMIN, office["org"], email="gkb@example.gov.cn")
    system_admin = staff(Role.SYSTEM_ADMIN, office["org"], email="admin@example.gov.cn")
    return {"app": a, "settled": settled, "office_admin": office_admin, "system_admin": system_admin}


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("check_provisional_deadlines", *args, stdout=out)
    return out.getvalue()


def test_the_office_is_told_its_provisional_deadlines_and_the_admins_the_missing_year(
    provisional_case, office, django_capture_on_commit_callbacks
):
    a = provisional_case["app"]
    with django_capture_on_commit_callbacks(execute=True):
        out = _run("--date", DECEMBER.isoformat())
    assert f"公开办 {office['org'].code}：1 件期限暂定（{a.tracking_code}）" in out
    assert (
        "2027年节假日安排尚未载入" in out and "已提醒 1 个公开办：共 1 件申请期限暂定；发送 2 封邮件" in out
    )
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    to_office = by_recipient[("gkb@example.gov.cn",)]
    assert a.tracking_code in to_office.body and "（暂定）" in to_office.body
    assert provisional_case["settled"].tracking_code not in to_office.body
    assert "2027年节假日安排尚未载入" in by_recipient[("admin@example.gov.cn",)].subject
    # audited: one row for the office (codes and counts, no applicant data), one for the missing year
    office_row = AuditEntry.objects.get(object_type="applications.deadline_check")
    assert office_row.org_id == office["org"].pk
    assert office_row.changes == {"applications": [a.tracking_code], "recipients": 1}
    assert "张三" not in str(office_row.canonical())
    year_row = AuditEntry.objects.get(object_type="workdays.calendaryear", object_id="2027")
    assert year_row.changes == {"year": 2027, "recipients": 1}
    assert audit_verify(anchors=())[1] is None


def test_before_december_the_next_year_is_not_yet_missing(
    provisional_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = check_provisional_deadlines(actor=SYSTEM_TEST, today=D("2026-11-30"))
    assert result.missing_years == [] and result.applications == 1
    assert [m.to for m in mail.outbox] == [["gkb@example.gov.cn"]]


def test_an_office_without_a_public_office_admin_mails_its_clerks(
    provisional_case, office, django_capture_on_commit_callbacks
):
    provisional_case["office_admin"].memberships.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        check_provisional_deadlines(actor=SYSTEM_TEST, today=D("2026-11-30"))
    assert mail.outbox[0].to == [office["clerk"].email]


def test_a_dry_run_mails_nothing_and_writes_no_audit_row(provisional_case):
    before = AuditEntry.objects.count()
    out = _run("--date", DECEMBER.isoformat(), "--dry-run")
    assert "将提醒 1 个公开办：共 1 件申请期限暂定" in out and "2027年节假日安排尚未载入" in out
    assert mail.outbox == [] and AuditEntry.objects.count() == before


def test_loading_the_year_clears_the_list_and_the_warning(
    provisional_case, django_capture_on_commit_callbacks
):
    arrangement_load(arrangement=arrangement_2027(), actor=SYSTEM_TEST)
    provisional_case["app"].refresh_from_db()
    assert not provisional_case["app"].deadline_provisional  # recomputed by the load (services/deadlines.py)
    result = check_provisional_deadlines(actor=SYSTEM_TEST, today=DECEMBER, dry_run=True)
    assert result.applications == 0 and result.missing_years == []


def test_a_bad_date_is_a_chinese_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--date", "2026-12-32")


def test_the_dashboard_shows_the_count_and_the_missing_year(client, provisional_case, office, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: DECEMBER)
    client.force_login(office["clerk"])
    page = client.get("/admin/").content.decode()
    assert 'id="stat-provisional">1<' in page and "期限暂定" in page
    assert "2027年节假日安排尚未载入" in page and "/admin/workdays/" in page
    listed = client.get("/admin/applications/?status=open&provisional=on").content.decode()
    assert provisional_case["app"].tracking_code in listed
    assert provisional_case["settled"].tracking_code not in listed
    # an outsider sees no count (scoped like every staff list)
    client.force_login(office["outsider"])
    assert 'id="stat-provisional"' not in client.get("/admin/").content.decode()
