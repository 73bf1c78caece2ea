"""Issue 17: the 登记回执 staff print for an application received in person or by post — the content of the
citizen's online 回执 (申请编号, dates, 答复期限 and how it was counted), as HTML to print and as PDF."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from gongkai.applications.receipt import Channel
from gongkai.applications.registration_receipt import receipt_pdf
from gongkai.applications.tests.conftest import applicant
from gongkai.core.models import AuditEntry
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_in_person_receipt_says_what_the_online_one_says(register, office, client):
    a = register("2026-03-02", applicant=applicant(name="赵六"))
    assert a.reply_due and a.deadline_steps
    client.force_login(office["clerk"])
    detail = client.get(reverse("applications:detail", args=[a.pk])).content.decode()
    assert "打印登记回执" in detail
    html = client.get(reverse("applications:registration_receipt", args=[a.pk, "html"])).content.decode()
    text = flat(re.sub(r"<[^>]+>", " ", html))
    for expected in (
        "政府信息公开申请登记回执", "赵六", a.tracking_code, office["org"].name, "当面提交",
        "2026年3月2日", "当面提交的，以提交之日为收到申请之日（第三十一条第一项）。",
        f"{a.reply_due.year}年{a.reply_due.month}月{a.reply_due.day}日", "答复期限的计算", flat(a.deadline_steps[0]),
    ):  # fmt: skip
        assert flat(expected) in text, expected
    assert AuditEntry.objects.filter(action="download", changes__read="登记回执.html").count() == 1
    response = client.get(reverse("applications:registration_receipt", args=[a.pk, "html"]))
    assert response["Cache-Control"] == "private, no-store"  # personal data: no cache keeps it
    # its A4 layout is a static stylesheet (the CSP allows no inline style)
    assert "<style" not in html and "applications/registration_receipt.css" in html


def test_post_receipt_pdf_names_the_signed_for_day_and_its_rule(register, office, client):
    a = register(
        "2026-03-02",
        channel=Channel.POST,
        signed_for_on=dt.date(2026, 3, 4),
        applicant=applicant(name="钱七"),
    )
    text = flat("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(receipt_pdf(a))).pages))
    for expected in ("政府信息公开申请登记回执", "钱七", a.tracking_code, "以邮寄方式提交", "签收日期", "2026年3月4日",
                     "邮寄提交的，以行政机关签收之日为收到申请之日（第三十一条第二项）。", "答复期限",
                     f"{a.reply_due.year}年{a.reply_due.month}月{a.reply_due.day}日"):  # fmt: skip
        assert flat(expected) in text, expected
    client.force_login(office["clerk"])
    response = client.get(reverse("applications:registration_receipt", args=[a.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"


def test_the_receipt_shows_applicant_data_so_only_the_handling_office_gets_it(
    register, office, org_tree, client
):
    a = register("2026-03-02")
    client.force_login(staff(Role.SUPERVISOR, org_tree["parent"]))
    assert client.get(reverse("applications:registration_receipt", args=[a.pk, "html"])).status_code == 404
    client.force_login(office["clerk"])
    assert client.get(reverse("applications:registration_receipt", args=[a.pk, "doc"])).status_code == 404
