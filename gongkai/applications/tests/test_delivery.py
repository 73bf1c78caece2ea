"""Issue 17 items 3 and 5: proof of delivery of every issued letter, the clocks that run from the applicant's
receipt (收费 payment period, 补正 period in working days), stamped letters and the 电子印章, and the applicant's
download on the status page. Real calendar (March 2026 has no holiday)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.applications import letters
from gongkai.applications.models import FeeNotice, Letter, LetterDelivery, Status
from gongkai.applications.services import delivery, fee_notices, intake, stamps, steps
from gongkai.applications.tests.conftest import applicant, request_data
from gongkai.applications.vocab import FeeMethod, LetterKind
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db


def png(size=(200, 200)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", size, (200, 0, 0, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def big_mark(page) -> set[str]:
    """The characters printed far larger than the text (the 「草稿」 mark is 96 pt)."""
    return {c["text"] for c in page.chars if c["size"] > 50}


def upload(name="回执.png", data=None):
    return SimpleUploadedFile(name, png() if data is None else data)


def issued(application, kind) -> Letter:
    letter = application.letters.filter(kind=kind).latest("id")
    return letters.letter_issue(actor=SYSTEM_TEST, letter=letter)


def correction_in_days(register, office, days=10):
    a = register("2026-03-02")
    steps.correction_request(
        actor=office["clerk"], application=a, items="请写明文号", days=days, date=D("2026-03-03")
    )
    a.refresh_from_db()
    return a


def test_a_posted_fee_notice_gets_its_payment_deadline_when_its_signed_for_date_is_entered(register, office):
    clerk = office["clerk"]
    a = register("2026-03-02")
    fee_notices.fee_notify(actor=clerk, application=a, method=FeeMethod.PER_PAGE, pages=40, date=D("2026-03-10"),
                           delivery=FeeNotice.Delivery.POST)  # fmt: skip
    a.refresh_from_db()
    assert a.status == Status.AWAITING_FEE and a.fee_due is None
    letter = issued(a, LetterKind.FEE_NOTICE)
    # sent by post, signed-for date not known yet: 待确认送达, the clock does not move
    record = delivery.letter_delivery_record(actor=clerk, letter=letter, method="post", tracking_number="EMS123",
                                             sent_on=D("2026-03-10"))  # fmt: skip
    a.refresh_from_db()
    assert record.pending and a.fee_due is None
    # the signed-for date, Fri 3/13, is entered: 20 working days from 3/14 → Mon 4/13
    delivery.letter_delivery_record(actor=clerk, letter=letter, method="post", tracking_number="EMS123",
                                    sent_on=D("2026-03-10"), received_on=D("2026-03-13"), proof=upload())  # fmt: skip
    a.refresh_from_db()
    assert a.fee_due == D("2026-04-13") and FeeNotice.objects.get().received_on == D("2026-03-13")
    stored = LetterDelivery.objects.get()
    assert stored.proof and stored.proof_extension == ".png" and not stored.pending
    entry = AuditEntry.objects.filter(object_type="applications.letterdelivery").latest("id")
    assert entry.changes["received_on"] == [None, "2026-03-13"] and entry.changes["clock"] == [
        None,
        "fee_due",
    ]
    # a receipt day that moved a clock cannot be rewritten here
    with pytest.raises(ValidationError, match="已用于计算期限"):
        delivery.letter_delivery_record(actor=clerk, letter=letter, method="post", tracking_number="EMS123",
                                        sent_on=D("2026-03-10"), received_on=D("2026-03-12"))  # fmt: skip


def test_a_correction_period_in_working_days_runs_from_the_signed_for_date(register, office):
    clerk = office["clerk"]
    a = correction_in_days(register, office)
    assert a.status == Status.AWAITING_CORRECTION and a.correction_until is None
    draft = a.letters.get(kind=LetterKind.CORRECTION)
    assert "请您自收到本告知书之日起10个工作日内对以下事项作出补正" in draft.body
    with pytest.raises(ValidationError, match="待确认送达"):
        steps.correction_abandoned(actor=clerk, application=a, date=D("2026-06-30"))
    letter = issued(a, LetterKind.CORRECTION)
    delivery.letter_delivery_record(actor=clerk, letter=letter, method="post", tracking_number="XA1",
                                    sent_on=D("2026-03-04"), received_on=D("2026-03-06"))  # fmt: skip
    a.refresh_from_db()
    # Fri 3/6 received: 10 working days from Mon 3/9 → Fri 3/20
    assert a.correction_until == D("2026-03-20")
    assert any("申请人于2026年3月6日" in s and "补正告知书" in s for s in a.deadline_steps)
    with pytest.raises(ValidationError, match="尚未届满"):
        steps.correction_abandoned(actor=clerk, application=a, date=D("2026-03-20"))
    steps.correction_abandoned(actor=clerk, application=a, date=D("2026-03-23"))
    a.refresh_from_db()
    assert a.status == Status.ABANDONED


def test_a_correction_needs_either_a_date_or_a_number_of_days(register, office):
    a = register("2026-03-02")
    with pytest.raises(ValidationError, match="二选一"):
        steps.correction_request(actor=office["clerk"], application=a, items="x", date=D("2026-03-03"))
    with pytest.raises(ValidationError, match="二选一"):
        steps.correction_request(actor=office["clerk"], application=a, items="x", until=D("2026-03-20"), days=5,
                                 date=D("2026-03-03"))  # fmt: skip


def test_delivery_is_refused_for_drafts_bad_input_and_other_offices(register, office):
    clerk = office["clerk"]
    a = correction_in_days(register, office)
    draft = a.letters.get(kind=LetterKind.CORRECTION)
    with pytest.raises(ValidationError, match="草稿"):
        delivery.letter_delivery_record(
            actor=clerk, letter=draft, method="in_person", sent_on=D("2026-03-04")
        )
    letter = issued(a, LetterKind.CORRECTION)
    with pytest.raises(ValidationError, match="邮件号码"):
        delivery.letter_delivery_record(actor=clerk, letter=letter, method="post", sent_on=D("2026-03-04"))
    with pytest.raises(ValidationError, match="不能早于发出日期"):
        delivery.letter_delivery_record(actor=clerk, letter=letter, method="email", sent_on=D("2026-03-05"),
                                        received_on=D("2026-03-04"))  # fmt: skip
    with pytest.raises(ValidationError, match="文件类型不受支持"):
        delivery.letter_delivery_record(actor=clerk, letter=letter, method="email", sent_on=D("2026-03-05"),
                                        proof=upload("回执.pdf", b"not a pdf at all"))  # fmt: skip
    for outsider in (office["outsider"], office["supervisor"], office["reviewer"]):
        with pytest.raises(PermissionDenied):
            delivery.letter_delivery_record(
                actor=outsider, letter=letter, method="email", sent_on=D("2026-03-05")
            )
    # 当面送达: received the day it is handed over
    record = delivery.letter_delivery_record(
        actor=clerk, letter=letter, method="in_person", sent_on=D("2026-03-05")
    )
    assert record.received_on == D("2026-03-05")
    a.refresh_from_db()
    assert a.correction_until == D("2026-03-19")


def test_the_seal_is_managed_by_the_office_admin_and_placed_only_on_issued_letters(register, office):
    import pdfplumber

    a = correction_in_days(register, office)
    org, clerk = a.org, office["clerk"]
    with pytest.raises(PermissionDenied):
        stamps.seal_upload(actor=clerk, org=org, upload=upload("章.png"))
    with pytest.raises(ValidationError, match="尺寸"):
        stamps.seal_upload(actor=office["county_admin"], org=org, upload=upload("章.png", png((20, 20))))
    stamps.seal_upload(actor=office["county_admin"], org=org, upload=upload("章.png"))
    draft = a.letters.get(kind=LetterKind.CORRECTION)
    with pytest.raises(ValidationError, match="草稿"):
        stamps.letter_seal_apply(actor=clerk, letter=draft)
    draft_pdf = letters.render_pdf(draft)
    with pdfplumber.open(io.BytesIO(draft_pdf)) as pdf:
        assert big_mark(pdf.pages[0]) == {"草", "稿"} and not pdf.pages[0].images
    letter = issued(a, LetterKind.CORRECTION)
    unsealed = letters.render_pdf(letter)
    with pdfplumber.open(io.BytesIO(unsealed)) as pdf:
        assert not big_mark(pdf.pages[0]) and not pdf.pages[0].images
    with pytest.raises(PermissionDenied):
        stamps.letter_seal_apply(actor=office["outsider"], letter=letter)
    stamps.letter_seal_apply(actor=clerk, letter=letter)
    with pdfplumber.open(io.BytesIO(letters.render_pdf(letter))) as pdf:
        assert len(pdf.pages[-1].images) == 1
    with pytest.raises(ValidationError, match="已加盖"):
        stamps.letter_seal_apply(actor=clerk, letter=letter)
    uses = AuditEntry.objects.filter(object_type="applications.letterstamp", changes__has_key="sealed")
    assert uses.count() == 1
    # replacing the seal later leaves the issued letter with the seal it was sealed with
    stamps.seal_upload(actor=office["county_admin"], org=org, upload=upload("新章.png", png((300, 300))))
    with pdfplumber.open(io.BytesIO(letters.render_pdf(letter))) as pdf:
        assert pdf.pages[-1].images[0]["srcsize"] == (200, 200)


def _public_application(office):
    a, secret = intake.application_submit_public(
        org=office["org"], applicant=applicant(), request=request_data(), uploads=[]
    )
    return a, secret


def test_the_applicant_downloads_issued_letters_addressed_to_them_and_nothing_else(office):
    clerk = office["clerk"]
    a, secret = _public_application(office)
    steps.correction_request(actor=clerk, application=a, items="请写明文号", days=10, date=a.received_on)
    letter = issued(a, LetterKind.CORRECTION)
    third_party = letters.letter_draft(actor=clerk, application=a, kind=LetterKind.CONSULTATION,
                                       context={"party": "甲公司"})  # fmt: skip
    letters.letter_issue(actor=clerk, letter=third_party)
    url = reverse("applications_public:letter", args=[letter.pk])
    stranger = Client()
    assert stranger.get(url).status_code == 404  # no status-page proof in this session
    citizen = Client()
    page = citizen.post(
        reverse("applications_public:status"), {"tracking_code": a.tracking_code, "secret": secret}
    )
    html = page.content.decode()
    assert url in html and "文书下载" in html
    assert reverse("applications_public:letter", args=[third_party.pk]) not in html
    response = citizen.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert citizen.get(reverse("applications_public:letter", args=[third_party.pk])).status_code == 404
    assert AuditEntry.objects.filter(object_type="applications.letter", object_id=str(letter.pk),
                                     changes__read__startswith="申请人下载文书").exists()  # fmt: skip
    # a draft is never offered
    draft = letters.letter_draft(actor=clerk, application=a, kind=LetterKind.CORRECTION)
    assert citizen.get(reverse("applications_public:letter", args=[draft.pk])).status_code == 404
    # once the stamped scan is uploaded, that is what the applicant gets
    stamps.letter_stamped_upload(actor=clerk, letter=letter, upload=upload("盖章.png"))
    response = citizen.get(url)
    assert response["Content-Type"] == "image/png" and b"".join(response.streaming_content).startswith(
        b"\x89PNG"
    )
    assert "盖章版" in citizen.post(reverse("applications_public:status"),
                                   {"tracking_code": a.tracking_code, "secret": secret}).content.decode()  # fmt: skip


def test_staff_pages_record_delivery_and_serve_the_proof_to_the_handling_office_only(register, office):
    a = correction_in_days(register, office)
    letter = issued(a, LetterKind.CORRECTION)
    clerk = Client()
    clerk.force_login(office["clerk"])
    detail = clerk.get(reverse("applications:detail", args=[a.pk])).content.decode()
    assert "记录送达" in detail and "未记录" in detail and "待确认送达" in detail
    p = f"delivery-{letter.pk}-"
    response = clerk.post(reverse("applications:letter_delivery", args=[letter.pk]), {
        p + "method": "post", p + "tracking_number": "EMS9", p + "sent_on": "2026-03-04",
        p + "received_on": "2026-03-06", p + "proof": upload(),
    })  # fmt: skip
    assert response.status_code == 302
    detail = clerk.get(reverse("applications:detail", args=[a.pk])).content.decode()
    assert "2026-03-06签收" in detail and "2026-03-20" in detail
    proof = reverse("applications:delivery_proof", args=[letter.pk])
    assert clerk.get(proof).status_code == 200
    for who in ("outsider", "supervisor"):
        other = Client()
        other.force_login(office[who])
        assert other.get(proof).status_code == 404
