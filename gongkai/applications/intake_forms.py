"""Intake forms: the applicant's fields, staff registration and the public application form (validation only;
services do the work)."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.applications.receipt import RECEIPT_RULES
from gongkai.core.forms import MultipleFileField
from gongkai.notifications.services import contact_error
from gongkai.notifications.vocab import NoticeChannel

from .attachments import ALLOWED_TEXT, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from .forms import date_field
from .services.intake import ApplicantData, RequestData, identity_errors
from .vocab import (
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryMethod,
    IdType,
)

AUTOFILL = {  # field → (autocomplete token, input type)
    "name": ("name", ""),
    "phone": ("tel", "tel"),
    "email": ("email", ""),
    "address": ("street-address", ""),
    "postcode": ("postal-code", ""),
    "id_number": ("off", ""),
}


class ApplicantFields(forms.Form):
    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=[
            ("自然人", [(ApplicantType.NATURAL_PERSON, "自然人")]),
            ("法人或其他组织", [(t.value, t.label) for t in list(ApplicantType)[1:]]),
        ],
    )
    name = forms.CharField(label="姓名或名称", max_length=200)
    contact_person = forms.CharField(label="联系人（法人或其他组织填写）", max_length=50, required=False)
    id_type = forms.ChoiceField(label="证件类型", choices=[("", "——"), *IdType.choices], required=False)
    id_number = forms.CharField(label="证件号码", max_length=40, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    notify = forms.ChoiceField(
        label="办理进展通知方式",
        choices=NoticeChannel.choices,
        initial=NoticeChannel.NONE,
        required=False,
        widget=forms.RadioSelect,
        help_text="受理、补正、延期、收费和答复时通知您。选择短信的请填写手机号码，选择电子邮件的请填写电子邮箱。",
    )
    address = forms.CharField(label="通信地址", max_length=300, required=False)
    postcode = forms.RegexField(
        label="邮政编码", regex=r"^\d{6}$", required=False, error_messages={"invalid": "邮编应为6位数字。"}
    )
    info_title = forms.CharField(label="所需信息的名称", max_length=300)
    info_doc_number = forms.CharField(label="文号", max_length=100, required=False)
    info_description = forms.CharField(
        label="所需信息的特征描述", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )
    delivery_form = forms.ChoiceField(label="信息的载体形式", choices=DeliveryForm.choices)
    delivery_method = forms.ChoiceField(label="获取信息的方式", choices=DeliveryMethod.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("phone") or data.get("email") or data.get("address")):
            self.add_error("phone", "请至少填写一种联系方式（电话、电子邮箱或通信地址）。")
        if data.get("delivery_method") == DeliveryMethod.POST and not data.get("address"):
            self.add_error("address", "选择邮寄的，请填写通信地址。")
        if data.get("delivery_method") == DeliveryMethod.EMAIL and not data.get("email"):
            self.add_error("email", "选择电子邮件的，请填写电子邮箱。")
        if data.get("id_number") and not data.get("id_type"):
            self.add_error("id_type", "请选择证件类型。")
        error = contact_error(
            data.get("notify") or "", email=data.get("email") or "", phone=data.get("phone") or ""
        )
        if error and error[0] not in self.errors:
            self.add_error(error[0], error[1])
        return data

    def applicant(self) -> ApplicantData:
        d = self.cleaned_data
        return ApplicantData(
            applicant_type=d["applicant_type"],
            name=d["name"],
            id_type=d.get("id_type") or "",
            id_number=d.get("id_number") or "",
            phone=d.get("phone") or "",
            email=d.get("email") or "",
            address=d.get("address") or "",
            postcode=d.get("postcode") or "",
            contact_person=d.get("contact_person") or "",
            notify=d.get("notify") or NoticeChannel.NONE,
        )

    def request_data(self) -> RequestData:
        d = self.cleaned_data
        return RequestData(
            info_title=d["info_title"],
            info_doc_number=d.get("info_doc_number") or "",
            info_description=d.get("info_description") or "",
            delivery_form=d["delivery_form"],
            delivery_method=d["delivery_method"],
        )


EMAIL_CHOICE = "email"


class RegisterForm(ApplicantFields):
    channel = forms.ChoiceField(
        label="申请渠道",
        choices=[*Channel.choices, (EMAIL_CHOICE, "电子邮件（按互联网渠道确定收到日期）")],
        help_text=" ".join(RECEIPT_RULES.values()),
    )
    channel_note = forms.CharField(label="渠道说明", max_length=50, required=False, help_text="如：电子邮件")
    submitted_on = date_field("提交日期", required=False, initial_today=True)
    signed_for_on = date_field("签收日期（邮寄）", required=False)
    confirmed_on = date_field("确认日期（平常信函、互联网渠道、传真）", required=False)

    field_order = ["org", "channel", "channel_note", "submitted_on", "signed_for_on", "confirmed_on"]

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"] = forms.ModelChoiceField(label="办理机关", queryset=orgs, empty_label=None)
        self.fields["attachments"] = MultipleFileField(
            label="扫描件（申请表、信函、身份证明等）",
            required=False,
            max_files=MAX_ATTACHMENTS,
            max_file_bytes=MAX_ATTACHMENT_BYTES,
            help_text=f"最多 {MAX_ATTACHMENTS} 个，每个不超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB，"
            f"类型：{ALLOWED_TEXT}。",
        )
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("channel") == EMAIL_CHOICE:
            # E-mail is a 互联网渠道 under 第三十一条第三项: received on the day both sides confirm.
            data["channel"], data["channel_note"] = Channel.INTERNET, data.get("channel_note") or "电子邮件"
        return data


ID_TYPE_HELP = "申请人为自然人的必填（身份证明）；法人或其他组织可选择统一社会信用代码证书。"
ID_NUMBER_HELP = "申请人为自然人的必填，请填写所选证件上的号码。"


class PublicApplicationForm(ApplicantFields):
    attachments = MultipleFileField(
        label="附件（身份证明等）",
        required=False,
        max_files=MAX_ATTACHMENTS,
        max_file_bytes=MAX_ATTACHMENT_BYTES,
        help_text=f"最多 {MAX_ATTACHMENTS} 个，每个不超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB，类型：{ALLOWED_TEXT}。",
    )
    # Honeypot: hidden by CSS; people leave it empty, form-filling robots do not.
    website = forms.CharField(
        label="网址（请勿填写）",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),  # out of the tab order
    )
    agree = forms.BooleanField(label="本人承诺所填信息真实有效")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Let browsers and assistive tools fill the applicant's own data (WCAG 1.3.5), a phone keypad for 电话.
        for name, (token, input_type) in AUTOFILL.items():
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["autocomplete"] = token
                if input_type:
                    widget.input_type = input_type
        self.fields["id_type"].help_text = ID_TYPE_HELP
        self.fields["id_number"].help_text = ID_NUMBER_HELP

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The online form stands for the applicant's own papers: a citizen's 身份证明 is required (第二十九条);
        # the service checks it again (the API), staff registration does not (补正 covers what papers lack).
        errors = identity_errors(
            data.get("applicant_type") or "", data.get("id_type") or "", data.get("id_number") or ""
        )
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class PublicCorrectionForm(forms.Form):
    """The applicant's 补正 on the status page: what is added or corrected, and the papers asked for."""

    text = forms.CharField(
        label="补正内容",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请按补正告知书逐项说明补充或更正的内容，例如所需信息的名称、文号、形成时间等。",
    )
    attachments = MultipleFileField(
        label="补正材料",
        required=False,
        max_files=MAX_ATTACHMENTS,
        max_file_bytes=MAX_ATTACHMENT_BYTES,
        help_text=f"如补正告知书要求提供身份证明等材料，请在此上传：最多 {MAX_ATTACHMENTS} 个，每个不超过 "
        f"{MAX_ATTACHMENT_BYTES // 1024 // 1024} MB，类型：{ALLOWED_TEXT}。",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("attachments") and not self.errors:
            self.add_error("text", "请填写补正内容，或上传补正材料。")
        return data
