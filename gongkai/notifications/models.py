"""The outbox: one row per message to an applicant, written in the transaction of the step that causes it and
sent later by :func:`gongkai.notifications.services.send_due` (the ``send_outbox`` command, a scheduled job).

The application is referred to by model name only ("applications.Application"): this app sits below the
domain apps (pyproject's layers) and imports none of them; they hand it what to say.
"""

from __future__ import annotations

from django.db import models

from gongkai.core.fields import NamedInChinese, org_reference

from .vocab import MessageStatus, NoticeChannel


class Preference(models.Model):
    """How the applicant of one application wants to be told (chosen at submission)."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name="申请",
        on_delete=models.CASCADE,
        related_name="notice_preference",
    )
    channel = models.CharField(
        "通知方式", max_length=8, choices=NoticeChannel.choices, default=NoticeChannel.NONE
    )
    created_at = models.DateTimeField("选择时间", auto_now_add=True)

    class Meta(NamedInChinese):
        verbose_name = "通知方式"

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_channel_display()}"


class Message(models.Model):
    """One message in the outbox: what to send, to whom (sealed), and how sending went."""

    org = org_reference("机关")
    application = models.ForeignKey(
        "applications.Application", verbose_name="申请", on_delete=models.CASCADE, related_name="notices"
    )
    reference = models.CharField("申请编号", max_length=20)
    topic = models.CharField("事项", max_length=20)  # the Chinese label the domain gives, e.g. 受理、答复
    channel = models.CharField(
        "通知方式", max_length=8, choices=[c for c in NoticeChannel.choices if c[0] != NoticeChannel.NONE]
    )
    recipient_sealed = models.TextField("收件人（密文）", editable=False)
    recipient_masked = models.CharField("收件人", max_length=80, editable=False)
    subject = models.CharField("标题", max_length=120)
    body = models.TextField("正文")
    status = models.CharField(
        "状态", max_length=8, choices=MessageStatus.choices, default=MessageStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True, db_index=True)
    last_error = models.CharField("最近一次错误", max_length=300, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta(NamedInChinese):
        verbose_name = "通知消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=MessageStatus.PENDING) | models.Q(next_attempt_at__isnull=False),
                name="notice_pending_has_next_attempt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.topic}（{self.get_channel_display()}）"
