"""The staff upload form: one or more report files (or zip archives) and the output wanted."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

from gongkai.core.forms import MultipleFileField

MAX_UPLOAD_FILES = 200
MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class UploadForm(forms.Form):
    reports = MultipleFileField(
        label="报告文件",
        help_text="可多选：网页（.html）、文本（.txt）、Word（.docx）、PDF，或包含这些文件的 zip 压缩包。",
        error_messages={"required": "请选择要检查的报告文件。", "empty": "上传的文件是空的。"},
    )
    output = forms.ChoiceField(
        label="输出",
        choices=[("page", "在页面上显示"), ("xlsx", "下载 Excel 汇总表"), ("json", "下载 JSON")],
        initial="page",
    )

    def clean_reports(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["reports"]
        if len(files) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(f"一次最多上传 {MAX_UPLOAD_FILES} 个文件。")
        if sum(f.size or 0 for f in files) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"上传总量超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请分批上传。")
        return files
