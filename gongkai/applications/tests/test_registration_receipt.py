"""Issue 17: the 登记回执 staff print for an application received in person or by post — the content of the
citizen's online 回执 (申请编号, dates, 答复期限 and how it was counted), as HTML to print and as PDF."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from gongkai.applications.receipt import Channel
from gongkai.applications.registration_receipt import receipt_html, receipt_pdf
from gongkai.applications.services.intake import application_register
from gongkai.applications.tests.conftest import applicant, request_data
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry
from gongkai.orgs import services as org_services
from gongkai.orgs.models import Level, OrgKind, Role
from gongkai.orgs.tests.factories import OrganisationFactory, staff

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


def test_the_receipts_name_the_organisations_own_receiving_office():
    # given a county government whose applications its 县政府办 handles (its 政府信息公开工作机构), and a bureau
    # that handles its own through the office configured for it
    gov = OrganisationFactory(name="样例县人民政府", level=Level.COUNTY, kind=OrgKind.GOVERNMENT)
    handler = OrganisationFactory(name="样例县人民政府办公室", office_name="县政府办综合科", parent=gov)
    gov = org_services.org_set_handling_office(actor=SYSTEM_TEST, org=gov, office=handler)
    bureau = OrganisationFactory(name="样例县财政局", office_name="样例县财政局政务公开办公室", parent=gov)
    to_gov = application_register(actor=SYSTEM_TEST, org=gov, channel=Channel.IN_PERSON, applicant=applicant(),
                                  request=request_data(), submitted_on=dt.date(2026, 3, 2))  # fmt: skip
    to_bureau = application_register(actor=SYSTEM_TEST, org=bureau, channel=Channel.IN_PERSON,
                                     applicant=applicant(), request=request_data(), submitted_on=dt.date(2026, 3, 2))  # fmt: skip
    # when the receipts are printed
    for a, receiving in ((to_gov, "样例县人民政府办公室"), (to_bureau, "样例县财政局政务公开办公室")):
        html = receipt_html(a)
        # then each names the organisation applied to (受理机关) and its own 受理机构, also as whom to ask
        assert f"<dt>受理机关</dt><dd>{a.org.name}</dd>" in html
        assert f'<dt>受理机构</dt><dd id="receiving-office">{receiving}</dd>' in html
        assert f"可凭申请编号向受理机构查询办理进度：{receiving}" in html
    # a handling office stands for the 工作机构 itself: not the generic 工作机构 field of that office
    assert "县政府办综合科" not in receipt_html(to_gov)


def test_the_online_receipt_names_the_receiving_office(client):
    cache.clear()  # the public form's per-address submission limit
    gov = OrganisationFactory(name="样例县人民政府", level=Level.COUNTY, kind=OrgKind.GOVERNMENT)
    handler = OrganisationFactory(name="样例县人民政府办公室", parent=gov)
    gov = org_services.org_set_handling_office(actor=SYSTEM_TEST, org=gov, office=handler)
    form = {
        "applicant_type": "natural", "name": "赵六", "id_type": "resident_id", "id_number": "11010519491231002X",
        "phone": "13700000000", "info_title": "某规划", "delivery_form": "electronic", "delivery_method": "email",
        "email": "z@example.org", "agree": "on",
    }  # fmt: skip
    done = client.post(reverse("applications_public:form", args=[gov.code]), form)
    html = client.get(done["Location"]).content.decode()
    assert '<dt>受理机构</dt><dd id="receiving-office">样例县人民政府办公室</dd>' in html
    assert "咨询：样例县人民政府办公室" in html
