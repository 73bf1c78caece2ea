"""The audit browser's filter form."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.core.forms import DateInput
from gongkai.orgs.models import Organisation

OBJECT_TYPES = [
    ("", "全部"),
    ("orgs.organisation", "机构"),
    ("orgs.membership", "岗位授权"),
    ("accounts.user", "用户"),
    ("accounts.apitoken", "API 令牌"),
    ("workdays.dayoverride", "工作日历"),
]


class AuditFilterForm(forms.Form):
    org = forms.ModelChoiceField(
        label="机构", queryset=Organisation.objects.none(), required=False, empty_label="全部"
    )
    object_type = forms.ChoiceField(label="对象类型", choices=OBJECT_TYPES, required=False)
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    date_from = forms.DateField(label="起始日期", required=False, widget=DateInput())
    date_to = forms.DateField(label="截止日期", required=False, widget=DateInput())

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field: Any = self.fields["org"]
        org_field.queryset = orgs

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data
