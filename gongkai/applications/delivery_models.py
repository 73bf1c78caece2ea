"""Proof of delivery (送达) of an issued letter, its stamped copy, and the organisation's 电子印章.

The files are kept in the default storage, which is never served directly: each is downloaded only through a
view that checks the reader's permission and writes an audit row (views in ``delivery_views``)."""

from __future__ import annotations

from django.db import models

from gongkai.core.constraints import not_before
from gongkai.core.fields import NamedInChinese, user_reference

from .vocab import ServiceMethod

# Stored under names made of the content's hash (``SniffedFile.as_django_file``), never a name the uploader chose.
PROOF_DIR = "applications/delivery/"
STAMPED_DIR = "applications/stamped/"
SEAL_DIR = "seals/"


class LetterDelivery(models.Model):
    """How and when an issued letter reached its addressee, with the proof (回执、截图).

    ``received_on`` empty: 待确认送达. For a 收费通知书 and a 补正告知书 it feeds the clocks that run from the
    applicant's receipt (services.delivery)."""

    letter = models.OneToOneField("applications.Letter", on_delete=models.CASCADE, related_name="delivery")
    method = models.CharField("送达方式", max_length=12, choices=ServiceMethod.choices)
    tracking_number = models.CharField("邮件号码", max_length=50, blank=True)
    sent_on = models.DateField("发出（送达）日期")
    received_on = models.DateField(
        "签收（确认送达）日期",
        null=True,
        blank=True,
        help_text="当面送达为交付之日；邮寄为签收之日；电子邮件、短信、平台为确认送达之日。未确认前为“待确认送达”。",
    )
    proof = models.FileField("送达凭证", upload_to=PROOF_DIR, blank=True)
    proof_name = models.CharField("凭证原文件名", max_length=200, blank=True)
    proof_extension = models.CharField(max_length=8, blank=True)
    proof_sha256 = models.CharField(max_length=64, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = user_reference()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(NamedInChinese):
        verbose_name = "文书送达记录"
        constraints = [
            not_before("received_on", "sent_on", name="letter_delivery_received_after_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.sent_on}"

    @property
    def pending(self) -> bool:
        return self.received_on is None


class LetterStamp(models.Model):
    """The stamped copy of an issued letter: the scan of the signed and stamped paper letter, and/or the mark
    that the organisation's 电子印章 was placed on the generated PDF (``sealed_at``; the seal used by hash)."""

    letter = models.OneToOneField("applications.Letter", on_delete=models.CASCADE, related_name="stamp")
    scan = models.FileField("盖章扫描件", upload_to=STAMPED_DIR, blank=True)
    scan_name = models.CharField("扫描件原文件名", max_length=200, blank=True)
    scan_extension = models.CharField(max_length=8, blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True)
    scan_uploaded_at = models.DateTimeField("扫描件上传时间", null=True, blank=True)
    sealed_at = models.DateTimeField("加盖电子印章时间", null=True, blank=True)
    seal_sha256 = models.CharField("所用印章（摘要）", max_length=64, blank=True)
    seal_file = models.CharField("所用印章文件", max_length=200, blank=True)  # kept when the seal is replaced
    updated_by = user_reference()

    class Meta(NamedInChinese):
        verbose_name = "盖章文书"

    def __str__(self) -> str:
        return f"盖章文书 {self.letter_id}"

    @property
    def has_scan(self) -> bool:
        return bool(self.scan)


class OrganisationSeal(models.Model):
    """An organisation's 电子印章 image (PNG with a transparent background), placed on its issued letters."""

    org = models.OneToOneField("orgs.Organisation", on_delete=models.CASCADE, related_name="seal")
    image = models.FileField("印章图片", upload_to=SEAL_DIR)
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField("宽（像素）")
    height = models.PositiveIntegerField("高（像素）")
    uploaded_by = user_reference()
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)

    class Meta(NamedInChinese):
        verbose_name = "电子印章"

    def __str__(self) -> str:
        return f"电子印章 {self.org_id}"
