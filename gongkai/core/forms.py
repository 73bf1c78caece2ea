"""The audit browser's filter form, a fast <select>, and putting a service's ValidationError onto a form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from gongkai.orgs.models import Organisation

OBJECT_TYPES = [
    ("", "全部"),
    ("orgs.organisation", "机构"),
    ("orgs.membership", "岗位授权"),
    ("accounts.user", "用户"),
    ("accounts.apitoken", "API 令牌"),
    ("workdays.dayoverride", "工作日历"),
]


class PlainSelect(forms.Select):
    """A flat <select> rendered in Python rather than through a template per option.

    Django's widget templates cost ~0.1 ms per <option>: on a public list page with a few dozen options
    that was a third of the page's time (BENCHMARKS.md). Same markup; no option groups.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        selected = mark_safe(" selected")  # noqa: S308 (a constant)
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            ((v, selected if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(final), options)


class AuditFilterForm(forms.Form):
    org = forms.ModelChoiceField(
        label="机构", queryset=Organisation.objects.none(), required=False, empty_label="全部"
    )
    object_type = forms.ChoiceField(label="对象类型", choices=OBJECT_TYPES, required=False)
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field: Any = self.fields["org"]
        org_field.queryset = orgs

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data


def add_validation_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the field exists, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
