"""Outbox services: the applicant's choice, queueing a message, sending what is due (a plain callable the
``send_outbox`` command and a scheduled job call), and a staff retry. Every message queued, sent, failed or
retried writes an audit row; logs carry ids and counts, never a recipient."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.actors import SYSTEM_SCHEDULER, Actor
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.orgs.permissions import Action, require_for_applications

from . import gateways, recipients
from .models import Message, Preference
from .vocab import CONTACT_REQUIRED, MOBILE_INVALID, MOBILE_PATTERN, MessageStatus, NoticeChannel

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BACKOFF_SECONDS = 300  # 5 min, then 10, 20, 40 … (capped at a day)
MAX_BACKOFF = dt.timedelta(days=1)


def max_attempts() -> int:
    return int(getattr(settings, "GONGKAI_NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next try after ``attempts`` failed tries: base × 2^(attempts−1), at most a day."""
    base = int(getattr(settings, "GONGKAI_NOTIFY_BACKOFF_SECONDS", DEFAULT_BACKOFF_SECONDS))
    return min(dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


# --- the applicant's choice ------------------------------------------------------------------------


def contact_error(channel: str, *, email: str, phone: str) -> tuple[str, str] | None:
    """(field, Chinese refusal) when ``channel`` lacks the contact it needs, else None (forms and services)."""
    if channel not in CONTACT_REQUIRED:
        return None
    field, message = CONTACT_REQUIRED[channel]
    value = {"email": email, "phone": phone}[field].strip()
    if not value:
        return field, message
    if field == "phone" and not re.match(MOBILE_PATTERN, "".join(value.split()).replace("-", "")):
        return field, MOBILE_INVALID
    return None


def check_contact(channel: str, *, email: str, phone: str) -> None:
    if channel and channel not in NoticeChannel.values:
        raise ValidationError({"notify": "请选择通知方式：电子邮件、短信或不通知。"})
    error = contact_error(channel, email=email, phone=phone)
    if error:
        raise ValidationError({error[0]: error[1]})


def preference_set(*, actor: Actor, application: Any, channel: str, email: str, phone: str) -> Preference:
    """Record how the applicant of ``application`` wants to be told (checked against the contact given)."""
    channel = channel or NoticeChannel.NONE
    check_contact(channel, email=email, phone=phone)
    preference, created = Preference.objects.update_or_create(
        application=application, defaults={"channel": channel}
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=preference,
        org=application.org, object_repr=f"{application.tracking_code} 通知方式",
        changes={"channel": [None, channel]},
    )  # fmt: skip
    return preference


def preference_of(application: Any) -> str:
    pref = Preference.objects.filter(application=application).values_list("channel", flat=True).first()
    return pref or NoticeChannel.NONE


# --- queueing --------------------------------------------------------------------------------------


def enqueue(
    *, actor: Actor, application: Any, channel: str, recipient: str, topic: str, subject: str, body: str
) -> Message:
    """Queue one message in the caller's transaction (so it exists exactly when the step it reports does)."""
    message = Message(
        org=application.org, application=application, reference=application.tracking_code, topic=topic,
        channel=channel, recipient_sealed=recipients.seal(recipient), recipient_masked=recipients.masked(recipient),
        subject=subject, body=body, status=MessageStatus.PENDING, next_attempt_at=timezone.now(),
    )  # fmt: skip
    message.full_clean(exclude=["application", "org"])
    message.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=message, org=message.org,
                 changes={"topic": [None, topic], "channel": [None, channel]})  # fmt: skip
    return message


# --- sending ---------------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"已发送 {self.sent} 条，待重试 {self.retrying} 条，失败 {self.failed} 条。"


def _deliver(message: Message) -> None:
    recipient = recipients.unseal(message.recipient_sealed)
    if not recipient:
        raise gateways.DeliveryError("收件人无法解密（密钥已更换）。")
    try:
        if message.channel == NoticeChannel.EMAIL:
            gateways.send_email(to=recipient, subject=message.subject, body=message.body)
        else:
            gateways.send_sms(to=recipient, text=message.body)
    except Exception as exc:  # any backend or gateway failure is recorded, the outbox goes on
        reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, gateways.DeliveryError) else str(exc)
        raise gateways.DeliveryError(recipients.scrub(reason, recipient)[:300]) from exc


def send_message(message_id: int, *, actor: Actor = SYSTEM_SCHEDULER, now: dt.datetime | None = None) -> str:
    """Try one pending message now: on success 已发送; on failure the attempt is counted and the next one set
    after the backoff, or 失败 after the last allowed attempt. Returns the status ('' when it was not due or
    another worker holds it)."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=MessageStatus.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if message is None:
            return ""
        message.attempts += 1
        try:
            _deliver(message)
        except gateways.DeliveryError as exc:
            message.last_error = str(exc)
            final = message.attempts >= max_attempts()
            message.status = MessageStatus.FAILED if final else MessageStatus.PENDING
            message.next_attempt_at = None if final else now + backoff(message.attempts)
            action, what = AuditAction.OTHER, "发送失败"
            logger.info(
                "notice %s attempt %s failed%s", message.pk, message.attempts, " (final)" if final else ""
            )
        else:
            message.status, message.sent_at, message.next_attempt_at = MessageStatus.SENT, now, None
            action, what = AuditAction.OTHER, "已发送"
            logger.info("notice %s sent on attempt %s", message.pk, message.attempts)
        message.save()
        audit_record(actor=actor, action=action, obj=message, org=message.org, changes={
            "result": [None, what], "attempts": [message.attempts - 1, message.attempts],
            "status": [MessageStatus.PENDING, message.status],
            **({"error": [None, message.last_error]} if what == "发送失败" else {}),
        })  # fmt: skip
        return message.status


def send_due(
    *, actor: Actor = SYSTEM_SCHEDULER, now: dt.datetime | None = None, limit: int = 200
) -> SendReport:
    """Send every pending message whose next attempt is due (oldest first, at most ``limit``)."""
    now = now or timezone.now()
    report = SendReport()
    due = Message.objects.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "id"
    )
    for message_id in list(due.values_list("id", flat=True)[:limit]):
        status = send_message(message_id, actor=actor, now=now)
        if status == MessageStatus.SENT:
            report.sent += 1
        elif status == MessageStatus.PENDING:
            report.retrying += 1
        elif status == MessageStatus.FAILED:
            report.failed += 1
    return report


# --- staff -----------------------------------------------------------------------------------------


@transaction.atomic
def message_retry(*, actor: Actor, message: Message, now: dt.datetime | None = None) -> Message:
    """Put a failed (or waiting) message back to be sent at once; the staff page's 「重新发送」."""
    message = Message.objects.select_for_update().select_related("org").get(pk=message.pk)
    require_for_applications(actor, Action.EDIT, message.org, f"您无权处理「{message.org.name}」的通知。")
    if message.status == MessageStatus.SENT:
        raise ValidationError("该通知已发送，无需重新发送。")
    if not message.recipient_sealed:
        raise ValidationError("该通知的收件人已按个人信息保存期限删除，不能重新发送。")
    before = message.status
    message.status, message.next_attempt_at = MessageStatus.PENDING, now or timezone.now()
    message.save(update_fields=["status", "next_attempt_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=message, org=message.org,
                 changes={"status": [before, message.status], "result": [None, "重新发送"]})  # fmt: skip
    return message


# --- retention -------------------------------------------------------------------------------------

PURGED_TEXT = "（已按个人信息保存期限删除）"


def forget_application_messages(*, application_id: int, dry_run: bool = False) -> int:
    """Retention (《个人信息保护法》第十九条): the messages of one application lose their recipient (sealed and
    masked) and their text; what was sent when, on which channel and about what (topic, subject) stays. A
    message still waiting is not sent any more (失败). Returns the number of messages; the caller audits."""
    messages = Message.objects.filter(application_id=application_id).exclude(
        recipient_sealed="", body=PURGED_TEXT
    )
    ids = list(messages.values_list("id", flat=True))
    if dry_run or not ids:
        return len(ids)
    rows = Message.objects.filter(id__in=ids)
    rows.update(recipient_sealed="", recipient_masked="", body=PURGED_TEXT, last_error="")
    rows.filter(status=MessageStatus.PENDING).update(
        status=MessageStatus.FAILED, next_attempt_at=None, last_error="收件人已删除，未发送。"
    )
    return len(ids)
