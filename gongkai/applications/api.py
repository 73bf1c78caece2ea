"""JSON API of 依申请公开: public submit and status; staff register, events, reply, remedies (same services)."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from gongkai.core.abuse import release_submission, reserve_submission
from gongkai.core.params import Limit, Offset
from gongkai.orgs.permissions import Action, can_for_applications
from gongkai.orgs.selectors import org_by_code

from .clocks.remedy import PENDING, RemedyAnswer
from .models import Application, RemedyCase
from .public_texts import public_outcome
from .schemas import (
    ApplicationOut,
    DueOut,
    EventFields,
    EventOut,
    ExtensionIn,
    PublicStatusOut,
    PublicSubmitIn,
    PublicSubmitOut,
    RegisterIn,
    RemedyIn,
    RemedyOut,
    ReplyIn,
    StatusIn,
)
from .selectors import (
    FEE_DELIVERY_PENDING,
    applicant_view,
    applications_for,
    challengeable_letters,
    consultation_delivery_pending,
    due_soon_and_overdue,
    fee_delivery_pending,
    letter_choice_label,
    remedies_for,
    remedy_answer_of,
)
from .services import extensions, intake, remedies, replies
from .status_lookup import public_status_lookup
from .workflow import STEPS_BY_KIND, WORKFLOW

router = Router(tags=["依申请公开"])


# The event kinds the API accepts: the workflow's steps whose input is ``EventFields``, in the table's order.
EVENT_KINDS = tuple(STEPS_BY_KIND)


class EventIn(EventFields):
    """One event: the fields each kind needs (see the staff page for their meaning)."""

    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]


def _app_out(request: HttpRequest, a: Application) -> dict[str, Any]:
    return {
        "tracking_code": a.tracking_code,
        "org_code": a.org.code,
        "status": a.status,
        "status_label": a.get_status_display(),
        "channel": a.channel,
        "received_on": a.received_on,
        "applicant_type": a.applicant_type,
        "applicant_name": applicant_view(request.user, a).name,
        "info_title": a.info_title,
        "reply_due": a.reply_due,
        "deadline_provisional": a.deadline_provisional,
        "deadline_steps": a.deadline_steps,
        "fee_due": a.fee_due,
        "fee_delivery": FEE_DELIVERY_PENDING if fee_delivery_pending(a) else "",
        "consultation_delivery": FEE_DELIVERY_PENDING if consultation_delivery_pending(a) else "",
        "outcome": a.outcome,
        "outcome_label": a.outcome_label,
        "outcome_text": public_outcome(a.outcome, a.basis),
        "closed_on": a.closed_on,
    }


def _remedy_out(c: RemedyCase) -> dict[str, Any]:
    return {
        "id": c.pk,
        "org_code": c.org.code,
        "kind": c.kind,
        "filed_on": c.filed_on,
        "body": c.body,
        "case_number": c.case_number,
        "result": c.result,
        "closed_on": c.closed_on,
        "application_code": c.application.tracking_code if c.application else "",
        "copy_received_on": c.copy_received_on,
        "simple_procedure": c.simple_procedure,
        "answer_submitted_on": c.answer_submitted_on,
        "challenged_letter_id": c.challenged_letter_id,
        "challenged_letter": letter_choice_label(c.challenged_letter) if c.challenged_letter else "",
        **_answer_out(remedy_answer_of(c)),
    }


def _answer_out(answer: RemedyAnswer) -> dict[str, Any]:
    if answer.due is None:
        state = PENDING
    elif answer.submitted_on is not None:
        state = "已按期提交" if answer.on_time else "逾期提交"
    else:
        state = "已逾期" if answer.overdue else "未提交"
    return {
        "answer_label": answer.label,
        "answer_due": answer.due.due if answer.due else None,
        "answer_state": state,
        "answer_provisional": bool(answer.due and answer.due.provisional),
        "answer_steps": list(answer.steps),
        "answer_warnings": list(answer.warnings),
    }


def _org(code: str, user: Any, action: Action = Action.EDIT) -> Any:
    org = org_by_code(code)
    if org is None or not can_for_applications(user, action, org):
        raise PermissionDenied(f"机构「{code}」不存在或您无权操作。")
    return org


def _application(request: HttpRequest, code: str) -> Application:
    a = applications_for(request.user).filter(tracking_code=code).first()
    if a is None:
        raise PermissionDenied(f"申请「{code}」不存在或您无权查看。")
    return a


# --- public --------------------------------------------------------------------------------------


@router.post(
    "/public/{org_code}", auth=None, response={201: PublicSubmitOut, 429: dict}, summary="公众在线提交申请"
)
def public_submit(request: HttpRequest, org_code: str, payload: PublicSubmitIn) -> Any:
    org = org_by_code(org_code)
    if org is None or not org.is_active:
        raise ValidationError({"org_code": f"机构「{org_code}」不存在。"})
    if not reserve_submission(request):
        return Status(429, {"detail": "提交过于频繁，请稍后再试。"})
    try:
        a, secret = intake.application_submit_public(
            org=org,
            applicant=payload.applicant,
            request=payload.request,
        )
    except Exception:
        release_submission(request)
        raise
    return Status(201, {"tracking_code": a.tracking_code, "secret": secret, "received_on": a.received_on})


@router.post(
    "/public-status",
    auth=None,
    response={200: PublicStatusOut, 429: dict},
    summary="公众查询办理进度（申请编号＋查询码；与查询页面共用失败次数限制）",
)
def public_status(request: HttpRequest, payload: StatusIn) -> Any:
    found = public_status_lookup(request, payload.tracking_code, payload.secret)
    if found.blocked:
        return Status(429, {"detail": found.error})
    a = found.application
    if a is None:
        raise PermissionDenied(found.error)
    return {
        "tracking_code": a.tracking_code,
        "org_name": a.org.name,
        "info_title": a.info_title,
        "received_on": a.received_on,
        "status": a.status,
        "status_label": a.get_status_display(),
        "reply_due": a.reply_due if a.is_open else None,
        "outcome": a.outcome,
        "outcome_label": a.outcome_label,
        "outcome_text": public_outcome(a.outcome, a.basis),
        "closed_on": a.closed_on,
    }


# --- staff ----------------------------------------------------------------------------------------


@router.get("", response=list[ApplicationOut], summary="申请列表（按机构权限）")
def application_list(
    request: HttpRequest, status: str = "", org: str = "", limit: Limit = 100, offset: Offset = 0
) -> list[Any]:
    qs = applications_for(request.user, status=status, org_code=org)
    return [_app_out(request, a) for a in qs[offset : offset + limit]]


@router.get("/due", response=list[DueOut], summary="逾期和即将到期的申请")
def due(request: HttpRequest) -> list[dict[str, Any]]:
    summary = due_soon_and_overdue(request.user)
    return [
        {"tracking_code": i.application.tracking_code, "what": i.what, "due": i.due, "overdue": i.overdue}
        for i in summary.overdue + summary.due_soon
    ] + [
        {
            "tracking_code": r.case.application.tracking_code if r.case.application else "",
            "what": r.what,
            "due": r.due,
            "overdue": r.overdue,
            "remedy_id": r.case.pk,
        }
        for r in summary.remedy_answers
    ]


@router.post("", response={201: ApplicationOut}, summary="登记申请（工作人员，任一渠道，第三十一条）")
def register(request: HttpRequest, payload: RegisterIn) -> Any:
    a = intake.application_register(
        actor=request.user,
        org=_org(payload.org_code, request.user),
        channel=payload.channel,
        channel_note=payload.channel_note,
        submitted_on=payload.submitted_on,
        signed_for_on=payload.signed_for_on,
        confirmed_on=payload.confirmed_on,
        applicant=payload.applicant,
        request=payload.request,
    )
    return Status(201, _app_out(request, a))


@router.get("/remedies", response=list[RemedyOut], summary="行政复议、行政诉讼案件")
def remedy_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_remedy_out(c) for c in remedies_for(request.user)[:500]]


@router.post("/remedies", response={201: RemedyOut}, summary="登记行政复议、行政诉讼案件")
def remedy_create(request: HttpRequest, payload: RemedyIn) -> Any:
    org = _org(payload.org_code, request.user)
    application = None
    if payload.application_code:
        application = Application.objects.filter(org=org, tracking_code=payload.application_code).first()
        if application is None:
            raise ValidationError({"application_code": f"没有编号为「{payload.application_code}」的申请。"})
    data = payload.model_dump(exclude={"org_code", "application_code", "challenged_letter_id"})
    letter = None
    if payload.challenged_letter_id is not None:
        letter = (
            challengeable_letters(application.pk if application else None)
            .filter(pk=payload.challenged_letter_id)
            .first()
        )
        if letter is None:
            raise ValidationError({"challenged_letter_id": "所选文书不是所关联申请已出具的文书。"})
    case = remedies.remedy_create(
        actor=request.user, org=org, application=application, challenged_letter=letter, **data
    )
    return Status(201, _remedy_out(case))


@router.get("/{code}", response=ApplicationOut, summary="申请详情（含期限及计算说明）")
def application_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return _app_out(request, _application(request, code))


@router.get("/{code}/events", response=list[EventOut], summary="办理记录")
def event_list(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    a = _application(request, code)
    return [
        {"kind": e.kind, "kind_label": e.get_kind_display(), "date": e.date, "data": e.data, "note": e.note}
        for e in a.events.all()
    ]


@router.post(
    "/{code}/events",
    response={201: ApplicationOut},
    summary="记录办理事件（补正、征求意见、延期、说明理由与延迟答复（第三十五条）、收费及其送达、撤回、办结）",
)
def event_create(request: HttpRequest, code: str, payload: EventIn) -> Any:
    a = _application(request, code)
    step = STEPS_BY_KIND[payload.kind]
    for field, message in step.required:
        if getattr(payload, field) is None:
            raise ValidationError({field: message})
    params = {name: getattr(payload, name) for name in step.fields if name in EventFields.model_fields}
    WORKFLOW.transition(actor=request.user, obj=a, step=step, **params)
    a.refresh_from_db()
    return Status(201, _app_out(request, a))


@router.post(
    "/{code}/extension",
    response={201: ApplicationOut},
    summary="延期答复（第三十三条第二款）：按本机关的延期审批方式，由审核人在系统内批准或上传签字的审批单",
)
def extension(
    request: HttpRequest,
    code: str,
    payload: Form[ExtensionIn],
    approval_file: UploadedFile | None = File(None),  # noqa: B008
) -> Any:
    """Multipart form: ``days``, ``reason``, ``approved_by`` (not under 系统内审批), ``date``, ``approval_file``
    (the signed 审批单, required under 上传审批单)."""
    a = _application(request, code)
    extensions.extension_approve(
        actor=request.user, application=a, approval_file=approval_file, **payload.model_dump()
    )
    a.refresh_from_db()
    return Status(201, _app_out(request, a))


@router.post("/{code}/reply", response=ApplicationOut, summary="答复（一个办理结果＝表三一行）")
def reply(request: HttpRequest, code: str, payload: ReplyIn) -> dict[str, Any]:
    referral = None
    if payload.referral_org_code:
        referral = org_by_code(payload.referral_org_code)
        if referral is None:
            raise ValidationError({"referral_org_code": "找不到该机构代码对应的机构。"})
    a = replies.application_reply(
        actor=request.user,
        application=_application(request, code),
        referral_org=referral,
        **payload.model_dump(exclude={"referral_org_code"}),
    )
    return _app_out(request, a)
