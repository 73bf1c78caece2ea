"""依申请公开 records: applications, their event log, attachments, fee notices, letters and remedy cases."""

from __future__ import annotations

from typing import Any

from django.db import models

from gongkai.applications.clocks import Consulted
from gongkai.applications.clocks import EventKind as ClockKind
from gongkai.core.constraints import closed_iff_dated, not_before
from gongkai.core.counters import SerialCounter
from gongkai.core.fields import NamedInChinese, org_reference, user_reference

from .states import EVENT_CHOICES, EVENT_DATA_LABELS, OPEN_STATUSES, Status
from .vocab import (
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryMethod,
    FeeMethod,
    IdType,
    LetterKind,
    Outcome,
    RemedyKind,
    RemedyResult,
    ReplyBasis,
    outcome_display,
)

ISSUED_DIR = "applications/issued/"  # issued letters' PDFs, named by their hash; served only through views


class Application(models.Model):
    """One 政府信息公开申请 handled by ``org``.

    Invariants (CheckConstraints + services): outcome == "" ⇔ closed_on is null; closed_on ≥
    received_on. ``outcome`` is the 表三 row; ``applicant_type`` the 表三 column.
    """

    org = org_reference("办理机关", related_name="applications")
    tracking_code = models.CharField("申请编号", max_length=20, unique=True)
    secret_hash = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(
        "状态", max_length=24, choices=Status.choices, default=Status.REGISTERED, db_index=True
    )

    # Receipt (第三十一条).
    channel = models.CharField("申请渠道", max_length=20, choices=Channel.choices)
    channel_note = models.CharField(
        "渠道说明", max_length=50, blank=True, help_text="如：电子邮件、网上申请平台"
    )
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    signed_for_on = models.DateField("签收日期", null=True, blank=True)
    confirmed_on = models.DateField("确认日期", null=True, blank=True)
    received_on = models.DateField("收到申请日期", db_index=True)
    submitted_online = models.BooleanField("网上提交", default=False)

    # Applicant (第二十九条第二款第一项). ID and phone are encrypted at rest (crypto.py).
    applicant_type = models.CharField("申请人类型", max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField("申请人姓名或名称", max_length=200)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, blank=True)
    id_number_enc = models.TextField("证件号码（密文）", blank=True, editable=False)
    id_number_tail = models.CharField(max_length=4, blank=True, editable=False)
    phone_enc = models.TextField("联系电话（密文）", blank=True, editable=False)
    phone_tail = models.CharField(max_length=4, blank=True, editable=False)
    # Keyed hash of the applicant's identity (证件 or name), for the 按件计收 monthly count (109号第四条).
    applicant_key = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=300, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)

    # The information sought (第二十九条第二款第二项、第三项).
    info_title = models.CharField("所需信息名称", max_length=300)
    info_doc_number = models.CharField("文号", max_length=100, blank=True)
    info_description = models.TextField("所需信息的特征描述", blank=True)
    delivery_form = models.CharField(
        "信息的载体形式", max_length=12, choices=DeliveryForm.choices, default=DeliveryForm.ELECTRONIC
    )
    delivery_method = models.CharField(
        "获取信息的方式", max_length=12, choices=DeliveryMethod.choices, default=DeliveryMethod.EMAIL
    )

    # Handling.
    assignee = user_reference("经办人")
    outcome = models.CharField("办理结果", max_length=4, choices=Outcome.choices, blank=True, db_index=True)
    closed_on = models.DateField("答复（办结）日期", null=True, blank=True, db_index=True)
    reply_summary = models.TextField("答复要点", blank=True)
    # What the reply letter needs beyond the outcome (services.replies.reply_requirements checks them; README table).
    basis = models.CharField(
        "答复依据",
        max_length=4,
        choices=ReplyBasis.choices,
        blank=True,
        help_text="予以公开：已经主动公开或者向申请人提供；本机关不掌握相关政府信息：信息不存在或者不属于本机关负责公开。",
    )
    withheld_grounds = models.JSONField(
        "不予公开部分的理由类别", default=list, blank=True, help_text="部分公开时，不予公开部分所依据的情形"
    )
    access_route = models.TextField(
        "获取方式、途径", blank=True, help_text="已经主动公开的信息：网址、查阅场所等"
    )
    other_procedure = models.TextField(
        "其他法定查询途径",
        blank=True,
        help_text="属于行政查询事项时：应当依照办理的法律、行政法规规定的途径及办理机关",
    )
    referral_org = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="负责公开的行政机关（本平台内）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    referral_name = models.CharField("负责公开的行政机关名称", max_length=100, blank=True)
    referral_contact = models.CharField("负责公开的行政机关联系方式", max_length=200, blank=True)
    imported = models.BooleanField("台账导入", default=False)
    # Set when the retention run removed the applicant's personal data (applications/retention.py).
    personal_data_purged_on = models.DateField("个人信息删除日期", null=True, blank=True, editable=False)

    # Deadlines, cached from the clocks (applications.clocks) after every event (for the dashboard and reminders).
    clock_state = models.CharField("计时状态", max_length=24, blank=True)
    correction_notice_due = models.DateField("补正告知期限", null=True, blank=True)
    reply_due = models.DateField("答复期限", null=True, blank=True, db_index=True)
    fee_due = models.DateField("缴费期限", null=True, blank=True)
    correction_until = models.DateField("补正期限", null=True, blank=True)
    deadline_provisional = models.BooleanField("期限为暂定", default=False)
    deadline_steps = models.JSONField("期限说明", default=list, blank=True)
    deadline_warnings = models.JSONField("期限提示", default=list, blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta(NamedInChinese):
        verbose_name = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["org", "received_on"]), models.Index(fields=["org", "closed_on"])]
        constraints = [
            closed_iff_dated("outcome", "", "closed_on", name="application_outcome_iff_closed"),
            not_before("closed_on", "received_on", name="application_closed_after_received"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.info_title[:30]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def outcome_label(self) -> str:
        """The exact 表三 leaf label (reports, ledger, API)."""
        return self.get_outcome_display() if self.outcome else ""

    @property
    def outcome_display(self) -> str:
        """The outcome as staff and the applicant read it (no row number, no counting note)."""
        return outcome_display(self.outcome)


class ApplicationEvent(models.Model):
    """One entry of an application's event log; clock kinds feed the clocks (applications.clocks)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事件", max_length=24, choices=EVENT_CHOICES)
    date = models.DateField("日期")
    actor = user_reference("操作人")
    data = models.JSONField("详情", default=dict, blank=True)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta(NamedInChinese):
        verbose_name = "办理记录"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

    @property
    def actor_label(self) -> str:
        """Who did it, as the 办理记录 says: the staff member; the applicant for what they did online (the online
        submission, a 补正 sent from the status page), which has no user behind it; else nothing (a system step)."""
        user = self.actor  # the user who acted (the view selects it with the events), never a system actor
        if user is not None:
            return str(user)
        if self.kind == ClockKind.RECEIVED and self.application.submitted_online:
            return "申请人（网上提交）"
        if self.kind == ClockKind.CORRECTION_RECEIVED and (self.data or {}).get("online"):
            return "申请人（网上补正）"
        return ""

    @property
    def details(self) -> str:
        """The event's data as one line for the staff page: field names and coded values in Chinese."""
        items = ((k, v) for k, v in (self.data or {}).items() if v not in ("", None))
        return "；".join(f"{EVENT_DATA_LABELS.get(k, k)}：{event_value_label(k, v)}" for k, v in items)


def event_value_label(key: str, value: Any) -> Any:
    """The Chinese label of a coded event value (EVENT_VALUE_VOCABULARIES); other values unchanged."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "outcome" and isinstance(value, str) and value in Outcome.values:
        return outcome_display(value)  # as staff read it, without the 表三 counting note
    vocabulary = EVENT_VALUE_VOCABULARIES.get(key)
    if vocabulary is not None and isinstance(value, str) and value in vocabulary.values:
        return vocabulary(value).label
    return value


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"applications/{instance.application.tracking_code}/{instance.sha256[:16]}{instance.extension}"


class AttachmentPurpose(models.TextChoices):
    APPLICATION = "application", "申请材料"
    EXTENSION_APPROVAL = "extension_approval", "延期审批单"
    CORRECTION = "correction", "补正材料"  # sent by the applicant online (services.public_correction)


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField(
        "用途", max_length=20, choices=AttachmentPurpose.choices, default=AttachmentPurpose.APPLICATION
    )
    file = models.FileField("文件", upload_to=attachment_path)
    name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(NamedInChinese):
        verbose_name = "申请附件"

    def __str__(self) -> str:
        return self.name


class FeeNotice(models.Model):
    """A 收费通知 under 国办函〔2020〕109号: method, quantity, amount and its computation.

    The payment period runs from the day after the applicant *receives* the notice (``received_on``), so a
    posted notice whose signed-for date is not yet known has no payment deadline (待确认送达).
    """

    class State(models.TextChoices):
        SENT = "sent", "已通知"
        PAID = "paid", "已缴费"
        UNPAID = "unpaid", "逾期未缴"

    class Delivery(models.TextChoices):
        IN_PERSON = "in_person", "当面送达"
        POST = "post", "邮寄"
        ONLINE = "online", "网上（数据电文）"
        SMS = "sms", "短信"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="fee_notices")
    method = models.CharField("计收方式", max_length=20, choices=FeeMethod.choices)
    quantity = models.PositiveIntegerField("计费数量", help_text="按件：本月累计件数（含本件）；按量：页数")
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    computation = models.TextField("计算过程")
    sent_on = models.DateField("通知日期")
    delivery = models.CharField(
        "送达方式", max_length=12, choices=Delivery.choices, default=Delivery.IN_PERSON
    )
    received_on = models.DateField(
        "申请人收到日期",
        null=True,
        blank=True,
        help_text="当面送达为交付之日；邮寄为申请人签收之日；网上、短信为确认送达之日。未确认前缴费期限待定。",
    )
    due_on = models.DateField("缴费期限", null=True, blank=True)
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.SENT)
    settled_on = models.DateField("缴费（确认未缴）日期", null=True, blank=True)

    class Meta(NamedInChinese):
        verbose_name = "收费通知"
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount}元"


EVENT_VALUE_VOCABULARIES: dict[str, type[models.TextChoices]] = {
    "channel": Channel,
    "consulted": Consulted,
    "method": FeeMethod,
    "delivery": FeeNotice.Delivery,
    "outcome": Outcome,
}


class Letter(models.Model):
    """A letter to the applicant or a third party: drafted from a template, edited, then issued (frozen)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField("文书类型", max_length=20, choices=LetterKind.choices)
    number = models.CharField("文号", max_length=100, blank=True)
    title = models.CharField("标题", max_length=200)
    recipient = models.CharField("主送", max_length=200)
    body = models.TextField("正文", help_text="每段一行")
    signatory = models.CharField("落款", max_length=200)
    dated = models.DateField("成文日期")
    issued_at = models.DateTimeField("出具时间", null=True, blank=True)
    # The PDF as issued, rendered once when issued (or sealed) and never again (issued_pdf.letter_pdf_bytes).
    issued_pdf = models.FileField("出具件（PDF）", upload_to=ISSUED_DIR, blank=True)
    issued_pdf_sha256 = models.CharField("出具件摘要（SHA-256）", max_length=64, blank=True)
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(NamedInChinese):
        verbose_name = "文书"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.splitlines() if p.strip()]


class RemedyCase(models.Model):
    """A 行政复议 or 行政诉讼 case about 政府信息公开 (表四), linked to an application where known."""

    org = org_reference("被申请（被告）机关", related_name="remedy_cases")
    kind = models.CharField("类型", max_length=20, choices=RemedyKind.choices)
    filed_on = models.DateField("收到（立案）日期", db_index=True)
    body = models.CharField("复议机关或人民法院", max_length=200, blank=True)
    case_number = models.CharField("案号", max_length=100, blank=True)
    result = models.CharField(
        "结果", max_length=12, choices=RemedyResult.choices, default=RemedyResult.PENDING
    )
    closed_on = models.DateField("审结日期", null=True, blank=True)
    application = models.ForeignKey(
        Application,
        verbose_name="关联申请",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="remedy_cases",
    )
    note = models.TextField("备注", blank=True)
    imported = models.BooleanField("台账导入", default=False)
    # The agency's own deadline (行政复议法第四十八条、第五十四条; 行政诉讼法第六十七条) runs from this day; empty: 待确认.
    copy_received_on = models.DateField("收到复议申请书副本或起诉状副本之日", null=True, blank=True)
    simple_procedure = models.BooleanField("复议适用简易程序", default=False)
    answer_submitted_on = models.DateField("提交书面答复（答辩状）及证据之日", null=True, blank=True)
    # The issued letter the case challenges (empty: the application's last issued 答复告知书, selectors).
    challenged_letter = models.ForeignKey(
        "applications.Letter",
        verbose_name="被复议（被诉）文书",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="remedy_cases",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(NamedInChinese):
        verbose_name = "行政复议、行政诉讼案件"
        ordering = ["-filed_on", "-id"]
        constraints = [
            closed_iff_dated("result", RemedyResult.PENDING, "closed_on", name="remedy_result_iff_closed"),
            not_before("closed_on", "filed_on", name="remedy_closed_after_filed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.filed_on}"


class TrackingCounter(SerialCounter):
    """The last serial number issued per year."""

    year = models.PositiveSmallIntegerField(primary_key=True)

    class Meta(NamedInChinese):
        verbose_name = "申请编号计数器"

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# The proof of delivery of a letter, its stamped copy and the organisation's seal (delivery_models.py); the
# evidence bundles of remedy cases (evidence/models.py).
from .delivery_models import LetterDelivery, LetterStamp, OrganisationSeal  # noqa: E402, F401
from .evidence.models import EvidenceBundle  # noqa: E402, F401
