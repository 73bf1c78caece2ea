"""Input and output schemas of the 依申请公开 API. ``EventFields`` is the input of every event step
(``applications.workflow``: the API's ``kind`` values are the events of the steps whose schema it is)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from gongkai.applications.clocks import Consulted
from gongkai.core.schemas import InputSchema

from .models import FeeNotice
from .services.intake import ApplicantData, RequestData
from .vocab import Channel, FeeMethod, RemedyKind, RemedyResult, ReplyBasis


class PublicSubmitIn(InputSchema):
    """The public submission: the applicant and the information sought, as the service takes them."""

    applicant: ApplicantData
    request: RequestData


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
    outcome_label: str  # the 表三 row label (statistics)
    outcome_text: str  # the result in the applicant's words, as on the status page (public_texts)
    closed_on: dt.date | None


class RegisterIn(InputSchema):
    org_code: str
    channel: Channel
    channel_note: str = ""
    submitted_on: dt.date | None = None
    signed_for_on: dt.date | None = None
    confirmed_on: dt.date | None = None
    applicant: ApplicantData
    request: RequestData


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


class EventFields(InputSchema):
    """One event: the fields each kind needs (see the staff page for their meaning)."""

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
    copy_received_on: dt.date | None = None  # 收到复议申请书副本或起诉状副本之日; None: 待确认
    simple_procedure: bool = False
    answer_submitted_on: dt.date | None = None
    # the issued letter of the application the case challenges (its id); null: the last issued 答复告知书
    challenged_letter_id: int | None = None


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
    copy_received_on: dt.date | None
    simple_procedure: bool
    answer_submitted_on: dt.date | None
    challenged_letter_id: int | None  # the letter the case challenges (null: none issued / no application)
    challenged_letter: str  # its title, 文号 and 成文日期, as on the form
    answer_label: str  # 复议答复 / 诉讼答辩
    answer_due: dt.date | None  # None: 待确认 (see answer_state)
    answer_state: str  # 待确认 / 未提交 / 已逾期 / 已按期提交 / 逾期提交
    answer_provisional: bool
    answer_steps: list[str]
    answer_warnings: list[str]


class DueOut(Schema):
    tracking_code: str  # empty for a remedy case without a linked application
    what: str
    due: dt.date
    overdue: bool
    remedy_id: int | None = None  # set for a 复议答复 / 诉讼答辩 deadline
