"""PlainSelect: the fast <select> the public lists use; refusal_text: a service's refusal as one line."""


def test_plain_select_renders_what_django_select_renders():
    # Given choices with a selected value, an integer value and text needing escaping
    import re

    from django import forms

    from gongkai.core.forms import PlainSelect

    choices = [("", "全部"), (2025, "2025年"), ("a&b", "<甲>")]

    def norm(html: str) -> str:
        return re.sub(r"\s+", " ", html).replace("> <", "><").strip()

    for value in ("", "2025", "a&b", None):
        attrs = {"id": "id_year"}
        # Then the markup is Django's own, option for option
        assert norm(PlainSelect(choices=choices).render("year", value, attrs)) == norm(
            forms.Select(choices=choices).render("year", value, attrs)
        )


def test_a_refusal_is_one_line_of_its_messages_or_the_denial():
    from django.core.exceptions import PermissionDenied, ValidationError

    from gongkai.core.forms import refusal_text

    # a ValidationError, with a message per field: every message, joined by 「；」
    assert refusal_text(ValidationError({"date": "日期不对。", "note": ["太长。"]})) == "日期不对。；太长。"
    # a PermissionDenied: its message, or the default when it has none
    assert refusal_text(PermissionDenied("您无权办理。"), "不能执行该操作。") == "您无权办理。"
    assert refusal_text(PermissionDenied(), "不能执行该操作。") == "不能执行该操作。"
