"""Extension of the reply period with the 负责人's consent (第三十三条第二款), under 双人审核 or not."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile

from gongkai.applications.clocks import MAX_EXTENSION_DAYS
from gongkai.applications.clocks import EventKind as ClockKind
from gongkai.core.actors import Actor, is_system
from gongkai.core.workflow import Move
from gongkai.orgs.duties import RULE, four_eyes, is_own_work
from gongkai.orgs.models import ExtensionApproval, Organisation
from gongkai.orgs.permissions import Action, can_for_applications

from ..attachments import SniffedFile, sniff_upload
from ..models import Application, Attachment, AttachmentPurpose
from .machine import take

# How the 负责人's consent to an extension is given (第三十三条第二款):
# "named" — the old behaviour (双人审核 off): the handler records the approver's name;
# "system" — the approver records the extension with their own account (REVIEW or MANAGE, not a handler);
# "upload" — the handler records it with the scanned 审批单 signed by the approver.
EXTENSION_NAMED = "named"


def extension_mode(org: Organisation) -> str:
    """Which consent the organisation requires for an extension: "named", "system" or "upload"."""
    if not four_eyes(org):
        return EXTENSION_NAMED
    return str(org.extension_approval or ExtensionApproval.SYSTEM)


def extension_handlers(application: Application) -> set[int]:
    """Who handles the application and so may not approve its extension: the 经办人 and who registered it."""
    handlers = {application.assignee_id} if application.assignee_id else set()
    registrar = (
        application.events.filter(kind=ClockKind.RECEIVED)
        .order_by("id")
        .values_list("actor_id", flat=True)
        .first()
    )
    if registrar:
        handlers.add(registrar)
    return handlers


def may_approve_extension(user: Any, application: Application) -> bool:
    """May ``user`` approve an extension of ``application`` in the system ("system" mode)?"""
    org = application.org
    if not (can_for_applications(user, Action.REVIEW, org) or can_for_applications(user, Action.MANAGE, org)):
        return False
    return not is_own_work(user, extension_handlers(application))


EXTENSION_SYSTEM_MESSAGE = (
    f"{RULE}延期须经政府信息公开工作机构负责人同意，"
    "由本申请经办人、登记人以外的审核人或公开办管理员在系统内批准。"
)

EXTENSION_UPLOAD_MESSAGE = f"{RULE}延期须上传经政府信息公开工作机构负责人签字的审批单。"


def _approval_file(upload: UploadedFile | SniffedFile | None) -> SniffedFile:
    if upload is None:
        raise ValidationError({"approval_file": EXTENSION_UPLOAD_MESSAGE})
    if isinstance(upload, SniffedFile):
        return upload
    try:
        return sniff_upload(upload)
    except ValidationError as exc:
        messages = exc.messages
        raise ValidationError({"approval_file": [m.replace("附件「", "审批单「") for m in messages]}) from exc


def extension_approve(
    *,
    actor: Actor,
    application: Application,
    days: int,
    approved_by: str = "",
    reason: str,
    date: dt.date | None = None,
    approval_file: UploadedFile | SniffedFile | None = None,
) -> Application:
    """Extend the reply period by ≤ 20 working days with the 工作机构负责人's consent (第三十三条第二款).

    How the consent is given depends on the organisation (:func:`extension_mode`): under 双人审核 either
    the approver records it in the system ("system": REVIEW or MANAGE, not the 经办人 or registrar; the
    approver's name is recorded), or the handler uploads the signed 审批单 ("upload": kept as an
    attachment of the application). With the rule off (or for system jobs) the approver's name suffices.
    """
    result: Application = take(application, "extend", actor=actor, days=days, approved_by=approved_by,
                               reason=reason, date=date, approval_file=approval_file)  # fmt: skip
    return result


OWN_CASE_MESSAGE = f"{RULE}不能批准自己经办或登记的申请的延期，请由其他审核人或公开办管理员批准。"


def refuse_unless_approver(actor: Actor, application: Application, message: str = OWN_CASE_MESSAGE) -> None:
    """Under 系统内审批 only a reviewer or 公开办管理员 who neither handles nor registered the application
    approves its extension (the workflow's four-eyes rule for ``extend``); system jobs always may."""
    if is_system(actor) or extension_mode(application.org) != ExtensionApproval.SYSTEM:
        return
    org = application.org
    if not (
        can_for_applications(actor, Action.REVIEW, org) or can_for_applications(actor, Action.MANAGE, org)
    ):
        raise PermissionDenied(EXTENSION_SYSTEM_MESSAGE)
    if is_own_work(actor, extension_handlers(application)):
        raise PermissionDenied(message)


def may_extend(actor: Actor, application: Application) -> bool:
    """The permission of the ``extend`` step: a handler (EDIT; the mode is enforced by
    :func:`refuse_unless_approver`), or under 系统内审批 an approver (else PermissionDenied with the reason)."""
    if can_for_applications(actor, Action.EDIT, application.org):
        return True
    if extension_mode(application.org) != ExtensionApproval.SYSTEM:
        return False
    refuse_unless_approver(actor, application)
    return True


def extend_step(move: Move) -> None:
    application, actor, p = move.obj, move.actor, move.params
    date, days, approved_by = p["date"], p.get("days"), p.get("approved_by") or ""
    mode = EXTENSION_NAMED if is_system(actor) else extension_mode(application.org)
    if mode == ExtensionApproval.SYSTEM:
        approved_by = getattr(actor, "full_name", "") or cast(Any, actor).get_username()
    if not (isinstance(days, int) and 1 <= days <= MAX_EXTENSION_DAYS):
        raise ValidationError({"days": f"延长期限应为 1 至 {MAX_EXTENSION_DAYS} 个工作日。"})
    if not approved_by.strip():
        raise ValidationError({"approved_by": "延期须经政府信息公开工作机构负责人同意，请填写批准人。"})
    if application.reply_due is not None and date > application.reply_due:
        raise ValidationError(
            {"date": f"答复期限（{application.reply_due.isoformat()}）已过，不能再决定延期。"}
        )
    data: dict[str, Any] = {
        "days": days,
        "approved_by": approved_by.strip(),
        "reason": (p.get("reason") or "").strip(),
    }
    if mode != EXTENSION_NAMED:
        data["approval"] = ExtensionApproval(mode).label
    sheet = _approval_file(p.get("approval_file")) if mode == ExtensionApproval.UPLOAD else None
    if sheet is not None:
        data["approval_file"] = sheet.name
    p.update(event_data=data, approval_sheet=sheet)


def keep_approval_sheet(move: Move) -> None:
    """After the extension is recorded: keep the signed 审批单 ("upload" mode) as an attachment."""
    sheet = move.params.get("approval_sheet")
    if sheet is not None:
        Attachment.objects.create(
            application=move.obj, purpose=AttachmentPurpose.EXTENSION_APPROVAL, **sheet.attachment_fields()
        )
