"""JSON API of 依申请公开: public submit and status; staff register, events, reply, remedies (same services)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status, UploadedFile
from pydantic import Field

from gongkai.core.params import Limit, Offset
from gongkai.core.schemas import InputSchema
from gongkai.orgs.permissions import Action, can
from gongkai.orgs.selectors import org_by_code
from gongkai.workdays.clocks import Consulted

from .models import Application, FeeNotice, RemedyCase
from .selectors import (
    FEE_DELIVERY_PENDING,
    applicant_view,
    applications_for,
    consultation_delivery_pending,
    due_soon_and_overdue,
    fee_delivery_pending,
    remedies_for,
)
from .services import consultations, extensions, fee_notices, intake, remedies, replies, steps
from .status_lookup import public_status_lookup
from .views import _count_submission, _rate_limited
from .vocab import (
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryMethod,
    FeeMethod,
    IdType,
    RemedyKind,
    RemedyResult,
    ReplyBasis,
)

router = Router(tags=["依申请公开"])


class ApplicantIn(InputSchema):
    applicant_type: ApplicantType
    name: str
    id_type: IdType | Literal[""] = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    contact_person: str = ""


class RequestIn(InputSchema):
    info_title: str
    info_doc_number: str = ""
    info_description: str = ""
    delivery_form: DeliveryForm = DeliveryForm.ELECTRONIC
    delivery_method: DeliveryMethod = DeliveryMethod.EMAIL


class PublicSubmitIn(InputSchema):
    applicant: ApplicantIn
    request: RequestIn


class PublicSubmitOut(Schema):
    tracking_code: str
    secret: str
    received_on: dt.date


class StatusIn(InputSchema):
    tracking_code: str
    secret: str


class PublicStatusOut(Schema):
    tracking_code: str
    org_name: str
    info_title: str
    received_on: dt.date
    status: str
    status_label: str
    reply_due: dt.date | None
    outcome: str
    outcome_label: str
    closed_on: dt.date | None


class RegisterIn(InputSchema):
    org_code: str
    channel: Channel
    channel_note: str = ""
    submitted_on: dt.date | None = None
    signed_for_on: dt.date | None = None
    confirmed_on: dt.date | None = None
    applicant: ApplicantIn
    request: RequestIn


class EventOut(Schema):
    kind: str
    kind_label: str
    date: dt.date
    data: dict[str, Any]
    note: str


class ApplicationOut(Schema):
    tracking_code: str
    org_code: str
    status: str
    status_label: str
    channel: str
    received_on: dt.date
    applicant_type: str
    applicant_name: str
    info_title: str
    reply_due: dt.date | None
    deadline_provisional: bool
    deadline_steps: list[str]
    fee_due: dt.date | None
    fee_delivery: str = Field(
        description="“待确认送达”：收费通知已发出，申请人收到日期尚未确认，缴费期限尚未起算"
    )
    consultation_delivery: str = Field(
        "", description="“待确认送达”：征求意见书已发出，对方收到日期尚未确认，答复期限暂停计算"
    )
    outcome: str
    outcome_label: str
    closed_on: dt.date | None


class EventIn(InputSchema):
    """One event: the fields each kind needs (see the staff page for their meaning)."""

    kind: Literal[
        "correction_requested",
        "correction_received",
        "abandoned",
        "consultation_sent",
        "consultation_delivered",
        "consultation_answered",
        "extended",
        "reasons_requested",
        "reasons_given",
        "reply_deadline_set",
        "fee_notice_sent",
        "fee_notice_delivered",
        "fee_paid",
        "fee_unpaid",
        "withdrawn",
        "closed",
    ]
    date: dt.date | None = None
    items: str = ""
    until: dt.date | None = None
    party: str = ""
    consulted: Consulted = Consulted.THIRD_PARTY
    lead_confirmed: bool = Field(
        False,
        description="共同制作机关（第三十四条）：确认该信息由本机关与对方共同制作、本机关为牵头制作机关",
    )
    delivered: dt.date | None = None
    objected: bool = Field(False, description="收到第三方答复时：第三方不同意公开（第三十二条）")
    days: int = 0
    approved_by: str = ""
    reason: str = ""
    method: FeeMethod | None = None
    pages: int = Field(0, ge=0, le=1_000_000)
    delivery: FeeNotice.Delivery = FeeNotice.Delivery.IN_PERSON
    received_on: dt.date | None = None
    note: str = ""


class ExtensionIn(InputSchema):
    days: int
    reason: str = ""
    approved_by: str = ""
    date: dt.date | None = None


class ReplyIn(InputSchema):
    """One 表三 row and what its letter must state (see the staff reply form)."""

    outcome: str
    summary: str = Field("", description="答复要点或理由：部分公开、不予公开、不属于本机关负责公开的必填")
    basis: ReplyBasis | Literal[""] = Field(
        "",
        description="答复依据：予以公开可选已经主动公开；本机关不掌握相关政府信息必选（信息不存在或者不属于本机关负责公开）",
    )
    withheld_grounds: list[str] = Field(
        default_factory=list, description="部分公开时不予公开部分所依据的情形（表三（三）1至7的行号）"
    )
    access_route: str = Field("", description="已经主动公开的信息的获取方式、途径")
    other_procedure: str = Field("", description="属于行政查询事项时应当依照办理的其他法定查询途径")
    referral_org_code: str = Field("", description="负责公开的行政机关在本平台的机构代码（可选）")
    referral_name: str = ""
    referral_contact: str = ""
    date: dt.date | None = None


class RemedyIn(InputSchema):
    org_code: str
    kind: RemedyKind
    filed_on: dt.date
    body: str = ""
    case_number: str = ""
    result: RemedyResult = RemedyResult.PENDING
    closed_on: dt.date | None = None
    application_code: str = ""
    note: str = ""


class RemedyOut(Schema):
    id: int
    org_code: str
    kind: str
    filed_on: dt.date
    body: str
    case_number: str
    result: str
    closed_on: dt.date | None
    application_code: str


class DueOut(Schema):
    tracking_code: str
    what: str
    due: dt.date
    overdue: bool


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
    }


def _org(code: str, user: Any, action: Action = Action.EDIT) -> Any:
    org = org_by_code(code)
    if org is None or not can(user, action, org):
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
    if _rate_limited(request):
        return Status(429, {"detail": "提交过于频繁，请稍后再试。"})
    a, secret = intake.application_submit_public(
        org=org,
        applicant=intake.ApplicantData(**payload.applicant.model_dump()),
        request=intake.RequestData(**payload.request.model_dump()),
    )
    _count_submission(request)
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
        applicant=intake.ApplicantData(**payload.applicant.model_dump()),
        request=intake.RequestData(**payload.request.model_dump()),
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
    data = payload.model_dump(exclude={"org_code", "application_code"})
    case = remedies.remedy_create(actor=request.user, org=org, application=application, **data)
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
    u, p, day = request.user, payload, payload.date
    kind = p.kind
    if kind == "correction_requested":
        if p.until is None:
            raise ValidationError({"until": "请填写补正期限。"})
        steps.correction_request(actor=u, application=a, items=p.items, until=p.until, date=day)
    elif kind == "correction_received":
        steps.correction_receive(actor=u, application=a, date=day, note=p.note)
    elif kind == "abandoned":
        steps.correction_abandoned(actor=u, application=a, date=day)
    elif kind == "consultation_sent":
        consultations.consultation_send(
            actor=u, application=a, party=p.party, consulted=p.consulted, date=day, delivered=p.delivered,
            lead_confirmed=p.lead_confirmed,
        )  # fmt: skip
    elif kind == "consultation_delivered":
        if p.delivered is None:
            raise ValidationError({"delivered": "请填写对方收到征求意见书的日期。"})
        consultations.consultation_delivery(
            actor=u, application=a, party=p.party, delivered=p.delivered, note=p.note
        )
    elif kind == "consultation_answered":
        consultations.consultation_answer(
            actor=u, application=a, party=p.party, date=day, note=p.note, objected=p.objected
        )
    elif kind == "extended":
        extensions.extension_approve(
            actor=u, application=a, days=p.days, approved_by=p.approved_by, reason=p.reason, date=day
        )
    elif kind == "reasons_requested":
        steps.reasons_request(actor=u, application=a, until=p.until, date=day, note=p.note)
    elif kind == "reasons_given":
        steps.reasons_receive(actor=u, application=a, date=day, note=p.note)
    elif kind == "reply_deadline_set":
        if p.until is None:
            raise ValidationError({"until": "请填写延迟答复期限。"})
        steps.reply_delay_set(actor=u, application=a, until=p.until, reason=p.reason, date=day)
    elif kind == "fee_notice_sent":
        if p.method is None:
            raise ValidationError({"method": "请选择计收方式。"})
        fee_notices.fee_notify(
            actor=u,
            application=a,
            method=p.method,
            pages=p.pages,
            date=day,
            delivery=p.delivery,
            received_on=p.received_on,
        )
    elif kind == "fee_notice_delivered":
        if p.received_on is None:
            raise ValidationError({"received_on": "请填写申请人收到收费通知的日期。"})
        fee_notices.fee_notice_receipt(actor=u, application=a, received_on=p.received_on, note=p.note)
    elif kind == "fee_paid":
        fee_notices.fee_paid(actor=u, application=a, date=day)
    elif kind == "fee_unpaid":
        fee_notices.fee_unpaid(actor=u, application=a, date=day)
    elif kind == "withdrawn":
        steps.application_withdraw(actor=u, application=a, date=day, note=p.note)
    else:
        steps.application_close(actor=u, application=a, date=day)
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
        actor=request.user,
        application=a,
        days=payload.days,
        approved_by=payload.approved_by,
        reason=payload.reason,
        date=payload.date,
        approval_file=approval_file,
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
        outcome=payload.outcome,
        summary=payload.summary,
        date=payload.date,
        basis=payload.basis,
        withheld_grounds=payload.withheld_grounds,
        access_route=payload.access_route,
        other_procedure=payload.other_procedure,
        referral_org=referral,
        referral_name=payload.referral_name,
        referral_contact=payload.referral_contact,
    )
    return _app_out(request, a)
