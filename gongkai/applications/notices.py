"""What the applicant is told, and when: 受理 (on registration), 补正, 延期, 收费 and 答复 (the steps that declare a
``notice`` in ``workflow.STEPS``). The text comes from ``templates/applications/notices/<kind>.txt``: the
tracking code, what happened, what to do and by when — and nothing personal beyond the recipient itself, which
the outbox keeps sealed (gongkai.notifications). Messages are queued in the step's transaction and sent later
by ``gongkai send_outbox``."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.template.loader import render_to_string

from gongkai.core.actors import Actor
from gongkai.notifications.services import enqueue, preference_of, preference_set
from gongkai.notifications.vocab import NoticeChannel

from . import crypto
from .clocks import FEE_PAYMENT_DAYS
from .models import Application


class NoticeKind(models.TextChoices):
    RECEIVED = "received", "受理"
    CORRECTION = "correction", "补正"
    EXTENSION = "extension", "延期"
    FEE = "fee", "收费"
    REPLY = "reply", "答复"


SUBJECTS = {
    NoticeKind.RECEIVED: "您的政府信息公开申请已收到",
    NoticeKind.CORRECTION: "您的政府信息公开申请需要补正",
    NoticeKind.EXTENSION: "您的政府信息公开申请答复期限已延长",
    NoticeKind.FEE: "您的政府信息公开申请需缴纳信息处理费",
    NoticeKind.REPLY: "您的政府信息公开申请已答复",
}


def _context(application: Application, kind: str) -> dict[str, Any]:
    fee = application.fee_notices.order_by("-id").first() if kind == NoticeKind.FEE else None
    return {
        "a": application,
        "org": application.org.display_name,
        "kind": kind,
        "fee": fee,
        "provisional": application.deadline_provisional,
        "fee_days": FEE_PAYMENT_DAYS,
    }


def _recipient(application: Application, channel: str) -> str:
    return application.email if channel == NoticeChannel.EMAIL else crypto.decrypt(application.phone_enc)


def notify(*, actor: Actor, application: Application, kind: str) -> Any:
    """Queue the ``kind`` message for the applicant of ``application`` if they chose to be told (else None)."""
    channel = preference_of(application)
    if channel == NoticeChannel.NONE:
        return None
    recipient = _recipient(application, channel)
    if not recipient:
        return None
    body = render_to_string(f"applications/notices/{kind}.txt", _context(application, kind)).strip()
    return enqueue(
        actor=actor,
        application=application,
        channel=channel,
        recipient=recipient,
        topic=NoticeKind(kind).label,
        subject=f"{SUBJECTS[NoticeKind(kind)]}（{application.tracking_code}）",
        body=body,
    )


def on_received(*, actor: Actor, application: Application, channel: str) -> None:
    """Registration: keep the applicant's choice and queue the 受理 message."""
    preference_set(
        actor=actor,
        application=application,
        channel=channel,
        email=application.email,
        phone=crypto.decrypt(application.phone_enc),
    )
    notify(actor=actor, application=application, kind=NoticeKind.RECEIVED)
