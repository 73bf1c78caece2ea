"""Issue 18 defects 1 and 2: no English browser pop-up in any form, and no link that answers 403.

Every form carries ``novalidate``, so the browser never shows its own (English) 「Please select a file.」; the
server answers each empty or invalid submission with a Chinese message instead. Links to the 登记申请 and
电子印章 pages are offered only to users those pages let in.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import lxml.html
import pytest
from django.urls import reverse

import gongkai
from gongkai.applications.models import Letter
from gongkai.applications.services import replies
from gongkai.catalog.tests.factories import draft_item

pytestmark = pytest.mark.django_db

FORM_TAG = re.compile(r"<form\b(?:\{[%{].*?[%}]\}|[^>])*>", re.S)


def test_every_template_form_is_novalidate():
    root = Path(gongkai.__file__).parent
    missing = [
        f"{path.relative_to(root)}: {tag[:60]}"
        for path in root.rglob("templates/**/*.html")
        for tag in FORM_TAG.findall(path.read_text(encoding="utf-8"))
        if "novalidate" not in tag
    ]
    assert not missing, missing


def _forms_novalidate(response) -> None:
    assert response.status_code == 200
    forms = lxml.html.fromstring(response.content.decode()).xpath("//form")
    assert forms
    assert all(f.get("novalidate") is not None for f in forms)


def _text(response) -> str:
    return lxml.html.fromstring(response.content.decode()).text_content()


def test_catalog_attachment_without_file(client, office):
    item = draft_item(office["org"], actor=office["clerk"])
    client.force_login(office["clerk"])
    _forms_novalidate(client.get(reverse("catalog:detail", args=[item.pk])))
    r = client.post(reverse("catalog:attachment_upload", args=[item.pk]), {}, follow=True)
    assert "请选择要上传的文件。" in _text(r)


def test_letter_issue_without_confirmation(client, office, register):
    a = register("2026-03-02")
    replies.application_reply(actor=office["clerk"], application=a, outcome="1", date=dt.date(2026, 3, 20))
    letter = Letter.objects.get(application=a)
    client.force_login(office["clerk"])
    url = reverse("applications:letter", args=[letter.pk])
    _forms_novalidate(client.get(url))
    r = client.post(url, {"issue": "1"}, follow=True)
    assert "出具前请勾选确认" in _text(r)
    letter.refresh_from_db()
    assert not letter.is_issued


def test_list_bad_date(client, office):
    client.force_login(office["clerk"])
    r = client.get(reverse("applications:list"), {"received_from": "2026/13/45"})
    _forms_novalidate(r)
    assert "输入一个有效的日期。" in _text(r)


def test_report_uploads_without_file(client, office):
    client.force_login(office["county_admin"])
    _forms_novalidate(client.get(reverse("reports:figures")))
    r = client.post(reverse("reports:figures_import"), {"i-org": office["org"].pk}, follow=True)
    assert "请选择要上传的文件。" in _text(r)
    _forms_novalidate(client.get(reverse("report_check:upload")))
    r = client.post(reverse("report_check:upload"), {"output": "page"})
    assert "请选择要检查的报告文件。" in _text(r)


def test_register_link_only_for_who_may_register(client, office):
    register_url = reverse("applications:register")
    for name, allowed in (("supervisor", False), ("clerk", True)):
        client.force_login(office[name])
        assert (client.get(register_url).status_code == 200) is allowed
        for page in ("applications:list", "applications:inbox", "applications:dashboard"):
            r = client.get(reverse(page))
            assert r.status_code == 200
            assert (f'href="{register_url}"' in r.content.decode()) is allowed, (name, page)


def test_seal_link_only_for_office_admins(client, office, register):
    from gongkai.applications.letters import letter_issue

    a = register("2026-03-02")
    replies.application_reply(actor=office["clerk"], application=a, outcome="1", date=dt.date(2026, 3, 20))
    letter_issue(actor=office["clerk"], letter=Letter.objects.get(application=a))
    seals_url = reverse("applications:seals")
    for name, allowed in (("clerk", False), ("county_admin", True)):
        client.force_login(office[name])
        assert (client.get(seals_url).status_code == 200) is allowed
        page = client.get(reverse("applications:detail", args=[a.pk])).content.decode()
        assert "电子印章" in page and "加盖本机关电子印章" in page
        assert (f'href="{seals_url}"' in page) is allowed, name
