"""A fast <select>, a Chinese date input, the rich-text textarea, and putting a service's ValidationError onto
a form (or into one line of text)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .richtext import plain_text_if_simple, sanitise_html


def fast_escape(value: Any) -> str:
    """``conditional_escape(value)`` (a safe string as it is, anything else escaped as ``escape`` does) without
    the lazy-string wrapper around ``escape``: for markup built in Python per row or per option."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return str(value).translate(_ESCAPES)


# html.escape(quote=True)'s replacements in one pass (a list page escapes a few hundred labels and values)
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


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
        esc = fast_escape  # what format_html does to each value, without its per-option overhead
        options = "\n".join(
            f'<option value="{esc(v)}"{" selected" if str(v) in chosen else ""}>{esc(label)}</option>'
            for v, label in self.choices
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(final),
            mark_safe(options),  # noqa: S308 (every value escaped above)
        )


class DateInput(forms.DateInput):
    """A date typed as YYYY-MM-DD in a text input, with a Chinese month calendar beside it (site.js).

    The browser's own ``type=date`` speaks the browser's language (mm/dd/yyyy, 「Clear」) and cannot be styled:
    a text input with a pattern is readable by everyone, and the self-hosted picker only helps to fill it.
    """

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "class": "date-input",
            "pattern": r"\d{4}-\d{2}-\d{2}",
            "inputmode": "numeric",
            "placeholder": "如 2026-01-31",
            "autocomplete": "off",
            "maxlength": "10",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%Y-%m-%d")


class RichTextarea(forms.Textarea):
    """A clerk's rich text: static/gongkai/editor.js turns it into the editor (段落, 标题, 加粗, 列表, 表格, 链接,
    撤销); without JavaScript it stays a textarea, where text without formatting is shown as lines (one line a
    paragraph) rather than as tags, and lines typed become paragraphs on save (core/richtext.py).

    ``headings``: the two heading levels the toolbar's 标题 and 小标题 make (a report section is already an
    <h2>, so its headings start at 3). Templates render ``{{ form.media }}`` after the form.
    """

    class Media:
        css = {"all": ("gongkai/vendor/tiptap/tiptap.css", "gongkai/editor.css")}
        js = ("gongkai/vendor/tiptap/tiptap.min.js", "gongkai/editor.js")

    def __init__(self, attrs: dict[str, Any] | None = None, *, headings: tuple[int, int] = (2, 3)) -> None:
        base = {"rows": 12, "data-rich-text": "", "data-headings": f"{headings[0]},{headings[1]}"}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        plain = plain_text_if_simple(str(value))
        return plain if plain is not None else sanitise_html(str(value))


def refusal_text(exc: ValidationError | PermissionDenied, default: str = "") -> str:
    """A service's refusal as one line for a message or a failed job: a ValidationError's messages joined with
    「；」, a PermissionDenied's own message (``default`` when it has none)."""
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or default


def add_validation_errors(form: forms.BaseForm, exc: ValidationError | PermissionDenied) -> None:
    """Show a service's ValidationError on the form: per field where the field exists, else above the form
    (where a PermissionDenied's message goes too)."""
    if isinstance(exc, PermissionDenied):
        exc = ValidationError(str(exc))
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern), each cleaned as a single file, with optional
    limits on their number and on each file's size (Chinese messages)."""

    def __init__(
        self, *args: Any, max_files: int | None = None, max_file_bytes: int | None = None, **kwargs: Any
    ) -> None:
        self.max_files, self.max_file_bytes = max_files, max_file_bytes
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = list(data) if isinstance(data, list | tuple) else [data]
        files = [f for f in (super(MultipleFileField, self).clean(d, initial) for d in items or [None]) if f]
        if self.max_files is not None and len(files) > self.max_files:
            raise ValidationError(f"最多可上传 {self.max_files} 个文件。")
        if self.max_file_bytes is not None:
            for f in files:
                if f.size > self.max_file_bytes:
                    raise ValidationError(f"文件「{f.name}」超过 {self.max_file_bytes // 1024 // 1024} MB。")
        return files
