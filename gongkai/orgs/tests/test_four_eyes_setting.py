"""The per-organisation 双人审核 settings: edited by whoever manages the organisation (form and API), audited."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from gongkai.core.models import AuditAction, AuditEntry
from gongkai.orgs import services
from gongkai.orgs.forms import OrganisationForm
from gongkai.orgs.models import ExtensionApproval, Organisation, Role
from gongkai.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


def audit_rows(pk: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="orgs.organisation", object_id=str(pk)).order_by("id"))


def test_service_update_is_audited(org_tree):
    dept = org_tree["child"]
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    services.org_update(actor=admin, org=dept, four_eyes=False, extension_approval=ExtensionApproval.UPLOAD)
    dept.refresh_from_db()
    assert (dept.four_eyes, dept.extension_approval) == (False, ExtensionApproval.UPLOAD)
    [entry] = audit_rows(dept.pk)
    assert entry.action == AuditAction.UPDATE
    assert entry.changes == {"four_eyes": [True, False], "extension_approval": ["system", "upload"]}


def test_only_managers_may_change_it(org_tree):
    from django.core.exceptions import PermissionDenied

    dept = org_tree["child"]
    with pytest.raises(PermissionDenied):
        services.org_update(actor=staff(Role.REVIEWER, dept), org=dept, four_eyes=False)
    assert Organisation.objects.get(pk=dept.pk).four_eyes is True


def test_form_offers_both_settings_with_chinese_labels():
    form = OrganisationForm(parents=Organisation.objects.none())
    assert form.fields["four_eyes"].label == "双人审核"
    assert form.fields["extension_approval"].label == "延期审批方式"
    assert [label for _, label in form.fields["extension_approval"].choices] == ["系统内审批", "上传审批单"]


def test_edit_page_changes_the_settings(client, org_tree):
    dept = org_tree["child"]
    client.force_login(staff(Role.OFFICE_ADMIN, org_tree["own"]))
    data = {k: v for k, v in model_to_dict(dept).items() if v is not None and k not in ("four_eyes",)}
    data["extension_approval"] = ExtensionApproval.UPLOAD  # the checkbox left unticked: the rule off
    response = client.post(f"/admin/orgs/{dept.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dept.refresh_from_db()
    assert (dept.four_eyes, dept.extension_approval) == (False, ExtensionApproval.UPLOAD)
    assert audit_rows(dept.pk)[-1].changes["four_eyes"] == [True, False]


def test_api_shows_and_patches_the_settings(client, org_tree):
    dept = org_tree["child"]
    client.force_login(staff(Role.OFFICE_ADMIN, org_tree["own"]))
    out = client.get(f"/api/orgs/{dept.code}").json()
    assert (out["four_eyes"], out["extension_approval"], out["extension_approval_label"]) == (
        True,
        "system",
        "系统内审批",
    )
    response = client.patch(
        f"/api/orgs/{dept.code}",
        {"four_eyes": False, "extension_approval": "upload"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["four_eyes"], response.json()["extension_approval_label"]) == (
        False,
        "上传审批单",
    )
    response = client.patch(
        f"/api/orgs/{dept.code}", {"extension_approval": "other"}, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    client.force_login(staff(Role.REVIEWER, dept))
    response = client.patch(f"/api/orgs/{dept.code}", {"four_eyes": True}, content_type="application/json")
    assert response.status_code == 403
