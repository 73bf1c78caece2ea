"""Forms of the delivery (送达), stamped-letter and 电子印章 pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from gongkai.orgs.models import Organisation

from .forms import date_field
from .vocab import ServiceMethod

PROOF_HELP = "回执扫描件、签收记录或截图：PDF、JPG、PNG，不超过 10 MB。"


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label="送达方式", choices=[("", "请选择"), *ServiceMethod.choices])
    tracking_number = forms.CharField(
        label="邮件号码", required=False, max_length=50, help_text="邮寄送达必填。"
    )
    sent_on = date_field("发出（送达）日期", initial_today=True)
    received_on = date_field(
        "签收（确认送达）日期",
        required=False,
        help_text="当面送达为交付之日；邮寄为签收之日；电子邮件、短信、平台为确认送达之日。"
        "尚未确认的请留空（显示“待确认送达”）。",
    )
    proof = forms.FileField(label="送达凭证", required=False, help_text=PROOF_HELP)
    note = forms.CharField(label="说明", required=False, max_length=300)


class StampedScanForm(forms.Form):
    scan = forms.FileField(
        label="盖章扫描件", help_text="已签发并加盖公章的文书扫描件：PDF、JPG、PNG，不超过 20 MB。"
    )


class SealForm(forms.Form):
    org = forms.ChoiceField(label="机构")
    image = forms.FileField(
        label="电子印章图片", help_text="透明背景的 PNG 图片，边长 100–2000 像素，不超过 2 MB。"
    )

    def __init__(self, *args: Any, orgs: Sequence[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["org"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(o.code, o.name) for o in orgs]
