"""Forms of the staff pages: workflow steps, letters, remedy cases, ledgers (validation only; services do the
work). The intake forms are in ``intake_forms``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from gongkai.applications.clocks import Consulted
from gongkai.core.forms import DateInput
from gongkai.orgs.models import Organisation

from .attachments import ALLOWED_TEXT, MAX_ATTACHMENT_BYTES
from .models import Application, FeeNotice, Letter, RemedyCase
from .selectors import challengeable_letters, letter_choice_label
from .services.replies import REPLY_OUTCOMES
from .vocab import (
    WITHHOLDING_GROUNDS,
    FeeMethod,
    Outcome,
    ReplyBasis,
    outcome_choices,
)

DATE = DateInput()


def date_field(
    label: str, *, required: bool = True, initial_today: bool = False, help_text: str = ""
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        initial=timezone.localdate if initial_today else None,
        help_text=help_text,
    )


class StatusForm(forms.Form):
    tracking_code = forms.CharField(label="申请编号", max_length=20)
    secret = forms.CharField(label="查询码", max_length=40)


class CorrectionForm(forms.Form):
    items = forms.CharField(label="需要补正的事项", widget=forms.Textarea(attrs={"rows": 3}))
    until = date_field(
        "补正期限（日期）", required=False, help_text="填写日期，或者填写下方的工作日数（二选一）。"
    )
    days = forms.IntegerField(
        label="补正期限（自申请人收到补正告知书之日起的工作日数）",
        required=False,
        min_value=1,
        max_value=60,
        help_text="按工作日数确定的，送达日期确认后才能算出补正期限（此前显示“待确认送达”）。",
    )
    date = date_field("通知日期", initial_today=True)


class CorrectionReceiptForm(forms.Form):
    received_on = date_field(
        "申请人收到补正告知书的日期",
        help_text="当面为交付之日；邮寄为签收之日；电子邮件、短信、平台为确认送达之日。",
    )
    note = forms.CharField(label="说明", required=False, max_length=500)


class DateNoteForm(forms.Form):
    date = date_field("日期", initial_today=True)
    note = forms.CharField(label="说明", required=False, max_length=500)


CONSULT_DELIVERY_HELP = (
    "对方的答复期限自收到征求意见书之日起计算 15 个工作日（第三十二条、第三十四条）。送达日期未知时显示"
    "“待确认送达”，答复期限持续暂停计算；确认后请记录送达日期。"
)


class ConsultForm(forms.Form):
    party = forms.CharField(label="征求意见对象", max_length=200)
    consulted = forms.ChoiceField(
        label="对象类型",
        choices=Consulted.choices,
        help_text="第三方：第三十二条；共同制作机关：第三十四条（逾期未提出意见的视为同意公开）；"
        "其他机关（非共同制作）：第三十三条第三款，不适用视为同意公开。",
    )
    lead_confirmed = forms.BooleanField(
        label="确认：该政府信息由本机关与被征求意见机关共同制作，本机关为牵头制作机关（对象类型为共同制作机关时必选）",
        required=False,
    )
    date = date_field("发出日期", initial_today=True)
    delivered = date_field("送达日期（已知时填写）", required=False, help_text=CONSULT_DELIVERY_HELP)


class ConsultDeliveryForm(forms.Form):
    party = forms.CharField(label="征求意见对象", max_length=200)
    delivered = date_field("对方收到征求意见书的日期")
    note = forms.CharField(
        label="说明（如邮件回执号）", required=False, max_length=500, help_text=CONSULT_DELIVERY_HELP
    )


class ConsultAnswerForm(forms.Form):
    party = forms.CharField(label="答复方", max_length=200)
    date = date_field("收到答复日期", initial_today=True)
    objected = forms.BooleanField(label="第三方不同意公开（第三十二条）", required=False)
    note = forms.CharField(label="意见摘要", required=False, max_length=500)


class DisclosureNoticeForm(forms.Form):
    """第三十二条: disclosing despite a third party's objection, for the public interest."""

    party = forms.CharField(label="第三方", max_length=200)
    content = forms.CharField(label="决定公开的政府信息内容", widget=forms.Textarea(attrs={"rows": 3}))
    reasons = forms.CharField(
        label="理由（不公开可能对公共利益造成重大影响的情况）", widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonsForm(forms.Form):
    """第三十五条: ask the applicant for reasons by a deadline."""

    until = date_field("说明理由的期限（含当日）")
    date = date_field("通知日期", initial_today=True)
    note = forms.CharField(label="说明", required=False, max_length=500)


class ExtensionForm(forms.Form):
    """The fields follow the organisation's 延期审批方式 (services.extensions.extension_mode): named, system, upload."""

    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20, initial=20)
    approved_by = forms.CharField(label="批准人（政府信息公开工作机构负责人）", max_length=50)
    reason = forms.CharField(label="延期理由", max_length=300)
    date = date_field("决定日期", initial_today=True)

    def __init__(self, *args: Any, mode: str = "named", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if mode == "system":
            del self.fields["approved_by"]
            self.fields["days"].help_text = (
                "本机关实行双人审核：延期由本申请经办人、登记人以外的审核人或公开办管理员以本人账号批准，"
                "批准人记为批准者本人。"
            )
        elif mode == "upload":
            self.fields["approved_by"].label = "批准人（在审批单上签字的负责人）"
            self.fields["approval_file"] = forms.FileField(
                label="延期审批单（负责人签字）",
                help_text=f"本机关实行双人审核，延期须上传经负责人签字的审批单（{ALLOWED_TEXT}，"
                f"不超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB）。",
                error_messages={"required": "请上传经政府信息公开工作机构负责人签字的延期审批单。"},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data.setdefault("approved_by", "")
        data.setdefault("approval_file", None)
        return data


FEE_RECEIPT_HELP = (
    "缴费期限自申请人收到收费通知的次日起计算 20 个工作日。当面送达为交付之日；邮寄为申请人签收之日；"
    "网上（数据电文）、短信为确认送达之日。未确认前显示“待确认送达”，不能认定申请人逾期未缴费。"
)


class FeeForm(forms.Form):
    method = forms.ChoiceField(label="计收方式", choices=FeeMethod.choices)
    pages = forms.IntegerField(label="页数（按量计收时填写）", min_value=0, required=False)
    date = date_field("通知日期", initial_today=True)
    delivery = forms.ChoiceField(
        label="送达方式", choices=FeeNotice.Delivery.choices, help_text=FEE_RECEIPT_HELP
    )
    received_on = date_field("申请人收到日期（网上、短信已确认送达时填写；当面送达不填）", required=False)


class FeeReceiptForm(forms.Form):
    received_on = date_field("申请人收到日期")
    note = forms.CharField(
        label="说明（如邮件回执号）", required=False, max_length=500, help_text=FEE_RECEIPT_HELP
    )


class DelayForm(forms.Form):
    """第三十五条: the reasons are sound, but the reply cannot be made within the 第三十三条 period."""

    until = date_field("延迟答复期限")
    reason = forms.CharField(label="无法在法定期限内答复的原因", max_length=300)
    date = date_field("决定日期", initial_today=True)


class AssignForm(forms.Form):
    """Choose the 经办人 among the clerks and 公开办管理员 of the organisation and of its handling office (the
    政府信息公开工作机构 that handles its applications); the field is built per organisation."""

    def __init__(self, *args: Any, org: Any, **kwargs: Any) -> None:
        from gongkai.accounts.models import User
        from gongkai.orgs.handling import handling_office_of
        from gongkai.orgs.models import Role

        super().__init__(*args, **kwargs)
        users = (
            User.objects.filter(
                is_active=True,
                memberships__org__in={org, handling_office_of(org)},
                memberships__role__in=[Role.CLERK, Role.OFFICE_ADMIN],
            )
            .distinct()
            .order_by("username")
        )
        self.fields["assignee"] = forms.ModelChoiceField(label="经办人", queryset=users, empty_label=None)


class ReplyForm(forms.Form):
    """The reply: one 表三 row plus what its letter must state (services.replies.reply_requirements checks them)."""

    outcome = forms.ChoiceField(
        label="办理结果（表三）",
        choices=outcome_choices(o.value for o in Outcome if o.value in REPLY_OUTCOMES),
    )
    basis = forms.ChoiceField(
        label="答复依据（予以公开、本机关不掌握相关政府信息时选择）",
        choices=[("", "——"), *ReplyBasis.choices],
        required=False,
        help_text="本机关不掌握相关政府信息的，必须选择：该政府信息不存在，或者不属于本机关负责公开。",
    )
    summary = forms.CharField(
        label="答复要点或理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="部分公开、不予公开以及不属于本机关负责公开的，必须说明理由。",
    )
    withheld_grounds = forms.MultipleChoiceField(
        label="不予公开部分所依据的情形（部分公开时选择）",
        choices=[
            (code, f"{Outcome(code).label}（{article}）") for code, article in WITHHOLDING_GROUNDS.items()
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    access_route = forms.CharField(
        label="获取方式、途径（已经主动公开时填写，如网址、查阅场所）", required=False, max_length=1000
    )
    other_procedure = forms.CharField(
        label="其他法定查询途径（属于行政查询事项时填写，如不动产登记资料查询及办理机关）",
        required=False,
        max_length=1000,
    )
    referral_org = forms.ModelChoiceField(
        label="负责公开的行政机关（不属于本机关负责公开时，可在本平台的机构中选择）",
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
    )
    referral_name = forms.CharField(
        label="负责公开的行政机关名称（能够确定时填写；已选择机构的可不填）", required=False, max_length=100
    )
    referral_contact = forms.CharField(
        label="负责公开的行政机关联系方式（已选择机构的可不填）", required=False, max_length=200
    )
    date = date_field("答复日期", initial_today=True)


class LetterForm(forms.ModelForm):
    class Meta:
        model = Letter
        fields = ["number", "title", "recipient", "body", "signatory", "dated"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14}), "dated": DATE}


class LetterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return letter_choice_label(obj)


class RemedyForm(forms.ModelForm):
    application_code = forms.CharField(label="关联申请编号", required=False, max_length=20)
    challenged_letter = LetterChoiceField(
        label="被复议（被诉）文书",
        queryset=Letter.objects.none(),
        required=False,
        empty_label="默认：最后一份已出具的答复告知书",
        help_text="可选择所关联申请已出具的文书；更换关联申请后请保存一次，再选择该申请的文书。",
        error_messages={"invalid_choice": "所选文书不是所关联申请已出具的文书，请重新选择。"},
    )

    class Meta:
        model = RemedyCase
        fields = ["org", "kind", "filed_on", "body", "case_number", "result", "closed_on", "note"]
        fields += ["copy_received_on", "simple_procedure", "answer_submitted_on"]
        widgets = {"filed_on": DATE, "closed_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}
        widgets |= {"copy_received_on": DATE, "answer_submitted_on": DATE}
        help_texts = {"copy_received_on": "答复（答辩）期限自该日起计算；日期不明的留空，显示为「待确认」。"}

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["org"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = orgs
        if self.instance.pk:
            # A case stays with the organisation it was registered for: a different 被申请机关 is a new case.
            org_field.disabled = True
            org_field.help_text = "已登记案件的被申请机关不能更改；如登记错了机关，请另行登记并删除本案件。"
        if self.instance.pk and self.instance.application:
            self.fields["application_code"].initial = self.instance.application.tracking_code
            self.fields["challenged_letter"].initial = self.instance.challenged_letter_id
        letter_field = self.fields["challenged_letter"]
        assert isinstance(letter_field, forms.ModelChoiceField)
        letter_field.queryset = challengeable_letters(self._application_id(orgs))

    def _application_id(self, orgs: Any) -> int | None:
        """The application whose letters may be chosen: the one named in the submitted form, else the case's."""
        if self.is_bound:
            code = str(self.data.get("application_code") or "").strip()
            org = str(self.instance.org_id if self.instance.pk else self.data.get("org") or "")
            if not code or not org.isdigit():
                return None
            found = Application.objects.filter(org__in=orgs, org_id=int(org), tracking_code=code).first()
            return found.pk if found else None
        return self.instance.application_id if self.instance.pk else None


class LedgerForm(forms.Form):
    kind = forms.ChoiceField(label="台账类型", choices=[("applications", "申请"), ("remedies", "复议诉讼")])
    file = forms.FileField(label="文件（CSV 或 XLSX）")
    dry_run = forms.BooleanField(label="仅检查，不导入", required=False)

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"] = forms.ModelChoiceField(label="机关", queryset=orgs, empty_label=None)
        self.order_fields(["org"])
