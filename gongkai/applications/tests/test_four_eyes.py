"""双人审核 on extensions of the reply period (第三十三条第二款: 经政府信息公开工作机构负责人同意).

Per organisation: 系统内审批 (a reviewer or 公开办管理员 other than the 经办人/登记人 approves with their own
account) or 上传审批单 (the handler uploads the signed approval sheet); with the rule off, the approver's
name suffices (the old behaviour).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications.clocks import EventKind
from gongkai.applications.models import Application, AttachmentPurpose, Letter
from gongkai.applications.services import extensions, steps
from gongkai.applications.vocab import LetterKind
from gongkai.catalog.tests.factories import pdf_with_text
from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs.models import ExtensionApproval, Organisation, Role
from gongkai.orgs.tests.factories import MembershipFactory, staff

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat

SYSTEM_MESSAGE = (
    "按本机关“双人审核”规定，延期须经政府信息公开工作机构负责人同意，"
    "由本申请经办人、登记人以外的审核人或公开办管理员在系统内批准。"
)
OWN_CASE_MESSAGE = (
    "按本机关“双人审核”规定，不能批准自己经办或登记的申请的延期，请由其他审核人或公开办管理员批准。"
)
UPLOAD_MESSAGE = "按本机关“双人审核”规定，延期须上传经政府信息公开工作机构负责人签字的审批单。"


def setting(org: Organisation, *, four_eyes: bool = True, mode: str = ExtensionApproval.SYSTEM) -> None:
    Organisation.objects.filter(pk=org.pk).update(four_eyes=four_eyes, extension_approval=mode)
    org.refresh_from_db()


def sheet(name: str = "延期审批单.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or pdf_with_text("2026-03-06"), content_type="application/pdf")


def extended(a: Application):
    return a.events.filter(kind=EventKind.EXTENDED).first()


def extend(actor, a: Application, **kw):
    params = dict(actor=actor, application=a, days=10, reason="需检索多个科室", date=D("2026-03-06"))
    params.update(kw)
    return extensions.extension_approve(**params)


# --- services --------------------------------------------------------------------------------------------


def test_defaults_are_on_and_system(office):
    org = office["org"]
    assert (org.four_eyes, org.extension_approval) == (True, ExtensionApproval.SYSTEM)
    assert extensions.extension_mode(org) == "system"


def test_system_mode_refuses_the_clerk_and_lets_a_reviewer_approve(office, register):
    a = register("2026-03-02")
    with pytest.raises(PermissionDenied) as exc:
        extend(office["clerk"], a, approved_by="李主任")
    assert str(exc.value) == SYSTEM_MESSAGE
    assert extended(a) is None
    reviewer = office["reviewer"]
    due_before = a.reply_due
    a = extend(reviewer, a)
    event = extended(a)
    assert event.actor == reviewer
    assert event.data["approved_by"] == reviewer.full_name and event.data["approval"] == "系统内审批"
    assert a.reply_due > due_before
    # the 延期答复告知书 is drafted even though the reviewer holds no EDIT (drafted by the system)
    assert a.letters.filter(kind=LetterKind.EXTENSION).count() == 1


def test_system_mode_the_office_admin_may_approve_but_not_own_case(office, register):
    admin = office["county_admin"]  # 公开办管理员 of the county: MANAGE over the department
    a = register("2026-03-02")
    assert extend(admin, a).status == "in_progress"
    # the same admin as 经办人 of another application may not approve its extension
    b = register("2026-03-02")
    steps.application_assign(actor=admin, application=b, assignee=admin)
    with pytest.raises(PermissionDenied) as exc:
        extend(admin, b)
    assert str(exc.value) == OWN_CASE_MESSAGE


def test_system_mode_the_registrar_may_not_approve(office, register):
    both = staff(Role.CLERK, office["org"])
    MembershipFactory(user=both, org=office["org"], role=Role.REVIEWER)
    a = register("2026-03-02", actor=both)
    with pytest.raises(PermissionDenied, match="不能批准自己经办或登记的申请的延期"):
        extend(both, a)
    assert extend(office["reviewer"], a).status == "in_progress"


def test_upload_mode_needs_the_signed_sheet(office, register):
    setting(office["org"], mode=ExtensionApproval.UPLOAD)
    a = register("2026-03-02")
    clerk = office["clerk"]
    with pytest.raises(ValidationError) as exc:
        extend(clerk, a, approved_by="李主任")
    assert exc.value.message_dict == {"approval_file": [UPLOAD_MESSAGE]}
    with pytest.raises(ValidationError) as exc:
        extend(clerk, a, approved_by="李主任", approval_file=sheet("审批单.pdf", b"just text"))
    assert list(exc.value.message_dict) == ["approval_file"]
    assert "审批单「审批单.pdf」" in exc.value.message_dict["approval_file"][0]
    assert extended(a) is None and not a.attachments.exists()
    a = extend(clerk, a, approved_by="李主任", approval_file=sheet())
    event = extended(a)
    assert event.data["approved_by"] == "李主任" and event.data["approval_file"] == "延期审批单.pdf"
    assert event.data["approval"] == "上传审批单"
    stored = a.attachments.get()
    assert (stored.purpose, stored.content_type) == (AttachmentPurpose.EXTENSION_APPROVAL, "application/pdf")


def test_upload_mode_still_needs_the_approvers_name(office, register):
    setting(office["org"], mode=ExtensionApproval.UPLOAD)
    a = register("2026-03-02")
    with pytest.raises(ValidationError, match="请填写批准人"):
        extend(office["clerk"], a, approval_file=sheet())


def test_rule_off_keeps_the_named_approver(office, register):
    setting(office["org"], four_eyes=False)
    a = register("2026-03-02")
    a = extend(office["clerk"], a, approved_by="李主任")
    assert extended(a).data == {"days": 10, "approved_by": "李主任", "reason": "需检索多个科室"}


def test_system_actor_is_never_refused(office, register):
    a = register("2026-03-02")
    assert extend(SYSTEM_TEST, a, approved_by="李主任").status == "in_progress"


# --- the back office -----------------------------------------------------------------------------------


def _post(client, a: Application, data: dict, files: dict | None = None):
    url = reverse("applications:act", args=[a.pk, "extend"])
    payload = {f"extend-{k}": v for k, v in {**data, **(files or {})}.items()}
    return client.post(url, payload)


FORM = {"days": "10", "reason": "需检索多个科室", "date": "2026-03-06"}


def test_view_system_mode_reviewer_sees_and_uses_the_form_clerk_gets_the_message(client, office, register):
    a = register("2026-03-02")
    client.force_login(office["clerk"])
    response = _post(client, a, FORM)
    assert response.status_code == 200
    assert SYSTEM_MESSAGE in response.content.decode()
    assert extended(a) is None
    client.force_login(office["reviewer"])
    page = client.get(reverse("applications:detail", args=[a.pk])).content.decode()
    assert "延期答复" in page and "extend-approved_by" not in page
    response = _post(client, a, FORM)
    assert response.status_code == 302
    assert extended(a).actor == office["reviewer"]


def test_view_reviewer_gets_no_other_handling_forms(client, office, register):
    a = register("2026-03-02")
    client.force_login(office["reviewer"])
    response = client.post(reverse("applications:act", args=[a.pk, "reply"]), {"reply-outcome": "1"})
    assert response.status_code == 403


def test_view_upload_mode(client, office, register):
    setting(office["org"], mode=ExtensionApproval.UPLOAD)
    a = register("2026-03-02")
    client.force_login(office["clerk"])
    page = client.get(reverse("applications:detail", args=[a.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page and "extend-approval_file" in page
    response = _post(client, a, {**FORM, "approved_by": "李主任"})
    assert response.status_code == 200
    assert "请上传经政府信息公开工作机构负责人签字的延期审批单。" in response.content.decode()
    response = _post(
        client, a, {**FORM, "approved_by": "李主任"}, {"approval_file": sheet("审批单.txt", b"x")}
    )
    assert response.status_code == 200 and "文件类型不受支持" in response.content.decode()
    assert extended(a) is None
    response = _post(client, a, {**FORM, "approved_by": "李主任"}, {"approval_file": sheet()})
    assert response.status_code == 302
    assert extended(a).data["approval_file"] == "延期审批单.pdf"
    assert a.attachments.filter(purpose=AttachmentPurpose.EXTENSION_APPROVAL).count() == 1


def test_view_rule_off_clerk_names_the_approver(client, office, register):
    setting(office["org"], four_eyes=False)
    a = register("2026-03-02")
    client.force_login(office["clerk"])
    response = _post(client, a, {**FORM, "approved_by": "李主任"})
    assert response.status_code == 302
    assert extended(a).data["approved_by"] == "李主任"


# --- the API -------------------------------------------------------------------------------------------


def _event(client, a: Application, **data):
    body = {"kind": "extended", "date": "2026-03-06", "days": 10, "reason": "需检索", **data}
    return client.post(f"/api/applications/{a.tracking_code}/events", body, content_type="application/json")


def test_api_system_mode(client, office, register):
    a = register("2026-03-02")
    client.force_login(office["clerk"])
    response = _event(client, a, approved_by="李主任")
    assert response.status_code == 403 and response.json()["detail"] == SYSTEM_MESSAGE
    client.force_login(office["reviewer"])
    response = _event(client, a)
    assert response.status_code == 201, response.content
    assert extended(a).data["approval"] == "系统内审批"


def test_api_upload_mode_multipart(client, office, register):
    setting(office["org"], mode=ExtensionApproval.UPLOAD)
    a = register("2026-03-02")
    client.force_login(office["clerk"])
    response = _event(client, a, approved_by="李主任")  # JSON cannot carry the sheet
    assert response.status_code == 400
    assert response.json()["errors"] == {"approval_file": [UPLOAD_MESSAGE]}
    url = f"/api/applications/{a.tracking_code}/extension"
    form = {"days": "10", "reason": "需检索", "approved_by": "李主任", "date": "2026-03-06"}
    response = client.post(url, form)
    assert response.status_code == 400
    assert response.json()["errors"] == {"approval_file": [UPLOAD_MESSAGE]}
    response = client.post(url, {**form, "approval_file": sheet()})
    assert response.status_code == 201, response.content
    assert extended(a).data["approval_file"] == "延期审批单.pdf"


def test_api_extension_endpoint_in_system_mode(client, office, register):
    a = register("2026-03-02")
    client.force_login(office["reviewer"])
    response = client.post(
        f"/api/applications/{a.tracking_code}/extension",
        {"days": "5", "reason": "需检索", "date": "2026-03-06"},
    )
    assert response.status_code == 201, response.content
    assert extended(a).data["approved_by"] == office["reviewer"].full_name
    assert Letter.objects.filter(application=a, kind=LetterKind.EXTENSION).exists()
