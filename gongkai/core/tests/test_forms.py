"""PlainSelect: the fast <select> the public lists use."""


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
