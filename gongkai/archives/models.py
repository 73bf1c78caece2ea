"""归档: a closed application filed under an archive number (年度-机构代码-序号) with a retention period.

Numbers are drawn from a per-organisation, per-year counter under a row lock and never reused: a record is
never deleted (PROTECT from the application side, no delete service), and the counter only goes up.
"""

from __future__ import annotations

import datetime as dt

from django.db import models

from gongkai.core.counters import OrgYearCounter
from gongkai.core.fields import NamedInChinese, org_reference, user_reference


class ArchiveCounter(OrgYearCounter):
    """The last 件号 drawn for one organisation and year."""

    class Meta(NamedInChinese):
        verbose_name = "件号计数"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="archive_counter_org_year")]


class ArchiveRecord(models.Model):
    application = models.OneToOneField(
        "applications.Application",
        verbose_name="申请",
        on_delete=models.PROTECT,
        related_name="archive_record",
    )
    org = org_reference("机关")
    year = models.PositiveSmallIntegerField("归档年度", db_index=True)
    serial = models.PositiveIntegerField("件号")
    number = models.CharField("档号", max_length=60, unique=True)
    retention_years = models.PositiveSmallIntegerField("保管期限（年）", help_text="0 表示永久")
    filed_on = models.DateField("归档日期")
    filed_by = user_reference("归档人")
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    destroyed_on = models.DateField("销毁日期", null=True, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta(NamedInChinese):
        verbose_name = "归档记录"
        ordering = ["-year", "org", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "serial"], name="archive_org_year_serial")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def retention_label(self) -> str:
        return "永久" if self.retention_years == 0 else f"{self.retention_years}年"

    @property
    def keep_until(self) -> int | None:
        """The last year of the retention period, counted from the year after filing (0: permanent)."""
        return None if self.retention_years == 0 else self.year + self.retention_years

    def expired(self, today: dt.date) -> bool:
        """Has the 保管期限 ended by ``today`` (it runs to the end of ``keep_until``; 永久 never ends)?"""
        return self.keep_until is not None and today.year > self.keep_until


class ArchiveTransfer(models.Model):
    """移交: one organisation's archive of one year handed to the 档案馆; after it the records are read-only."""

    org = org_reference("机关")
    year = models.PositiveSmallIntegerField("归档年度")
    transferred_on = models.DateField("移交日期")
    archive_name = models.CharField("接收档案馆", max_length=100)
    receiver = models.CharField("接收人", max_length=50)
    receipt_number = models.CharField("接收凭证编号", max_length=60)
    records = models.PositiveIntegerField("移交件数")
    recorded_by = user_reference("登记人")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta(NamedInChinese):
        verbose_name = "档案移交"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="archive_transfer_org_year")]

    def __str__(self) -> str:
        return f"{self.org_id}-{self.year}: {self.receipt_number}"


class DestructionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    DONE = "done", "已销毁"


class ArchiveDestruction(models.Model):
    """销毁: the 销毁清册 of one organisation's expired records of one year, proposed, then approved (and done).

    The register (``items``) and the row are kept for good: they are the record that the files were destroyed."""

    org = org_reference("机关")
    year = models.PositiveSmallIntegerField("归档年度")
    status = models.CharField("状态", max_length=10, choices=DestructionStatus.choices)
    items = models.JSONField("销毁清册", default=list)
    proposed_by = user_reference("提出人")
    proposed_on = models.DateField("提出日期")
    approved_by = user_reference("审批人")
    approved_on = models.DateField("销毁日期", null=True, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta(NamedInChinese):
        verbose_name = "档案销毁"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.org_id}-{self.year}: {self.status}"
