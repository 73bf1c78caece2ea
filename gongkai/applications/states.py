"""Where an application stands (``Status``) and the vocabulary of its event log (``Step`` and the clock kinds),
apart from the models so that forms, workflow and letters can name them without the model module."""

from __future__ import annotations

from django.db import models

from gongkai.applications.clocks import EventKind as ClockKind

__all__ = ["EVENT_CHOICES", "EVENT_DATA_LABELS", "OPEN_STATUSES", "Status", "Step"]


class Status(models.TextChoices):
    """Where an application stands; the allowed moves are ``workflow.ALLOWED_TRANSITIONS`` (from ``workflow.STEPS``)."""

    REGISTERED = "registered", "已登记"
    AWAITING_CORRECTION = "awaiting_correction", "待补正"
    IN_PROGRESS = "in_progress", "办理中"
    AWAITING_FEE = "awaiting_fee", "待缴费"
    REPLIED = "replied", "已答复"
    ABANDONED = "abandoned", "视为放弃"
    WITHDRAWN = "withdrawn", "已撤回"
    CLOSED = "closed", "已办结"


OPEN_STATUSES = frozenset(
    {Status.REGISTERED, Status.AWAITING_CORRECTION, Status.IN_PROGRESS, Status.AWAITING_FEE}
)


class Step(models.TextChoices):
    """Event-log entries that do not move a statutory clock (the clock kinds live in workdays)."""

    ASSIGNED = "assigned", "指定经办人"
    ABANDONED = "abandoned", "视为放弃申请"
    FEE_UNPAID = "fee_unpaid", "逾期未缴费"
    WITHDRAWN = "withdrawn", "申请人撤回申请"
    CLOSED = "closed", "办结归档"
    LETTER_ISSUED = "letter_issued", "出具文书"
    REMARK = "remark", "备注"


EVENT_CHOICES = list(ClockKind.choices) + list(Step.choices)

EVENT_DATA_LABELS = {
    "channel": "渠道",
    "until": "补正期限",
    "items": "补正事项",
    "party": "征求意见对象",
    "consulted": "对象类型",
    "delivered": "送达日期",
    "delivery": "送达方式",
    "reply_by": "延迟答复期限",
    "answer_by": "说明理由期限",
    "objected": "第三方不同意公开",
    "co_producer": "共同制作（本机关牵头）",
    "days": "延长工作日",
    "approved_by": "批准人",
    "approval": "审批方式",
    "approval_file": "审批单",
    "reason": "理由",
    "method": "计收方式",
    "quantity": "数量",
    "amount": "金额（元）",
    "outcome": "办理结果",
    "assignee": "经办人",
    "online": "申请人在线提交",
    "attachments": "附件数",
}
