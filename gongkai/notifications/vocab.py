"""The notification vocabularies, stated once: how an applicant wants to be told, and where a message stands."""

from __future__ import annotations

from django.db import models


class NoticeChannel(models.TextChoices):
    """The applicant's choice at submission (the public form and staff registration)."""

    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"
    NONE = "none", "不通知"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "失败"


# The contact each channel needs, and the refusal when it is missing (forms and services say the same).
CONTACT_REQUIRED: dict[str, tuple[str, str]] = {
    NoticeChannel.EMAIL: ("email", "选择电子邮件通知的，请填写电子邮箱。"),
    NoticeChannel.SMS: ("phone", "选择短信通知的，请填写手机号码。"),
}
MOBILE_PATTERN = r"^(\+?86)?1[3-9]\d{9}$"
MOBILE_INVALID = "选择短信通知的，请填写11位手机号码。"
