"""Proof of delivery (送达) of an issued letter: how and when it reached the addressee, with the proof uploaded.

The receipt day feeds the clocks that run from the applicant's receipt of a notice:
- 收费通知书: the payment period, 20 working days from the day after receipt (clocks.FEE_RULE_NOTE) — recorded
  through the ``fee_received`` step (``fee_notices.fee_notice_receipt``);
- 补正告知书 whose period is a number of working days from receipt (clocks.CORRECTION_PERIOD_NOTE) — through the
  ``correction_delivered`` step (``steps.correction_delivered``).
A receipt day that has moved a clock cannot be changed here (the event log is append-only); a wrong one is
corrected by the 公开办 with a new record of the step, not by rewriting history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.applications.clocks import EventKind as ClockKind
from gongkai.core.actors import Actor, acting_user
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record, diff, snapshot

from ..attachments import checked_file
from ..delivery_models import LetterDelivery
from ..models import FeeNotice, Letter, Status
from ..vocab import LetterKind, ServiceMethod
from .machine import local_today, require

PROOF_KINDS = frozenset({"pdf", "jpg", "png"})
PROOF_MAX_BYTES = 10 * 1024 * 1024
DELIVERY_FIELDS = ("method", "tracking_number", "sent_on", "received_on", "note", "proof_sha256")
NOT_ISSUED = "文书尚未出具（草稿），不能记录送达。"


@dataclass(frozen=True)
class DeliveryInput:
    method: str
    sent_on: dt.date
    received_on: dt.date | None = None
    tracking_number: str = ""
    note: str = ""


def _check(letter: Letter, data: DeliveryInput) -> DeliveryInput:
    try:
        method = ServiceMethod(data.method)
    except ValueError:
        raise ValidationError({"method": "请选择送达方式。"}) from None
    today, received = local_today(), data.received_on
    if data.sent_on > today:
        raise ValidationError({"sent_on": f"发出日期（{data.sent_on.isoformat()}）不能晚于今天。"})
    if data.sent_on < letter.dated:
        raise ValidationError(
            {
                "sent_on": f"发出日期（{data.sent_on.isoformat()}）不能早于文书的成文日期（{letter.dated.isoformat()}）。"
            }
        )
    if method == ServiceMethod.IN_PERSON:
        if received is not None and received != data.sent_on:
            raise ValidationError({"received_on": "当面送达的，签收日期即为交付当日。"})
        received = data.sent_on
    if method == ServiceMethod.POST and not data.tracking_number.strip():
        raise ValidationError({"tracking_number": "邮寄送达请填写邮件号码。"})
    if received is not None:
        if received < data.sent_on:
            raise ValidationError({"received_on": "签收（确认送达）日期不能早于发出日期。"})
        if received > today:
            raise ValidationError(
                {"received_on": f"签收（确认送达）日期（{received.isoformat()}）不能晚于今天。"}
            )
    return DeliveryInput(str(method), data.sent_on, received, data.tracking_number.strip(), data.note.strip())


def _clock_receipt(letter: Letter) -> dt.date | None:
    """The receipt day a clock already holds for this letter's notice (it cannot change any more), if any."""
    application = letter.application
    if letter.kind == LetterKind.FEE_NOTICE:
        notice = application.fee_notices.order_by("-sent_on", "-id").first()
        return notice.received_on if notice is not None else None
    if letter.kind == LetterKind.CORRECTION:
        event = application.events.filter(kind=ClockKind.CORRECTION_DELIVERED).order_by("-date").first()
        return event.date if event is not None else None
    return None


def _feed_clocks(actor: Actor, letter: Letter, received: dt.date) -> str:
    """Record the receipt day in the application's clocks, when this letter's clock is waiting for it.
    Returns what moved ("" when nothing did)."""
    from . import fee_notices, steps

    application = letter.application
    if letter.kind == LetterKind.FEE_NOTICE and application.status == Status.AWAITING_FEE:
        notice = application.fee_notices.filter(state=FeeNotice.State.SENT).first()
        if notice is not None and notice.received_on is None:
            fee_notices.fee_notice_receipt(actor=actor, application=application, received_on=received,
                                           note="据文书送达记录")  # fmt: skip
            return "fee_due"
    if letter.kind == LetterKind.CORRECTION and application.status == Status.AWAITING_CORRECTION:
        requested = application.events.filter(kind=ClockKind.CORRECTION_REQUESTED).first()
        delivered = application.events.filter(kind=ClockKind.CORRECTION_DELIVERED).exists()
        if requested is not None and not delivered and (requested.data or {}).get("days"):
            steps.correction_delivered(actor=actor, application=application, received_on=received,
                                       note="据文书送达记录")  # fmt: skip
            return "correction_until"
    return ""


@transaction.atomic
def letter_delivery_record(
    *,
    actor: Actor,
    letter: Letter,
    method: ServiceMethod | str,
    sent_on: dt.date,
    received_on: dt.date | None = None,
    tracking_number: str = "",
    note: str = "",
    proof: Any | None = None,
) -> LetterDelivery:
    """Record, or correct, how and when an issued letter was delivered (送达), with an optional proof (回执扫描件、
    截图: PDF, JPG or PNG through the upload guards). 当面送达: received the same day; 邮寄: with the tracking
    number, received on the signed-for day; 电子邮件、短信、平台: on the day delivery is confirmed. Without a receipt
    day the letter is 待确认送达. A receipt day entered for a 收费通知书 or a 补正告知书 moves its clock."""
    letter = Letter.objects.select_for_update().select_related("application__org").get(pk=letter.pk)
    application = letter.application
    require(actor, application.org)
    if not letter.is_issued:
        raise ValidationError(NOT_ISSUED)
    data = _check(letter, DeliveryInput(str(method), sent_on, received_on, tracking_number, note))
    held = _clock_receipt(letter)
    if held is not None and data.received_on is not None and data.received_on != held:
        raise ValidationError(
            {"received_on": f"该文书的送达日期已记录为{held.isoformat()}并已用于计算期限，不能在此更改。"}
        )
    sniffed = (
        checked_file(proof, what="送达凭证", allowed=PROOF_KINDS, limit=PROOF_MAX_BYTES) if proof else None
    )
    delivery = LetterDelivery.objects.filter(letter=letter).first()
    created = delivery is None
    if delivery is None:
        delivery = LetterDelivery(letter=letter)
    before = {} if created else snapshot(delivery, DELIVERY_FIELDS)
    delivery.method, delivery.sent_on, delivery.received_on = data.method, data.sent_on, data.received_on
    delivery.tracking_number, delivery.note = data.tracking_number, data.note
    delivery.recorded_by = acting_user(actor)
    if sniffed is not None:
        delivery.proof_name, delivery.proof_extension = sniffed.name, sniffed.extension
        delivery.proof_sha256 = sniffed.sha256
        delivery.proof.save(sniffed.name, sniffed.as_django_file(), save=False)
    delivery.full_clean(exclude=["letter", "proof"])
    delivery.save()
    changes: dict[str, Any] = diff(before, snapshot(delivery, DELIVERY_FIELDS))
    moved = _feed_clocks(actor, letter, data.received_on) if data.received_on is not None else ""
    if moved:
        changes["clock"] = [None, moved]
    audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=delivery,
                 org=application.org, changes=changes)  # fmt: skip
    return delivery
