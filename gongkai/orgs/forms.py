"""Forms for organisation data (the services do the validation that matters)."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import Organisation


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label="网站", required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name", "short_name", "code", "parent", "level", "kind", "sort_order", "is_active",
            "office_name", "address", "office_hours", "phone", "fax", "email", "postcode", "website",
            "review_body", "vertically_led", "court", "four_eyes", "extension_approval", "report_deadline", "report_deadline_basis",
            "handling_office",
            "personal_data_retention_years",
        ]  # fmt: skip

    def __init__(self, *args: Any, parents: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent_field: Any = self.fields["parent"]
        parent_field.queryset = parents
        parent_field.required = False
        office_field: Any = self.fields["handling_office"]
        office_field.queryset = offices if offices is not None else Organisation.objects.none()
        office_field.empty_label = "（本机关自行办理）"
        self.fields["code"].help_text = "9位组织机构代码或18位统一社会信用代码（含校验码）"

    def validate_unique(self) -> None:
        """Uniqueness is checked by the service's full_clean (after the code is normalised)."""


class ImportForm(forms.Form):
    file = forms.FileField(
        label="机构表（CSV 或 XLSX）",
        help_text="列：名称,简称,代码,上级代码,层级,类型（可加联系方式、政府信息公开工作机构代码等列）；CSV 可为 UTF-8 或 GBK 编码。",
    )
    dry_run = forms.BooleanField(label="只校验，不导入", required=False, initial=True)
