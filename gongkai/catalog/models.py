"""主动公开 catalogue: items with the core metadata, 索引号 counters, attachments, events, fields, dictionary."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models

from gongkai.core.counters import OrgYearCounter
from gongkai.core.fields import NamedInChinese, org_reference, user_reference
from gongkai.orgs.models import Organisation

from .vocab import (
    DisclosureAttr,
    DisclosureMethod,
    DocKind,
    Severity,
    Status,
    StatutoryItem,
    Topic,
    TypoKind,
    Validity,
)

# 《政府信息公开目录系统实施指引（试行）》: 前段码/后段码; the strict form is generated, the lenient one accepted.
INDEX_NO_STRICT = re.compile(
    r"^(?P<org>[0-9A-Z]{8}-?[0-9A-Z]|[0-9A-Z]{18})/(?P<year>\d{4})(?P<month>\d{2})?-(?P<seq>\d{5,7})$"
)
INDEX_NO_LENIENT = re.compile(r"^(?P<org>[^/\s]+)/(?P<year>\d{4})\d{0,2}-(?P<seq>\d+)$")


def validate_index_no(value: str) -> None:
    if not (INDEX_NO_STRICT.match(value) or INDEX_NO_LENIENT.match(value)):
        raise ValidationError(
            "索引号格式应为“组织机构代码/年份-序号”，例如 000014349/2024-00094。", code="index_no"
        )


class Field(models.Model):
    """领域 (the 26 试点领域 and local additions), kept as data so staff can extend the list."""

    name = models.CharField("领域名称", max_length=50, unique=True)
    alias = models.CharField("别称", max_length=50, blank=True)
    is_pilot = models.BooleanField("26个试点领域", default=False)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.IntegerField("排序", default=0)

    class Meta(NamedInChinese):
        verbose_name = "领域"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class IndexCounter(OrgYearCounter):
    """Last 索引号 serial used per organisation and year."""

    class Meta(NamedInChinese):
        verbose_name = "索引号计数"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="catalog_counter_org_year")]


class Item(models.Model):
    """One piece of government information in the catalogue (《条例》第十二条、第二十条)."""

    org = org_reference("发布机构", related_name="catalog_items")
    index_no = models.CharField("索引号", max_length=40, unique=True, validators=[validate_index_no])
    title = models.CharField("名称", max_length=300)
    publisher = models.CharField("发布机构", max_length=100, help_text="发布机构全称")
    doc_number = models.CharField("文号", max_length=100, blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    formed_on = models.DateField(
        "形成或变更日期",
        null=True,
        blank=True,
        help_text="计算《条例》第二十六条20个工作日公开时限的起点；留空取成文日期",
    )
    published_at = models.DateTimeField("发布日期", null=True, blank=True)
    topic = models.CharField("主题分类", max_length=20, choices=Topic.choices, default=Topic.GENERAL)
    statutory_item = models.CharField("公开内容类别", max_length=10, choices=StatutoryItem.choices, blank=True,
                                      help_text="《条例》第二十条、第二十一条规定的主动公开事项")  # fmt: skip
    doc_kind = models.CharField("文种类别", max_length=20, choices=DocKind.choices, default=DocKind.OTHER)
    fields = models.ManyToManyField(Field, verbose_name="领域", blank=True, related_name="items")
    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, default=Validity.VALID)
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    method = models.CharField(
        "公开方式", max_length=20, choices=DisclosureMethod.choices, default=DisclosureMethod.WEBSITE
    )
    keywords = models.CharField("主题词", max_length=200, blank=True)
    summary = models.TextField("内容概述", max_length=500, blank=True)
    body = models.TextField("正文", blank=True)
    disclosure = models.CharField(
        "公开属性", max_length=12, choices=DisclosureAttr.choices, default=DisclosureAttr.PROACTIVE
    )
    disclosure_reason = models.CharField("不主动公开的理由", max_length=300, blank=True,
                                         help_text="依申请公开或不予公开时必填，写明依据（如《条例》第十四条、第十五条、第十六条）")  # fmt: skip
    needs_interpretation = models.BooleanField("是否需要解读", default=False)
    interprets = models.ForeignKey("self", verbose_name="解读的政策文件", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="interpretations")  # fmt: skip
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    imported = models.BooleanField("导入", default=False)
    created_by = user_reference()
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta(NamedInChinese):
        verbose_name = "主动公开信息"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["org", "status", "published_at"], name="catalog_item_org_status"),
            models.Index(fields=["status", "statutory_item"], name="catalog_item_status_item"),
            # 表二 figures (reports) and the newest-first public lists (measured in bench/, BENCHMARKS.md)
            models.Index(fields=["doc_kind", "status", "org"], name="catalog_item_kind_status_org"),
            models.Index(fields=["status", "published_at"], name="catalog_item_status_pub"),
            # Public lists are ordered newest first (published_at, id): an index walk instead of a sort of the
            # whole subtree's items (BENCHMARKS.md, the city list at prefecture size); status and organisation
            # in the index too, so a city's page reads its ids from the index alone (~10 ms → ~2 ms a miss).
            models.Index(fields=["published_at", "id", "status", "org"], name="catalog_item_pub_cover"),
            # …and one organisation's list (a department's page): walked backwards within the organisation, the
            # status read from the index too (a page's ids come from the index alone).
            models.Index(fields=["org", "published_at", "id", "status"], name="catalog_item_org_pub_id"),
        ]

    def __str__(self) -> str:
        return f"{self.index_no} {self.title}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.disclosure != DisclosureAttr.PROACTIVE and not self.disclosure_reason.strip():
            errors["disclosure_reason"] = "依申请公开或不予公开的信息必须写明理由。"
        if self.doc_kind == DocKind.INTERPRETATION and self.interprets_id is None:
            errors["interprets"] = "政策解读必须关联被解读的政策文件。"
        if self.interprets_id is not None and self.interprets_id == self.pk:
            errors["interprets"] = "政策解读不能关联自身。"
        if self.validity == Validity.REPEALED and self.repealed_on is None:
            errors["repealed_on"] = "有效性为废止时必须填写废止日期。"
        if errors:
            raise ValidationError(errors)

    @property
    def formation_date(self) -> dt.date | None:
        """The day the information was formed or changed (第二十六条 clock start)."""
        return self.formed_on or self.written_on

    @property
    def is_public(self) -> bool:
        return self.status in (Status.PUBLISHED, Status.REPEALED)

    @property
    def serial(self) -> str:
        """The 后段码 (lists may show only this part)."""
        return self.index_no.split("/", 1)[-1]


class ItemEvent(models.Model):
    """One workflow step on an item (who moved it from which status to which, with a comment)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = user_reference()
    comment = models.CharField("意见", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(NamedInChinese):
        verbose_name = "信息流转记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_status} → {self.to_status}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"catalog/{instance.item.org.code}/{instance.item_id}/{instance.sha256[:16]}.{instance.ext}"


class Attachment(models.Model):
    """A file published with an item; the type is sniffed from the content, never taken from the name."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField("文件名", max_length=200)
    ext = models.CharField(max_length=8)
    mime = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(
        "提取的文字", blank=True, editable=False, help_text="发布前检查和全文检索使用；图片不做文字识别"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(NamedInChinese):
        verbose_name = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class TypoEntry(models.Model):
    """An entry of the editable 错别字 / 严重表述错误 dictionary used by the pre-publication scan."""

    wrong = models.CharField("错误写法", max_length=100, unique=True)
    correct = models.CharField("正确写法", max_length=100, blank=True)
    kind = models.CharField("类别", max_length=20, choices=TypoKind.choices, default=TypoKind.TYPO)
    severity = models.CharField("处理", max_length=10, choices=Severity.choices, default=Severity.WARN)
    note = models.CharField("说明", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta(NamedInChinese):
        verbose_name = "错敏词"
        ordering = ["kind", "wrong"]

    def __str__(self) -> str:
        return self.wrong


class SearchEntry(models.Model):
    """The search document of a published item: jieba-segmented text, space separated.

    On PostgreSQL a generated ``vector`` column (``to_tsvector('simple', …)``, not declared here) with
    a GIN index serves queries; on SQLite the
    FTS5 table ``catalog_fts`` mirrors this row (both created in the migrations).
    """

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title_tokens = models.TextField()
    tokens = models.TextField()
    published_at = models.DateTimeField(null=True)

    class Meta(NamedInChinese):
        verbose_name = "全文检索条目"

    def __str__(self) -> str:
        return str(self.item_id)


class ColumnVisit(models.Model):
    """Page views of a 专栏 column per organisation and day (figures for the annual report's 网站 section)."""

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    column = models.CharField("栏目", max_length=20)
    day = models.DateField("日期")
    count = models.PositiveIntegerField("访问量", default=0)

    class Meta(NamedInChinese):
        verbose_name = "栏目访问量"
        constraints = [
            models.UniqueConstraint(fields=["org", "column", "day"], name="catalog_visit_org_column_day")
        ]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.column}/{self.day}: {self.count}"
