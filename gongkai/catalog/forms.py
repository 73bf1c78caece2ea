"""Back-office forms for items, attachments, workflow comments and the editable vocabularies."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from gongkai.core.forms import DateInput, RichTextarea

from .models import Field, Item, TypoEntry

ITEM_FORM_FIELDS = (
    "title", "doc_number", "publisher", "written_on", "formed_on", "topic", "statutory_item", "doc_kind",
    "fields", "method", "keywords", "summary", "body", "disclosure", "disclosure_reason",
    "needs_interpretation", "interprets",
)  # fmt: skip


class ItemForm(forms.ModelForm):
    org: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        label="所属机构",
        required=True,
        help_text="信息归属的机构：决定索引号和在哪个专栏发布。",
    )

    class Meta:
        model = Item
        fields = ITEM_FORM_FIELDS
        widgets = {
            "written_on": DateInput(),
            "formed_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": RichTextarea(headings=(2, 3)),
            "fields": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, orgs: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = orgs
        if editing:
            del self.fields["org"]
        # One 发布机构 on the form: the organisation above is where the item belongs; this is the name it is
        # published under (a joint document names every issuing body), by default the organisation's full name.
        self.fields["publisher"].required = False
        self.fields["publisher"].label = "发布机构署名"
        self.fields["publisher"].help_text = "留空即为所属机构全称；联合发文时填写全部发文机关。"
        cast(forms.ModelMultipleChoiceField, self.fields["fields"]).queryset = Field.objects.filter(
            is_active=True
        )
        cast(forms.ModelChoiceField, self.fields["interprets"]).queryset = Item.objects.filter(
            status__in=("published", "repealed"), needs_interpretation=True
        ).order_by("-published_at")
        self.fields["interprets"].required = False


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件（PDF、DOCX、XLSX 或图片）")


class StepForm(forms.Form):
    comment = forms.CharField(
        label="意见", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class TypoForm(forms.ModelForm):
    class Meta:
        model = TypoEntry
        fields = ("wrong", "correct", "kind", "severity", "note")


class FieldForm(forms.ModelForm):
    class Meta:
        model = Field
        fields = ("name", "alias", "sort_order")


class ItemFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100)
    status = forms.ChoiceField(label="状态", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .vocab import Status

        cast(forms.ChoiceField, self.fields["status"]).choices = [("", "全部"), *list(Status.choices)]
