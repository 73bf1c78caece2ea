"""Forms of the report pages (validation that matters lives in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from gongkai.core.forms import DateInput, RichTextarea
from gongkai.orgs.models import Organisation

from .definitions import FORMATS, SECTION_HEADINGS, SECTION_NUMBERS, format_for_year
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
                label=SECTION_HEADINGS[n], required=False, widget=RichTextarea({"rows": 8}, headings=(3, 4))
            )


class CorrectionForm(forms.Form):
    change_note = forms.CharField(label="更正说明", widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(forms.Form):
    published_on = forms.DateField(label="发布日期", widget=DateInput())


# --- 表二 figures: 项目 and 指标 as the formats define them --------------------------------------------------
# Each 项目 option names the formats that have it, each 指标 option the (format, 第二十条 item) blocks it belongs
# to; reports/static/reports/figures.js offers only those of the year's format and the chosen 项目, and the
# service (resolve_figure) refuses any other combination with a Chinese error on the field.


def _format_starts() -> str:
    """ "2019:2019 2021:2021": each format with the first year it applies to (from format_for_year)."""
    starts: dict[str, int] = {}
    for year in range(2019, 2101):
        starts.setdefault(format_for_year(year), year)
    return " ".join(f"{fmt}:{year}" for fmt, year in starts.items())


def _format_years() -> str:
    """ "2019—2020年度用2019年格式（国办公开办函〔2019〕60号）；2021年度起用…"."""
    parts = []
    for fmt, spec in FORMATS.items():
        first, last = spec.years
        years = f"{first}—{last}年度用" if last else f"{first}年度起用"
        parts.append(f"{years}{fmt}年格式（{spec.issued_by}）")
    return "；".join(parts) + "。"


def _project_options() -> dict[str, dict[str, Any]]:
    """项目 options, newest format first; each names its formats with its place in each ("2019:4 2021:2")."""
    options: dict[str, dict[str, Any]] = {}
    for fmt in reversed(FORMATS):
        rows = [(b.item, r) for b in FORMATS[fmt].table2_layout.blocks for r in b.rows]
        for place, (item, row) in enumerate(rows):
            option = options.setdefault(f"{item}/{row}", {"label": f"{item} {row}", "formats": []})
            option["formats"].append(f"{fmt}:{place}")
    return options


def _indicator_options() -> dict[str, list[str]]:
    options: dict[str, list[str]] = {}
    for fmt, spec in FORMATS.items():
        for block in spec.table2_layout.blocks:
            for column in block.columns:
                options.setdefault(column.label, []).append(f"{fmt}:{block.item}")
    return options


class TaggedSelect(forms.Select):
    """A <select> whose options carry data attributes (``tags``: value → {attribute: value})."""

    def __init__(self, *, tags: dict[str, dict[str, str]], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.tags = tags

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"].update(self.tags.get(str(value), {}))
        return option


PROJECT_OPTIONS = _project_options()
INDICATOR_OPTIONS = _indicator_options()


class FigureForm(forms.Form):
    org: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="机构", queryset=Organisation.objects.none()
    )
    year = forms.IntegerField(
        label="年度",
        min_value=2019,
        max_value=2100,
        help_text=_format_years(),
        widget=forms.NumberInput(attrs={"data-format-starts": _format_starts(), "inputmode": "numeric"}),
    )
    project = forms.ChoiceField(
        label="项目",
        choices=[(key, o["label"]) for key, o in PROJECT_OPTIONS.items()],
        widget=TaggedSelect(
            tags={k: {"data-formats": " ".join(o["formats"])} for k, o in PROJECT_OPTIONS.items()}
        ),
    )
    indicator = forms.ChoiceField(
        label="指标",
        choices=[(label, label) for label in INDICATOR_OPTIONS],
        help_text="只列出所选项目在该年度格式中的指标。",
        widget=TaggedSelect(tags={k: {"data-blocks": " ".join(v)} for k, v in INDICATOR_OPTIONS.items()}),
    )
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
        self.fields["year"].initial = timezone.localdate().year - 1  # the report being prepared


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
