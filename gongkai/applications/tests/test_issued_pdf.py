"""Issue 17: an issued letter's PDF is rendered once when issued (and once more when the 电子印章 is placed),
stored with its SHA-256, and every later use hands out those bytes — the staff download, the applicant's download,
the archive package and the evidence bundle — never a re-render. Older letters are stored on first use."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.applications import dossier, issued_pdf, letters
from gongkai.applications.models import Application, Letter, Status
from gongkai.applications.services import delivery, intake, stamps, steps
from gongkai.applications.tests.conftest import applicant, request_data
from gongkai.applications.vocab import LetterKind
from gongkai.archives.services import archive_file
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db
RERENDERED = b"%PDF-1.7 re-rendered after issue"


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (200, 200), (200, 0, 0, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def stored(letter: Letter) -> bytes:
    letter.refresh_from_db()
    with letter.issued_pdf.open("rb") as fh:
        data: bytes = fh.read()
    return data


@pytest.fixture
def issued_letter(office):
    a, secret = intake.application_submit_public(
        org=office["org"], applicant=applicant(), request=request_data(), uploads=[]
    )
    steps.correction_request(
        actor=office["clerk"], application=a, items="请写明文号", days=10, date=a.received_on
    )
    letter = a.letters.get(kind=LetterKind.CORRECTION)
    letters.letter_issue(actor=office["clerk"], letter=letter)
    letter.refresh_from_db()
    return {"a": a, "secret": secret, "letter": letter}


def test_issuing_stores_the_pdf_once_with_its_hash_and_audits_it(issued_letter):
    letter = issued_letter["letter"]
    data = stored(letter)
    assert data.startswith(b"%PDF") and letter.issued_pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert letter.issued_pdf.name.startswith("applications/issued/")
    row = AuditEntry.objects.filter(object_type="applications.letter", object_id=str(letter.pk),
                                    changes__issued=[False, True]).get()  # fmt: skip
    assert row.changes["issued_pdf_sha256"] == [None, letter.issued_pdf_sha256]


def test_after_issue_a_changed_template_or_org_name_does_not_change_any_download(
    issued_letter, office, monkeypatch
):
    letter, a = issued_letter["letter"], issued_letter["a"]
    original = stored(letter)
    office["org"].name = "改名后的机关"
    office["org"].save()
    monkeypatch.setattr(letters, "render_pdf", lambda letter: RERENDERED)
    monkeypatch.setattr(issued_pdf, "render_pdf", lambda letter: RERENDERED)
    # staff download
    staff = Client()
    staff.force_login(office["clerk"])
    response = staff.get(reverse("applications:letter_download", args=[letter.pk, "pdf"]))
    assert response.status_code == 200 and response.content == original
    assert hashlib.sha256(response.content).hexdigest() == letter.issued_pdf_sha256
    # the applicant's download
    citizen = Client()
    citizen.post(reverse("applications_public:status"),
                 {"tracking_code": a.tracking_code, "secret": issued_letter["secret"]})  # fmt: skip
    response = citizen.get(reverse("applications_public:letter", args=[letter.pk]))
    assert response.status_code == 200 and response.content == original
    # archives and the evidence bundle read the dossier
    (item,) = dossier.issued_letters(a)
    assert item.pdf.content == original
    # a draft is still rendered each time
    draft = letters.letter_draft(actor=office["clerk"], application=a, kind=LetterKind.CORRECTION)
    assert issued_pdf.letter_pdf_bytes(draft) == RERENDERED


def test_placing_the_seal_stores_the_sealed_pdf_and_audits_both_hashes(
    issued_letter, office, django_capture_on_commit_callbacks
):
    letter = issued_letter["letter"]
    before = stored(letter)
    unsealed = letter.issued_pdf.name
    stamps.seal_upload(actor=SYSTEM_TEST, org=office["org"], upload=SimpleUploadedFile("印章.png", png()))
    with django_capture_on_commit_callbacks(execute=True):
        stamp = stamps.letter_seal_apply(actor=office["clerk"], letter=letter)
    after = stored(letter)
    # the unsealed copy (with the applicant's name) does not stay behind in storage
    assert letter.issued_pdf.name != unsealed and not letter.issued_pdf.storage.exists(unsealed)
    assert after != before and letter.issued_pdf_sha256 == hashlib.sha256(after).hexdigest()
    row = AuditEntry.objects.filter(object_type="applications.letterstamp", object_id=str(stamp.pk)).get()
    assert row.changes["issued_pdf_sha256"] == [hashlib.sha256(before).hexdigest(), letter.issued_pdf_sha256]


def test_a_letter_issued_before_pdfs_were_kept_is_stored_on_first_use_then_frozen(issued_letter, monkeypatch):
    letter = issued_letter["letter"]
    Letter.objects.filter(pk=letter.pk).update(issued_pdf="", issued_pdf_sha256="")
    letter.refresh_from_db()
    first = issued_pdf.letter_pdf_bytes(letter)
    letter.refresh_from_db()
    assert letter.issued_pdf_sha256 == hashlib.sha256(first).hexdigest()
    assert AuditEntry.objects.filter(object_id=str(letter.pk), changes__read="补存出具件").count() == 1
    monkeypatch.setattr(issued_pdf, "render_pdf", lambda letter: RERENDERED)
    assert issued_pdf.letter_pdf_bytes(letter) == first


def test_stored_bytes_that_no_longer_match_their_hash_are_an_error_not_a_re_render(issued_letter):
    letter = issued_letter["letter"]
    Letter.objects.filter(pk=letter.pk).update(issued_pdf_sha256="0" * 64)
    letter.refresh_from_db()
    with pytest.raises(issued_pdf.IssuedPdfCorrupt):
        issued_pdf.letter_pdf_bytes(letter)


def _deliver(issued_letter, office):
    delivery.letter_delivery_record(actor=office["clerk"], letter=issued_letter["letter"], method="email",
                                    sent_on=issued_letter["letter"].dated)  # fmt: skip


def _applicant_downloads(issued_letter, office):
    citizen = Client()
    citizen.post(reverse("applications_public:status"),
                 {"tracking_code": issued_letter["a"].tracking_code, "secret": issued_letter["secret"]})  # fmt: skip
    assert (
        citizen.get(reverse("applications_public:letter", args=[issued_letter["letter"].pk])).status_code
        == 200
    )


def _file(issued_letter, office):
    a = issued_letter["a"]
    Application.objects.filter(pk=a.pk).update(status=Status.CLOSED, outcome="1", closed_on=a.received_on)
    archive_file(actor=office["clerk"], application=a)


@pytest.mark.parametrize(
    ("hand_out", "how"), [(_deliver, "已送达"), (_applicant_downloads, "已被申请人下载"), (_file, "已归档")]
)
def test_a_letter_handed_out_is_never_sealed_afterwards_and_its_copy_stays(
    issued_letter, office, hand_out, how, django_capture_on_commit_callbacks
):
    # given an issued letter that may have reached the applicant (the copy they hold is evidence)
    letter = issued_letter["letter"]
    received, name = stored(letter), letter.issued_pdf.name
    stamps.seal_upload(actor=SYSTEM_TEST, org=office["org"], upload=SimpleUploadedFile("印章.png", png()))
    hand_out(issued_letter, office)
    # when the clerk tries to place the 电子印章
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        stamps.letter_seal_apply(actor=office["clerk"], letter=letter)
    # then it is refused, and the stored copy is what was handed out
    assert refused.value.messages == [f"该文书{how}，不能再加盖印章；如需更正请另行出具。"]
    assert stored(letter) == received and letter.issued_pdf.name == name
    assert not AuditEntry.objects.filter(
        object_type="applications.letterstamp", changes__has_key="sealed"
    ).exists()
    # and the letter's row says so instead of offering the seal
    staff = Client()
    staff.force_login(office["clerk"])
    page = staff.get(reverse("applications:detail", args=[issued_letter["a"].pk])).content.decode()
    assert f'data-seal-refused="{letter.pk}"' in page and f'data-seal="{letter.pk}"' not in page


def test_a_copy_replaced_after_it_was_handed_out_is_kept(
    issued_letter, office, django_capture_on_commit_callbacks
):
    # given a letter delivered while its PDF was being stored again (the seal raced the delivery)
    letter = Letter.objects.select_related("application__org").get(pk=issued_letter["letter"].pk)
    first = letter.issued_pdf.name
    _deliver(issued_letter, office)
    with django_capture_on_commit_callbacks(execute=True):
        issued_pdf.store_issued_pdf(letter)
    # then the copy that may have been received is not deleted with the replacement
    assert letter.issued_pdf.name != first and letter.issued_pdf.storage.exists(first)
