"""Forms: the due-date calculator and loading a year's arrangement (preview, then confirm)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from gongkai.core.forms import DateInput

from .arrangements import Arrangement, parse_arrangement, parse_day
from .models import FIRST_YEAR, LAST_YEAR
from .table import WorkdaysError

MAX_UPLOAD = 256 * 1024
MAX_DAYS = 1000


def parse_date_input(value: str, *, label: str = "日期") -> dt.date:
    """A YYYY-MM-DD date typed by a clerk, or a Chinese message saying what is wrong."""
    text = (value or "").strip()
    if not text:
        raise WorkdaysError(f"请填写{label}，格式为 YYYY-MM-DD，例如 2026-02-10。")
    try:
        day = parse_day(text)
    except ValueError:
        raise WorkdaysError(
            f"{label}「{text}」格式不正确或不存在，请按 YYYY-MM-DD 填写，例如 2026-02-10。"
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise WorkdaysError(f"{label}「{text}」超出可计算范围（{FIRST_YEAR}年至{LAST_YEAR}年）。")
    return day


def parse_days_input(value: str | int) -> int:
    """A number of working days: a whole number from 0 to 1000."""
    text = str(value).strip()
    if not text:
        raise WorkdaysError("请填写工作日天数，例如 20。")
    try:
        days = int(text)
    except ValueError:
        raise WorkdaysError(f"工作日天数「{text}」不是整数，请填写例如 20。") from None
    if days < 0:
        raise WorkdaysError(f"工作日天数不能为负数（填写的是 {days}）。")
    if days > MAX_DAYS:
        raise WorkdaysError(f"工作日天数 {days} 过大，最多 {MAX_DAYS} 天。")
    return days


class DueForm(forms.Form):
    received = forms.CharField(
        label="收到申请之日",
        widget=DateInput(),
        help_text="该日不计入，自次日起计算。",
    )
    days = forms.CharField(
        label="工作日天数", initial="20", help_text="补正告知 7 天，答复 20 天，延期最多再加 20 天。"
    )

    def clean_received(self) -> dt.date:
        try:
            return parse_date_input(self.cleaned_data["received"], label="收到申请之日")
        except WorkdaysError as exc:
            raise ValidationError(str(exc)) from exc

    def clean_days(self) -> int:
        try:
            return parse_days_input(self.cleaned_data["days"])
        except WorkdaysError as exc:
            raise ValidationError(str(exc)) from exc


class ArrangementForm(forms.Form):
    file = forms.FileField(
        label="安排文件（CSV 或 JSON）",
        required=False,
        help_text="CSV 表头：类型,名称,开始日期,结束日期（可加“依据”列）；类型填“放假”或“上班”。UTF-8 或 GBK 编码。",
    )
    text = forms.CharField(
        label="或直接粘贴内容",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 10, "placeholder": "类型,名称,开始日期,结束日期\n放假,元旦,2027-01-01,2027-01-03"}
        ),
    )
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=FIRST_YEAR + 1,
        max_value=LAST_YEAR,
        help_text="可不填：默认取文件中最晚的年份。",
        error_messages={"invalid": "年度须为四位数字，例如 2027。"},
    )
    source = forms.CharField(
        label="依据（通知名称、文号）",
        required=False,
        max_length=300,
        help_text="例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）。不填则使用通知的通用名称。",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if self.errors:
            return data
        if upload and text:
            raise ValidationError("请只上传文件或只粘贴内容，不要同时提供。")
        if not upload and not text:
            raise ValidationError("请上传安排文件，或在文本框中粘贴内容。")
        if upload and upload.size > MAX_UPLOAD:
            raise ValidationError("文件超过 256 KB，不像是一年的节假日安排，请检查。")
        content: bytes | str = upload.read() if upload else text
        data["arrangement"] = parse_arrangement(
            content,
            filename=upload.name if upload else "",
            year=data.get("year"),
            source=data.get("source") or "",
        )
        return data


class ConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_payload(self) -> Arrangement:
        return Arrangement.from_json(self.cleaned_data["payload"])
