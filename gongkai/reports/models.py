"""Annual reports (versions through draft → submitted → approved → published) and hand-entered 表二 figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.core.fields import NamedInChinese, org_reference

from .definitions import format_label


class Scope(models.TextChoices):
    SELF = "self", "本机关"
    TREE = "tree", "本级及所属机构"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交审核"
    APPROVED = "approved", "已审核"
    PUBLISHED = "published", "已发布"


# The status changes are the steps of workflow.STEPS (``WORKFLOW.allowed_transitions()`` derives them).


class Report(models.Model):
    """One version of an organisation's annual report on ``year`` (条例第四十九条、第五十条).

    Narrative sections 一–六 are sanitised HTML; the statistics are computed from the records and frozen
    into ``data`` (canonical JSON) when the version is submitted. A published version never changes; a
    correction is a new version (``version`` + 1) with a ``change_note``.
    """

    org = org_reference("机构", related_name="reports")
    year = models.PositiveSmallIntegerField("年度")
    format = models.CharField("格式", max_length=8)
    scope = models.CharField("统计范围", max_length=8, choices=Scope.choices, default=Scope.SELF)
    version = models.PositiveSmallIntegerField("版本", default=1)
    status = models.CharField(
        "状态", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    sections = models.JSONField("正文", default=dict, blank=True)
    data = models.JSONField("统计数据", null=True, blank=True)
    change_note = models.TextField("更正说明", blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta(NamedInChinese):
        verbose_name = "年度报告"
        ordering = ["org__path", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "version"], name="report_version_unique"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.PUBLISHED) | Q(published_on__isnull=False),
                name="report_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(change_note=""), name="report_correction_has_note"
            ),
        ]

    def __str__(self) -> str:
        suffix = f"（第{self.version}版）" if self.version > 1 else ""
        return f"{self.org}{self.year}年政府信息公开工作年度报告{suffix}"

    @property
    def title(self) -> str:
        return f"{self.org.name}{self.year}年政府信息公开工作年度报告"

    @property
    def format_label(self) -> str:
        """The format as staff and readers see it: 「2021年版」/「2019年版」 (``definitions.format_label``)."""
        return format_label(self.format)

    @property
    def is_draft(self) -> bool:
        """Not yet published: its documents carry a 「草稿」 mark."""
        return self.status != ReportStatus.PUBLISHED

    @property
    def file_stem(self) -> str:
        """The name of its downloads: the title, 「（第2版）」 for a correction, 「（草稿）」 until published."""
        version = f"（第{self.version}版）" if self.version > 1 else ""
        return f"{self.title}{version}{'（草稿）' if self.is_draft else ''}"

    @property
    def is_locked(self) -> bool:
        """Published versions are immutable; submitted/approved ones change only by being sent back."""
        return self.status != ReportStatus.DRAFT


class Table2Figure(models.Model):
    """One 表二 cell entered by hand for an organisation-year, with its source (figures entered once).

    ``item``/``row``/``column`` are the exact labels of the year's format (reports.definitions); the value
    is a number, or ``text`` for a published cell that carries its own unit (e.g. "101647022.75元").
    """

    org = org_reference("机构", related_name="table2_figures")
    year = models.PositiveSmallIntegerField("年度")
    item = models.CharField("第二十条项目", max_length=20)
    row = models.CharField("信息内容", max_length=30)
    column = models.CharField("指标", max_length=30)
    value = models.DecimalField("数值", max_digits=18, decimal_places=2, null=True, blank=True)
    text = models.CharField("文字", max_length=50, blank=True)
    source = models.CharField("数据来源", max_length=100)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta(NamedInChinese):
        verbose_name = "表二填报数据"
        ordering = ["org__path", "-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "item", "row", "column"], name="table2_figure_unique"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True, text__gt="") | Q(value__isnull=False, text=""),
                name="table2_figure_value_xor_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year} {self.row}·{self.column}"
