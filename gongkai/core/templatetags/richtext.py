"""``{{ value|rich_text }}``: a clerk's stored rich text as safe HTML (core/richtext.py: sanitised again, and
plain text saved before the editor existed shown as paragraphs)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from gongkai.core.richtext import rich_text_html

register = template.Library()


@register.filter
def rich_text(value: str | None) -> SafeString:
    return rich_text_html(value or "")
