"""Forms of the report pages (validation that matters lives in the services)."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.core.forms import DateInput
from gongkai.orgs.models import Organisation

from .definitions import FORMATS, SECTION_HEADINGS, SECTION_NUMBERS
from .models import Scope


class ReportCreateForm(forms.Form):
    org: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="机构", queryset=Organisation.objects.none()
    )
    year = forms.IntegerField(label="报告年度", min_value=2019, max_value=2100)
    scope = forms.ChoiceField(label="统计范围", choices=Scope.choices, initial=Scope.SELF)

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["org"]
        field.queryset = orgs


class SectionsForm(forms.Form):
    """The six narrative sections (rich text; sanitised by the service)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in SECTION_NUMBERS:
            self.fields[n] = forms.CharField(
                label=SECTION_HEADINGS[n], required=False, widget=forms.Textarea(attrs={"rows": 8})
            )


class CorrectionForm(forms.Form):
    change_note = forms.CharField(label="更正说明", widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(forms.Form):
    published_on = forms.DateField(label="发布日期", widget=DateInput())


def _project_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for fmt in ("2021", "2019"):
        for block in FORMATS[fmt].table2_layout.blocks:
            for row in block.rows:
                seen.setdefault(f"{block.item}/{row}", f"{block.item} {row}（{fmt}年格式）")
    return list(seen.items())


def _indicator_choices() -> list[tuple[str, str]]:
    labels = {c.label for spec in FORMATS.values() for b in spec.table2_layout.blocks for c in b.columns}
    return [(label, label) for label in sorted(labels)]


class FigureForm(forms.Form):
    org: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="机构", queryset=Organisation.objects.none()
    )
    year = forms.IntegerField(label="年度", min_value=2019, max_value=2100)
    project = forms.ChoiceField(label="项目", choices=_project_choices)
    indicator = forms.ChoiceField(label="指标", choices=_indicator_choices)
    value = forms.CharField(
        label="数值",
        max_length=50,
        help_text="件数填整数；本年增/减可为负数；金额可带单位，如 101647022.75元",
    )
    source = forms.CharField(label="数据来源", max_length=100, help_text="如：区行政审批服务局统计")

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["org"]
        field.queryset = orgs


class FigureImportForm(forms.Form):
    org: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="机构", queryset=Organisation.objects.none()
    )
    file = forms.FileField(label="文件（CSV 或 XLSX，列：年度,项目,指标,数值[,来源]）")
    dry_run = forms.BooleanField(label="只检查，不导入", required=False)

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["org"]
        field.queryset = orgs


class BundleForm(forms.Form):
    """Rendering a whole tree's reports of one year into a zip (bundle.py)."""

    org: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="机构（含所属全部机构）", queryset=Organisation.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label="报告年度", min_value=2019, max_value=2100)
    formats = forms.MultipleChoiceField(
        label="文件格式",
        choices=[("pdf", "PDF"), ("docx", "Word（DOCX）")],
        initial=["pdf"],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一种文件格式。"},
    )
    drafts = forms.BooleanField(
        label="包括尚未发布的版本（草稿、已提交审核、已审核；文件名中注明状态）", required=False
    )

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["org"]
        field.queryset = orgs
