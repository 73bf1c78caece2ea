"""Issue 17 item 6: the evidence bundle (证据材料) of a registered 行政诉讼 — one PDF with a cover and a 目录 whose
entries are every document of the application, in order, on the pages it names — and a zip of the originals
with a SHA-256 manifest. Also: who may build and download it, the audit rows, and the remedy page's delivery of
the challenged letter. Real calendar (March–April 2026)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from gongkai.applications import letters
from gongkai.applications.evidence.build import evidence_bundle_build
from gongkai.applications.models import EvidenceBundle, Letter
from gongkai.applications.selectors import challenged_letter_of, remedy_answer_of
from gongkai.applications.services import delivery, remedies, replies, stamps, steps
from gongkai.applications.tests.conftest import applicant, request_data
from gongkai.applications.vocab import LetterKind, RemedyKind
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.documents import html_to_pdf
from gongkai.core.models import AuditAction, AuditEntry, Job, JobStatus

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db


def png(colour=(200, 0, 0, 160), size=(300, 200)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_of(text: str) -> bytes:
    return html_to_pdf(f'<!doctype html><html lang="zh-CN"><body><p>{text}</p></body></html>')


def issue(application, kind) -> Letter:
    letter = application.letters.filter(kind=kind).latest("id")
    return letters.letter_issue(actor=SYSTEM_TEST, letter=letter)


@pytest.fixture
def suit(register, office):
    """An application through 补正 (posted, signed for, proof kept, stamped scan) and a reply (e-mailed, sealed
    with the 电子印章), then a direct lawsuit against the reply, its complaint received on 2026-04-10."""
    clerk = office["clerk"]
    a = register(
        "2026-03-02",
        applicant=applicant(name="王五"),
        request=request_data(info_title="2025年度城区道路改造项目审批文件"),
        uploads=[
            SimpleUploadedFile("申请表.pdf", pdf_of("政府信息公开申请表（申请人手写签名）")),
            SimpleUploadedFile("身份证明.png", png((0, 0, 200, 200))),
        ],
    )
    steps.correction_request(
        actor=clerk, application=a, items="请写明项目名称", days=10, date=D("2026-03-03")
    )
    correction = issue(a, LetterKind.CORRECTION)
    delivery.letter_delivery_record(
        actor=clerk, letter=correction, method="post", tracking_number="1190012345678", sent_on=D("2026-03-03"),
        received_on=D("2026-03-05"), proof=SimpleUploadedFile("回执.png", png((0, 120, 0, 255))),
    )  # fmt: skip
    stamps.letter_stamped_upload(
        actor=clerk,
        letter=correction,
        upload=SimpleUploadedFile("补正盖章.pdf", pdf_of("补正告知书盖章扫描件")),
    )
    steps.correction_receive(actor=clerk, application=a, date=D("2026-03-09"))
    replies.application_reply(actor=clerk, application=a, outcome="1", date=D("2026-03-20"))
    reply = issue(a, LetterKind.REPLY)
    stamps.seal_upload(actor=SYSTEM_TEST, org=a.org, upload=SimpleUploadedFile("印章.png", png()))
    stamps.letter_seal_apply(actor=clerk, letter=reply)  # sealed before it is sent (never after: issued_pdf)
    delivery.letter_delivery_record(
        actor=clerk, letter=reply, method="email", sent_on=D("2026-03-20"), received_on=D("2026-03-23")
    )
    case = remedies.remedy_create(
        actor=clerk, org=a.org, kind=RemedyKind.SUIT_DIRECT, filed_on=D("2026-04-10"), body="测试县人民法院",
        case_number="（2026）测0101行初7号", application=a, copy_received_on=D("2026-04-10"),
    )  # fmt: skip
    return {"a": a, "case": case, "correction": correction, "reply": reply}


EXPECTED_ORDER = [
    "政府信息公开申请登记回执",
    "登记回执（交申请人）",  # 当面提交: the 回执 staff printed for the applicant
    "申请材料（1）",
    "申请材料（2）",
    "政府信息公开申请补正告知书（盖章扫描件）",
    "政府信息公开申请答复告知书（加盖电子印章）",
    "文书送达情况表",
    "政府信息公开申请补正告知书送达凭证",
    "办理时间线及期限说明",
    "审计记录摘录",
]


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_bundle_lists_every_document_of_the_application_in_order_on_the_pages_it_names(suit, office):
    case = suit["case"]
    bundle = evidence_bundle_build(actor=office["clerk"], case=case)
    with bundle.pdf.open("rb") as fh:
        data = fh.read()
    assert hashlib.sha256(data).hexdigest() == bundle.pdf_sha256
    texts = page_texts(data)
    assert bundle.pages == len(texts)
    assert [c["title"] for c in bundle.contents] == EXPECTED_ORDER

    # the cover: the agency as 被告, the case, the applicant as the letters name them, the 答辩 deadline
    cover = flat(texts[0])
    answer = remedy_answer_of(case)
    for text in ("行政诉讼证据材料", "被告", office["org"].name, "（2026）测0101行初7号", "测试县人民法院", "原告", "王五",
                 "「诉讼答辩」期限", f"{answer.due.due.year}年{answer.due.due.month}月{answer.due.due.day}日"):  # fmt: skip
        assert flat(text) in cover, text
    # the explanation of the deadline and the 目录, in the bundle's order, with the first page of each document
    front = flat("".join(texts[:2]))
    assert "行政诉讼法第六十七条第一款" in front and "目录" in front
    positions = [front.index(flat(title)) for title in EXPECTED_ORDER]
    assert positions == sorted(positions), "目录的顺序与材料顺序不一致"
    sections = [
        "一、申请及登记回执",
        "二、文书（出具件）",
        "三、送达证明",
        "四、办理时间线及期限说明",
        "五、审计记录摘录",
    ]
    section_positions = [front.index(s) for s in sections]
    assert section_positions == sorted(section_positions)

    # each entry starts on the page the 目录 names, and every page carries the bundle's number
    total = len(texts)
    for n, text in enumerate(texts, 1):
        assert f"第{n}页/共{total}页" in flat(text)
    pages = [c["page"] for c in bundle.contents]
    assert pages == sorted(pages) and 3 <= pages[0] <= 4  # the cover, the explanation and the 目录 first
    for entry in bundle.contents:
        page = flat(texts[entry["page"] - 1])
        expected = {
            "登记回执（交申请人）": "现予登记",
            "申请材料（1）": "政府信息公开申请表（申请人手写签名）",  # the uploaded PDF, as it is
            "申请材料（2）": "申请材料（2）",  # a picture on a page under its title
            "政府信息公开申请补正告知书（盖章扫描件）": "补正告知书盖章扫描件",  # the scan, not the PDF
            "政府信息公开申请答复告知书（加盖电子印章）": "政府信息公开申请答复告知书",
            "政府信息公开申请补正告知书送达凭证": "政府信息公开申请补正告知书送达凭证",
        }.get(entry["title"], entry["title"])
        assert flat(expected) in page, (entry, page[:200])
        # the 目录 names the page: 「<title> … <page>」
        assert re.search(re.escape(flat(entry["title"])) + r".*?" + str(entry["page"]), front)

    # what the generated pages say
    joined = flat("".join(texts))
    assert "当面提交的，以提交之日为收到申请之日（第三十一条第一项）" in joined  # 登记回执
    assert "1190012345678" in joined and "2026-03-05" in joined  # 送达情况表: 邮寄, signed for
    assert "答复期限" in joined and "补正" in joined  # timeline with the clocks' explanation
    assert "提起行政诉讼期限" in joined and "行政诉讼法第四十六条第一款" in joined  # from the reply's receipt
    assert "审计记录不含申请人的个人信息" in joined
    # no ID or phone number is printed; the ID appears masked at most
    assert "11010519491231002X" not in joined and "13800138000" not in joined


def test_the_zip_holds_the_originals_with_a_manifest_of_their_sha256(suit, office):
    bundle = evidence_bundle_build(actor=office["clerk"], case=suit["case"])
    with bundle.zip.open("rb") as fh:
        archive = zipfile.ZipFile(io.BytesIO(fh.read()))
    manifest = json.loads(archive.read("manifest.json"))
    paths = [f["path"] for f in manifest["files"]]
    assert sorted(paths) == sorted(n for n in archive.namelist() if n != "manifest.json")
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    stamp = suit["correction"].stamp
    with stamp.scan.open("rb") as fh:
        scan = fh.read()
    by_hash = {f["sha256"]: f["path"] for f in manifest["files"]}
    assert by_hash[hashlib.sha256(scan).hexdigest()].startswith("02-文书/")  # the stored bytes, unchanged
    proof = suit["correction"].delivery
    with proof.proof.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() in by_hash
    assert any(p.startswith("02-文书/") and "答复告知书" in p and p.endswith(".pdf") for p in paths)
    assert "05-审计记录/审计记录.json" in paths
    assert "01-申请及登记回执/登记回执_交申请人.pdf" in paths
    assert manifest["files"][0]["sha256"] == bundle.pdf_sha256  # the merged PDF itself
    audit = json.loads(archive.read("05-审计记录/审计记录.json"))
    assert audit and all("hash" in row for row in audit)


def test_who_builds_it_and_the_audit_rows(suit, office):
    case = suit["case"]
    with pytest.raises(PermissionDenied):
        evidence_bundle_build(actor=office["outsider"], case=case)
    with pytest.raises(PermissionDenied):
        evidence_bundle_build(actor=office["supervisor"], case=case)  # reads, cannot act, sees no applicant
    bundle = evidence_bundle_build(actor=office["clerk"], case=case)
    row = AuditEntry.objects.get(object_type="applications.evidencebundle", object_id=str(bundle.pk))
    assert row.action == AuditAction.EXPORT and row.changes["pdf_sha256"] == bundle.pdf_sha256
    unlinked = remedies.remedy_create(actor=office["clerk"], org=case.org, kind=RemedyKind.REVIEW,
                                      filed_on=D("2026-04-10"))  # fmt: skip
    with pytest.raises(ValidationError, match="未关联申请"):
        evidence_bundle_build(actor=office["clerk"], case=unlinked)


def test_one_click_on_the_remedy_page_builds_it_as_a_job_and_staff_download_it(
    suit, office, client, django_capture_on_commit_callbacks
):
    case = suit["case"]
    client.force_login(office["clerk"])
    page = client.get(reverse("applications:remedy_edit", args=[case.pk])).content.decode()
    assert "生成证据材料" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:evidence_build", args=[case.pk]))
    job = Job.objects.get(kind="evidence_bundle")
    assert response.url == reverse("backoffice:job", args=[job.pk])
    assert job.status == JobStatus.QUEUED or Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    done = client.get(reverse("backoffice:job", args=[job.pk]))
    assert done.url.endswith(f"/remedies/{case.pk}/#evidence")
    bundle = EvidenceBundle.objects.get(case=case)
    page = client.get(reverse("applications:remedy_edit", args=[case.pk])).content.decode()
    assert reverse("applications:evidence_download", args=[bundle.pk, "pdf"]) in page
    pdf = client.get(reverse("applications:evidence_download", args=[bundle.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    zipped = client.get(reverse("applications:evidence_download", args=[bundle.pk, "zip"]))
    assert zipped["Content-Type"] == "application/zip"
    assert (
        AuditEntry.objects.filter(
            object_type="applications.evidencebundle", action=AuditAction.DOWNLOAD
        ).count()
        == 2
    )
    # a clerk of another organisation gets a 404 for both the page and the file
    client.force_login(office["outsider"])
    assert client.get(reverse("applications:evidence_download", args=[bundle.pk, "pdf"])).status_code == 404
    assert client.post(reverse("applications:evidence_build", args=[case.pk])).status_code == 404


def test_the_remedy_page_shows_how_and_when_the_challenged_reply_reached_the_applicant(suit, office, client):
    case = suit["case"]
    challenged = challenged_letter_of(case)
    assert challenged is not None and challenged.letter == suit["reply"]
    assert challenged.period is not None and challenged.period.due == D(
        "2026-09-23"
    )  # 3/23 + 6 months, a Wednesday
    client.force_login(office["clerk"])
    page = client.get(reverse("applications:remedy_edit", args=[case.pk])).content.decode()
    section = page.split('id="challenged"', 1)[1].split("</section>", 1)[0]
    for text in (
        "政府信息公开申请答复告知书",
        "电子邮件",
        "2026年3月20日",
        "2026年3月23日",
        "提起行政诉讼期限",
        "2026年9月23日",
    ):
        assert text in section, text


def test_a_word_file_gets_a_page_naming_its_original_in_the_zip_and_a_review_its_answer_deadline(
    register, office
):
    """A 复议 case: the cover names the 被申请人 and the 「复议答复」 deadline; a DOCX material cannot be merged, so a
    page says where the original is (its path in the zip and its SHA-256)."""
    from docx import Document as Docx

    buffer = io.BytesIO()
    Docx().save(buffer)
    docx = buffer.getvalue()
    a = register("2026-03-02", uploads=[SimpleUploadedFile("申请书.docx", docx)])
    replies.application_reply(actor=office["clerk"], application=a, outcome="1", date=D("2026-03-10"))
    case = remedies.remedy_create(actor=office["clerk"], org=a.org, kind=RemedyKind.REVIEW,
                                  filed_on=D("2026-04-01"), application=a)  # fmt: skip
    bundle = evidence_bundle_build(actor=office["clerk"], case=case)
    with bundle.pdf.open("rb") as fh:
        texts = [flat(t) for t in page_texts(fh.read())]
    assert "行政复议答复证据材料" in texts[0] and "被申请人" in texts[0] and "「复议答复」期限" in texts[0]
    assert "待确认" in texts[0]  # the day the copy was received is not recorded yet
    material = next(c for c in bundle.contents if c["title"] == "申请材料（1）")
    page = texts[material["page"] - 1]
    assert "该文件不是PDF或图片，无法并入" in page and "01-申请及登记回执/申请材料（1）.docx" in page
    assert hashlib.sha256(docx).hexdigest() in page
    assert [
        c["title"] for c in bundle.contents if c["section"] == "letters"
    ] == []  # the reply is still a draft
