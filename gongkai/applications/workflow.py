"""The handling workflow of 依申请公开 applications, declared once (《条例》第三十条至第三十七条).

``STEPS`` is the table: the detail page's action forms and their order, the API's event ``kind`` values, the
status guards (``ALLOWED_TRANSITIONS``) and the state-machine tests derive from it. Every step runs through
``core.workflow``: lock → permission → (four eyes for 系统内审批 extensions) → the date defaulted to today and
checked (``prepare``) → the step's own checks (its handler in ``services``) → the state → the event row and
the deadlines recomputed (``record``) → one audit row (UPDATE for a step that stays in its state) → the fee
notice or approval sheet kept (``finish``) → the applicant's notice queued (``notice``, notices.py) → the
letter drafted. The step services keep their keyword signatures and take their step here
(``services.machine.take``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from gongkai.applications.clocks import EventKind as ClockKind
from gongkai.core.actors import SYSTEM_AUTO, Actor, acting_user, is_system
from gongkai.core.workflow import Move, Step, Workflow
from gongkai.orgs.permissions import Action, can_for_applications

from .forms import (
    AssignForm,
    ConsultAnswerForm,
    ConsultDeliveryForm,
    ConsultForm,
    CorrectionForm,
    CorrectionReceiptForm,
    DateNoteForm,
    DelayForm,
    DisclosureNoticeForm,
    ExtensionForm,
    FeeForm,
    FeeReceiptForm,
    ReasonsForm,
    ReplyForm,
)
from .models import Application, ApplicationEvent, Status
from .notices import NoticeKind, notify
from .schemas import EventFields, ReplyIn
from .services import consultations, extensions, fee_notices, replies, steps
from .services.machine import (
    EVENT_LABELS,
    TRACKED_FIELDS,
    check_date,
    local_today,
    lock,
    refresh_deadlines,
    working_status,
)
from .states import Step as EventStep
from .vocab import LetterKind

OPEN = (Status.REGISTERED, Status.AWAITING_CORRECTION, Status.IN_PROGRESS, Status.AWAITING_FEE)
ENDED = (Status.REPLIED, Status.ABANDONED, Status.WITHDRAWN)
WORKING = (Status.REGISTERED, Status.IN_PROGRESS)
_EVENT_LABELS = dict(EVENT_LABELS)


@dataclass(frozen=True)
class ApplicationStep(Step):
    """A step and what the application's hooks need: the event it records, the name of its date in refusals
    (``what``; "" when the step dates itself), its parameters (form fields, API fields and service
    keywords alike), the API fields it cannot do without, the form's extra arguments, and the work done after
    the status changed (``finish``), and the applicant's notice (``notice``)."""

    event: str = ""
    what: str = ""
    fields: tuple[str, ...] = ()
    required: tuple[tuple[str, str], ...] = ()  # (API field, the refusal when it is missing)
    form_kwargs: Callable[[Application], dict[str, Any]] | None = None
    finish: Callable[[Move], Any] | None = None
    notice: str = ""  # the message the applicant is sent (notices.NoticeKind), if they chose to be told

    @property
    def event_label(self) -> str:
        return str(_EVENT_LABELS.get(self.event, self.event))


def _state_refusal(what: str) -> str:
    return "申请当前状态为「{state}」，不能" + what + "。"


_step = partial(ApplicationStep, permission=Action.EDIT, schema=EventFields)
_DATE_NOTE = ("date", "note")

STEPS: tuple[ApplicationStep, ...] = (
    _step("assign", "指定经办人", OPEN, working_status, targets=(Status.IN_PROGRESS,), schema=None,
          form=AssignForm, form_kwargs=lambda a: {"org": a.org}, event=EventStep.ASSIGNED, fields=("assignee",),
          handler=steps.assign_step),
    _step("correction", "告知补正", (Status.REGISTERED,), Status.AWAITING_CORRECTION, form=CorrectionForm,
          event=ClockKind.CORRECTION_REQUESTED, what="补正通知", fields=("items", "until", "days", "date"),
          handler=steps.correction_step, letter=LetterKind.CORRECTION,
          notice=NoticeKind.CORRECTION),
    _step("correction_delivered", "记录补正告知书送达日期", (Status.AWAITING_CORRECTION,), Status.AWAITING_CORRECTION,
          form=CorrectionReceiptForm, event=ClockKind.CORRECTION_DELIVERED, fields=("received_on", "note"),
          required=(("received_on", "请填写申请人收到补正告知书的日期。"),), handler=steps.correction_delivered_step),
    _step("corrected", "收到补正", (Status.AWAITING_CORRECTION,), Status.IN_PROGRESS, form=DateNoteForm,
          event=ClockKind.CORRECTION_RECEIVED, what="收到补正", fields=_DATE_NOTE),
    _step("abandon", "逾期未补正，视为放弃", (Status.AWAITING_CORRECTION,), Status.ABANDONED, form=DateNoteForm,
          event=EventStep.ABANDONED, what="视为放弃", fields=("date",), handler=steps.abandon_step,
          letter=LetterKind.REPLY, notice=NoticeKind.REPLY),
    _step("consult", "征求意见", WORKING, Status.IN_PROGRESS, form=ConsultForm, event=ClockKind.CONSULTATION_SENT,
          what="征求意见", fields=("party", "consulted", "date", "delivered", "lead_confirmed"),
          handler=consultations.consult_step, letter=LetterKind.CONSULTATION, wrong_state=_state_refusal("征求意见")),
    _step("consult_delivered", "记录征求意见书送达日期", (Status.IN_PROGRESS, Status.AWAITING_FEE), working_status,
          targets=(Status.IN_PROGRESS,), form=ConsultDeliveryForm, event=ClockKind.CONSULTATION_DELIVERED,
          fields=("party", "delivered", "note"), required=(("delivered", "请填写对方收到征求意见书的日期。"),),
          handler=consultations.consult_delivered_step),
    _step("consult_answer", "收到征求意见答复", (Status.IN_PROGRESS, Status.AWAITING_FEE), working_status,
          targets=(Status.IN_PROGRESS,), form=ConsultAnswerForm, event=ClockKind.CONSULTATION_ANSWERED,
          what="收到征求意见答复", fields=("party", "date", "note", "objected"),
          handler=consultations.consult_answer_step),
    _step("disclose", "决定公开并告知第三方（第三十二条）", (Status.IN_PROGRESS,), None, schema=None,
          form=DisclosureNoticeForm, event=EventStep.REMARK, fields=("party", "content", "reasons"),
          handler=consultations.disclose_step, wrong_state=_state_refusal("决定公开并告知第三方")),
    _step("extend", "延期答复", WORKING, Status.IN_PROGRESS, permission=extensions.may_extend,
          four_eyes=extensions.OWN_CASE_MESSAGE, form=ExtensionForm,
          form_kwargs=lambda a: {"mode": extensions.extension_mode(a.org)}, event=ClockKind.EXTENDED, what="延期",
          fields=("days", "approved_by", "reason", "date", "approval_file"), handler=extensions.extend_step,
          finish=extensions.keep_approval_sheet, letter=LetterKind.EXTENSION, wrong_state=_state_refusal("延期"),
          notice=NoticeKind.EXTENSION),
    _step("reasons", "要求申请人说明理由（第三十五条）", WORKING, Status.IN_PROGRESS, form=ReasonsForm,
          event=ClockKind.REASONS_REQUESTED, what="要求说明理由", fields=("until", "date", "note"),
          handler=steps.reasons_step, letter=LetterKind.REASONS_REQUEST, wrong_state=_state_refusal("要求说明理由")),
    _step("reasons_given", "申请人说明理由", (Status.IN_PROGRESS, Status.AWAITING_FEE), working_status,
          targets=(Status.IN_PROGRESS,), form=DateNoteForm, event=ClockKind.REASONS_GIVEN, what="申请人说明理由",
          fields=_DATE_NOTE, handler=steps.reasons_given_step),
    _step("delay", "确定延迟答复期限（第三十五条）", (Status.IN_PROGRESS,), working_status,
          targets=(Status.IN_PROGRESS,), form=DelayForm, event=ClockKind.DELAY_SET, what="确定延迟答复期限",
          fields=("until", "reason", "date"), required=(("until", "请填写延迟答复期限。"),), handler=steps.delay_step,
          letter=LetterKind.DELAY, wrong_state=_state_refusal("确定延迟答复期限"), notice=NoticeKind.EXTENSION),
    _step("fee", "发出收费通知", WORKING, Status.AWAITING_FEE, form=FeeForm, event=ClockKind.FEE_NOTICE_SENT,
          what="收费通知", fields=("method", "pages", "date", "delivery", "received_on"),
          required=(("method", "请选择计收方式。"),), handler=fee_notices.fee_step, finish=fee_notices.keep_fee_notice,
          letter=LetterKind.FEE_NOTICE, notice=NoticeKind.FEE),
    _step("fee_received", "记录收费通知送达日期", (Status.AWAITING_FEE,), Status.AWAITING_FEE, form=FeeReceiptForm,
          event=ClockKind.FEE_NOTICE_DELIVERED, fields=("received_on", "note"),
          required=(("received_on", "请填写申请人收到收费通知的日期。"),), handler=fee_notices.fee_received_step,
          finish=fee_notices.keep_fee_receipt),
    _step("fee_paid", "申请人已缴费", (Status.AWAITING_FEE,), Status.IN_PROGRESS, form=DateNoteForm,
          event=ClockKind.FEE_PAID, what="缴费", fields=("date",), handler=fee_notices.fee_paid_step,
          finish=fee_notices.settle_fee_notice),
    _step("fee_unpaid", "逾期未缴费", (Status.AWAITING_FEE,), Status.ABANDONED, form=DateNoteForm,
          event=EventStep.FEE_UNPAID, what="确认逾期未缴费", fields=("date",), handler=fee_notices.fee_unpaid_step,
          finish=fee_notices.settle_fee_notice, letter=LetterKind.REPLY, notice=NoticeKind.REPLY),
    _step("reply", "答复", WORKING, Status.REPLIED, schema=ReplyIn, form=ReplyForm, event=ClockKind.ANSWERED,
          what="答复", fields=("outcome", "summary", "date", "basis", "withheld_grounds", "access_route",
                              "other_procedure", "referral_org", "referral_name", "referral_contact"),
          handler=replies.reply_step, letter=LetterKind.REPLY, notice=NoticeKind.REPLY),
    _step("withdraw", "申请人撤回", OPEN, Status.WITHDRAWN, form=DateNoteForm, event=EventStep.WITHDRAWN,
          what="撤回", fields=_DATE_NOTE, handler=steps.withdraw_step),
    _step("close", "办结归档", ENDED, Status.CLOSED, form=DateNoteForm, event=EventStep.CLOSED, what="办结",
          fields=("date",)),
)  # fmt: skip


def _prepare(move: Move) -> None:
    """Every dated step: the date defaults to today and may be neither in the future nor before the last event."""
    what = cast(ApplicationStep, move.step).what
    if what:
        move.params["date"] = move.params.get("date") or local_today()
        check_date(move.obj, move.params["date"], what)


def _record(move: Move) -> None:
    """The event row, then the deadlines recomputed from the event log (the audit row shows the event)."""
    application: Application = move.obj
    step = cast(ApplicationStep, move.step)
    event = ApplicationEvent(
        application=application,
        kind=step.event,
        date=move.params["date"],
        actor=acting_user(move.actor),
        data=dict(move.params.get("event_data") or {}),
        note=move.params.get("note") or "",
    )
    event.full_clean(exclude=["application"])
    event.save()
    refresh_deadlines(application)
    move.audit["event"] = [None, {"kind": event.kind, "date": event.date.isoformat(), **event.data}]


def _finish(move: Move) -> None:
    """The step's own work after the status changed, then the applicant's notice (queued in this transaction)."""
    step = cast(ApplicationStep, move.step)
    if step.finish is not None:
        step.finish(move)
    if step.notice:
        notify(actor=move.actor, application=move.obj, kind=step.notice)


def _draft_letter(move: Move, kind: str) -> None:
    """The step's letter (a consultation picks its kind by the party consulted). An approver without EDIT
    (系统内审批 of an extension) does not draft: the system does."""
    from .letters import letter_draft

    actor = (
        move.actor
        if is_system(move.actor) or can_for_applications(move.actor, Action.EDIT, move.obj.org)
        else SYSTEM_AUTO
    )
    letter_draft(actor=actor, application=move.obj, kind=move.params.get("letter", kind),
                 context=move.params.get("letter_context"))  # fmt: skip


WORKFLOW = Workflow(
    name="applications",
    states=Status,
    steps=STEPS,
    permits=can_for_applications,
    lock=lock,
    four_eyes=extensions.refuse_unless_approver,
    prepare=_prepare,
    record=_record,
    after=_finish,
    draft_letter=_draft_letter,
    audit_fields=TRACKED_FIELDS,
    state_last=True,  # a step's own refusal (e.g. 一次性补正) reads better than "wrong state", as before
    denied="您无权办理「{obj.org.name}」的政府信息公开申请。",
    wrong_state="申请当前状态为「{state}」，不能{step.event_label}。",
)
ALLOWED_TRANSITIONS = WORKFLOW.allowed_transitions()

# The API's event kinds: the steps whose input is the event schema, by the kind of event they record.
STEPS_BY_KIND: dict[str, ApplicationStep] = {str(s.event): s for s in STEPS if s.schema is EventFields}


def steps_available(actor: Actor, application: Application) -> list[ApplicationStep]:
    """The steps ``actor`` may take on ``application`` now (the action forms of the detail page)."""
    return cast(list[ApplicationStep], WORKFLOW.available(actor, application))


def application_transition(*, actor: Actor, application: Application, step: str, **params: Any) -> Any:
    """Take one step with its parameters (``ApplicationStep.fields``); returns what the step's service does."""
    return WORKFLOW.transition(actor=actor, obj=application, step=step, **params)
