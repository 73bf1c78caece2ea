"""Regression tests for the second red-team pass over the security fixes (findings N1–N7 and the two
code-reading findings): each reproduces the attack as it was reported and asserts it is refused."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from gongkai.accounts.models import ApiToken
from gongkai.accounts.services import api_token_create, api_token_user
from gongkai.catalog import attachments as catalog_attachments
from gongkai.catalog import services as catalog
from gongkai.catalog import workflow as catalog_workflow
from gongkai.catalog.tests.factories import draft_item
from gongkai.core import chain, uploads
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record, audit_verify
from gongkai.core.text import has_control_characters
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.orgs.services import membership_grant, org_update
from gongkai.orgs.tests.factories import TEST_PASSWORD, MembershipFactory, staff
from gongkai.reports import services as reports
from gongkai.reports import workflow as report_workflow
from gongkai.reports.definitions import SECTION_NUMBERS

pytestmark = pytest.mark.django_db


# --- N1: nobody locks another's account without its password -----------------------------------------


def test_n1_failures_from_one_address_do_not_lock_the_owner_elsewhere(org_tree):
    admin = staff(Role.SYSTEM_ADMIN, org_tree["own"], username="admin")
    attacker, owner = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.20")
    for _ in range(6):
        attacker.post("/admin/login/", {"username": "admin", "password": "wrong-password"})
    locked = attacker.post("/admin/login/", {"username": "admin", "password": TEST_PASSWORD})
    assert locked.status_code == 429  # that address is locked out of that account
    response = owner.post("/admin/login/", {"username": "admin", "password": TEST_PASSWORD})
    assert response.status_code == 302, "the owner, from another address, still signs in"
    assert admin.pk


# --- N2 / N3: spreadsheets that exhaust memory ------------------------------------------------------------


def _xlsx(sheet_xml: bytes) -> bytes:
    from gongkai.core.tests.test_uploads import xlsx_raw

    return xlsx_raw([sheet_xml])


def test_n3_cells_hidden_by_whitespace_or_prefix_are_counted():
    row = b'<row r="1">' + b'<c\tt="n"><v>1</v></c>' * 7 + b"</row>"
    with pytest.raises(uploads.UploadRefused, match="单元格"):
        uploads.check_xlsx(_xlsx(row * 3), max_cells=20)
    prefixed = b'<x:row r="1">' + b"<x:c><x:v>1</x:v></x:c>" * 7 + b"</x:row>"
    with pytest.raises(uploads.UploadRefused, match="单元格"):
        uploads.check_xlsx(_xlsx(prefixed * 3), max_cells=20)


def test_n3_a_row_of_cells_without_references_is_too_wide():
    row = b'<row r="1">' + b"<c><v>1</v></c>" * 101 + b"</row>"
    with pytest.raises(uploads.UploadRefused, match="列"):
        uploads.check_xlsx(_xlsx(row))


def test_n2_catalogue_attachment_with_a_giant_row_is_refused_before_parsing(org_tree, monkeypatch):
    # given a spreadsheet of one row of 5,000 cells (the reported file had 2,000,000; the guard is the same)
    data = _xlsx(b'<row r="1">' + b"<c><v>1</v></c>" * 5000 + b"</row>")

    def fail(*args, **kwargs):
        raise AssertionError("openpyxl must not be reached")

    monkeypatch.setattr("openpyxl.load_workbook", fail)
    item = draft_item(org_tree["own"])
    with pytest.raises(ValidationError, match="列"):
        catalog_attachments.attachment_add(actor=SYSTEM_TEST, item=item, name="预算表.xlsx", data=data)
    assert not item.attachments.exists()


# --- N4: editing someone else's draft makes you one of its drafters ----------------------------------------


def test_n4_editor_of_a_draft_cannot_pass_its_reviews(org_tree):
    org = org_tree["own"]
    clerk = staff(Role.CLERK, org)
    editor = staff(Role.CLERK, org)
    for role in (Role.SECRECY_REVIEWER, Role.REVIEWER):
        MembershipFactory(user=editor, org=org, role=role)
    item = draft_item(org, actor=clerk)
    catalog.item_update(actor=editor, item=item, title="改过的标题：关于政府信息公开工作制度的通知")
    item = catalog_workflow.item_transition(actor=clerk, item=item, step="submit")
    with pytest.raises(PermissionDenied, match="双人审核"):
        catalog_workflow.item_transition(actor=editor, item=item, step="secrecy_pass")


def test_n4_editor_of_a_report_cannot_approve_it(org_tree):
    org = org_tree["own"]
    clerk = staff(Role.CLERK, org)
    editor = staff(Role.CLERK, org)
    MembershipFactory(user=editor, org=org, role=Role.REVIEWER)
    report = reports.report_create(actor=clerk, org=org, year=2022)
    reports.report_update_sections(
        actor=editor, report=report, sections={SECTION_NUMBERS[0]: "<p>改写的总体情况。</p>"}
    )
    report = report_workflow.report_submit(actor=clerk, report=report)
    with pytest.raises(PermissionDenied, match="双人审核"):
        report_workflow.report_approve(actor=editor, report=report)


# --- N5 and the code-reading findings: acts on the people an organisation holds -----------------------------


def test_n5_office_admin_cannot_switch_off_the_rule_that_binds_them(org_tree):
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"])
    with pytest.raises(PermissionDenied, match="上级机构"):
        org_update(actor=gkb, org=org_tree["own"], four_eyes=False)
    # ... but may for a department below, and the 系统管理员 anywhere
    org_update(actor=gkb, org=org_tree["child"], four_eyes=False)
    org_update(actor=staff(Role.SYSTEM_ADMIN, org_tree["parent"]), org=org_tree["own"], four_eyes=False)
    assert not Organisation.objects.get(pk=org_tree["own"].pk).four_eyes


def test_office_admin_cannot_deactivate_or_move_an_org_holding_a_higher_role(org_tree):
    # given two 系统管理员 (so the last-admin invariant is not what refuses), one in the county
    staff(Role.SYSTEM_ADMIN, org_tree["parent"])
    staff(Role.SYSTEM_ADMIN, org_tree["own"])
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"])
    with pytest.raises(PermissionDenied, match="无权管理的人员"):
        org_update(actor=gkb, org=org_tree["own"], is_active=False)
    # a department with only clerks may be deactivated by the county office
    staff(Role.CLERK, org_tree["child"])
    org_update(actor=gkb, org=org_tree["child"], is_active=False)
    assert not Organisation.objects.get(pk=org_tree["child"].pk).is_active


# --- N6: anchoring is on without cron -----------------------------------------------------------------------


def test_n6_the_platform_anchors_by_itself_and_a_deleted_tail_is_found(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.GONGKAI_AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.log")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            audit_record(actor=SYSTEM_TEST, action="other", object_type="test", object_id=str(n))
    anchors = chain.read_anchors()
    assert [a.entry_id for a in anchors] == [1]  # the first row is anchored at once
    # deleting everything and moving the head is found through the anchor
    AuditEntry.objects.all()._raw_delete(AuditEntry.objects.db)
    from gongkai.core.models import AuditHead

    AuditHead.objects.update(last_entry_id=0, last_hash="0" * 64)
    _checked, problem = audit_verify()
    assert problem is not None and "锚点" in str(problem)


# --- N7: bidirectional formatting characters ------------------------------------------------------------


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u200f"])
def test_n7_bidi_characters_are_refused(client, org_tree, char):
    assert has_control_characters(f"测试{char}gnp.exe")
    clerk = staff(Role.CLERK, org_tree["own"])
    raw = api_token_create(actor=clerk, user=clerk)
    response = client.post(
        "/api/catalog/items",
        json.dumps({"org_code": org_tree["own"].code, "title": f"测试{char}gnp.exe"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code in (400, 422) and "控制字符" in json.dumps(
        response.json(), ensure_ascii=False
    )


# --- L4 edge: a token made before its owner became 系统管理员 ---------------------------------------------------


def test_l4_becoming_system_admin_revokes_tokens_made_without_second_factor(org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    raw = api_token_create(actor=clerk, user=clerk)
    membership_grant(actor=SYSTEM_TEST, user=clerk, org=org_tree["own"], role=Role.SYSTEM_ADMIN)
    assert api_token_user(raw) is None
    assert ApiToken.objects.get().revoked_at is not None
    assert Membership.objects.filter(user=clerk, role=Role.SYSTEM_ADMIN).exists()
