"""Building the evidence bundle (证据材料) of a registered 行政复议 or 行政诉讼 case.

One PDF — a cover (机关, case, applicant as the letters name them, the deadline of the answer with its
explanation), a 目录 with the bundle's page numbers, then in order: 一、申请及登记回执; 二、文书 (every letter as
issued: the stamped scan if uploaded, else the issued PDF); 三、送达证明 (the 送达情况表, then each proof);
四、办理时间线及期限说明 (then the signed 延期审批单); 五、审计记录摘录 — and a zip of the originals with
``manifest.json`` (path, title, size and SHA-256 of every file). Staff who can act on the application and see
its applicant build it (``require_for_applications`` EDIT, ``can_see_applicant``); each build is an audit row
(导出), each download another (下载)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.core.actors import Actor, acting_user, is_system
from gongkai.core.exports import write_manifest_zip
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record, jsonable
from gongkai.orgs.permissions import Action, require_for_applications

from .. import dossier
from ..models import AttachmentPurpose, RemedyCase
from ..permissions import can_see_applicant, can_see_applicants_of
from ..registration_receipt import PAPER_CHANNELS, receipt_pdf
from ..selectors import challenged_letter_of, remedy_answer_of
from ..vocab import RemedyKind
from . import pages, pdf
from .models import EvidenceBundle

Progress = Callable[[float, str], None]
SECTIONS = (  # key, heading in the 目录, folder in the zip
    ("application", "一、申请及登记回执", "01-申请及登记回执"),
    ("letters", "二、文书（出具件）", "02-文书"),
    ("delivery", "三、送达证明", "03-送达证明"),
    ("timeline", "四、办理时间线及期限说明", "04-办理时间线"),
    ("audit", "五、审计记录摘录", "05-审计记录"),
)
FOLDERS = {key: folder for key, _, folder in SECTIONS}
DENIED = "您无权为该案件生成证据材料（须能办理所关联的申请并查看申请人信息）。"
NO_APPLICATION = "该案件未关联申请，无法生成证据材料：请先在案件中填写“关联申请编号”并保存。"
UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass
class Document:
    """One entry of the 目录: its PDF pages in the bundle and its original(s) in the zip."""

    section: str
    title: str
    pages: bytes
    originals: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, bytes)
    note: str = ""
    first_page: int = 0  # 1-based, set when the bundle is laid out
    page_count: int = 0


def check_may_build(actor: Actor, case: RemedyCase) -> None:
    """Refuse (PermissionDenied, ValidationError) before any work is queued or done."""
    require_for_applications(actor, Action.EDIT, case.org, DENIED)
    if not is_system(actor) and not can_see_applicants_of(actor, case.org):
        raise PermissionDenied(DENIED)
    if case.application is None:
        raise ValidationError(NO_APPLICATION)
    if not is_system(actor) and not can_see_applicant(actor, case.application):
        raise PermissionDenied(DENIED)


def _name(title: str, extension: str) -> str:
    return UNSAFE.sub("_", title).strip("_")[:80] + extension


def _original(section: str, original: dossier.Original, name: str) -> Document:
    """A stored original as a document of the bundle: its pages (or a stand-in naming it) and the file itself."""
    pages_ = pdf.as_pages(original.title, original, f"{FOLDERS[section]}/{name}")
    return Document(section, original.title, pages_, [(name, original.content)])


def collect(case: RemedyCase, progress: Progress) -> list[Document]:
    """The documents of the bundle, in the order of the 目录."""
    a = case.application
    assert a is not None
    answer = remedy_answer_of(case)
    challenged = challenged_letter_of(case)
    applicant = pages.applicant_name(a)
    docs = [Document("application", "政府信息公开申请登记回执", pdf.part("applications/evidence/registration.html",
                                                                     pages.registration(a, applicant)))]  # fmt: skip
    docs[0].originals.append((_name(docs[0].title, ".pdf"), docs[0].pages))
    if a.channel in PAPER_CHANNELS:  # the 登记回执 staff printed for the applicant (当面、信函)
        receipt = receipt_pdf(a)
        docs.append(
            Document(
                "application",
                "登记回执（交申请人）",
                receipt,
                [(_name("登记回执_交申请人", ".pdf"), receipt)],
            )
        )
    docs += [_original("application", m, _name(m.title, m.extension)) for m in dossier.materials(a)]
    progress(10, "正在生成文书")
    letters = dossier.issued_letters(
        a, progress=lambda n, of: progress(10 + 50 * n / of, f"已生成文书 {n}/{of}")
    )
    for item in letters:
        issued_pdf = (_name(f"{item.number:02d}-{item.pdf.title}", ".pdf"), item.pdf.content)
        doc = _original("letters", item.as_issued, _name(f"{item.number:02d}-{item.as_issued.title}",
                                                          item.as_issued.extension))  # fmt: skip
        if item.scan is not None:  # the zip keeps the issued PDF beside the stamped scan
            doc.originals.insert(0, issued_pdf)
        doc.note = "、".join(
            x for x in (item.letter.number, f"成文日期 {item.letter.dated.isoformat()}") if x
        )
        docs.append(doc)
    table = pdf.part("applications/evidence/delivery.html", pages.delivery(letters), landscape=True)
    docs.append(Document("delivery", "文书送达情况表", table, [(_name("文书送达情况表", ".pdf"), table)]))
    docs += [
        _original(
            "delivery", item.proof, _name(f"{item.number:02d}-{item.proof.title}", item.proof.extension)
        )
        for item in letters
        if item.proof is not None
    ]
    progress(70, "正在生成办理时间线和审计记录摘录")
    context = pages.timeline(a, case, answer, challenged, letters)
    line = pdf.part("applications/evidence/timeline.html", context)
    docs.append(
        Document("timeline", "办理时间线及期限说明", line, [(_name("办理时间线及期限说明", ".pdf"), line)])
    )
    approvals = dossier.materials(a, AttachmentPurpose.EXTENSION_APPROVAL)
    docs += [_original("timeline", m, _name(m.title, m.extension)) for m in approvals]
    entries = pages.audit_entries(a)
    extract = pdf.part("applications/evidence/audit.html", pages.audit(entries), landscape=True)
    rows = [{"id": e.id, "created_at": e.created_at.isoformat(), "actor": e.actor_name, "action": e.action,
             "object_type": e.object_type, "object_id": e.object_id, "changes": e.changes, "prev_hash": e.prev_hash,
             "hash": e.hash, "alg": e.alg} for e in entries]  # fmt: skip
    docs.append(Document("audit", "审计记录摘录", extract, [
        (_name("审计记录摘录", ".pdf"), extract),
        ("审计记录.json", json.dumps(rows, ensure_ascii=False, indent=1).encode()),
    ], note=f"共 {len(entries)} 条"))  # fmt: skip
    return docs


def _front(case: RemedyCase, docs: list[Document], front_pages: int) -> bytes:
    a = case.application
    assert a is not None
    page = front_pages + 1
    for doc in docs:
        doc.first_page, page = page, page + doc.page_count
    toc = [(label, [d for d in docs if d.section == key]) for key, label, _ in SECTIONS]
    answer = remedy_answer_of(case)
    return pdf.part("applications/evidence/cover.html", {
        "case": case, "a": a, "applicant": pages.applicant_name(a), "answer": answer, "toc": toc,
        "title": title_of(case), "party": "被申请人" if case.kind == RemedyKind.REVIEW else "被告",
        "total": page - 1, "today": timezone.localdate(),
    })  # fmt: skip


def title_of(case: RemedyCase) -> str:
    return "行政复议答复证据材料" if case.kind == RemedyKind.REVIEW else "行政诉讼证据材料"


def layout(case: RemedyCase, docs: list[Document]) -> tuple[bytes, list[pdf.Bookmark]]:
    """The merged bundle: cover and 目录 first, whose page numbers count the cover and 目录 themselves."""
    for doc in docs:
        doc.page_count = pdf.page_count(doc.pages)
    front_pages = 2
    for _ in range(4):  # the 目录 may grow a page once the numbers are known
        front = _front(case, docs, front_pages)
        if pdf.page_count(front) == front_pages:
            break
        front_pages = pdf.page_count(front)
    marks = [pdf.Bookmark("封面及目录", 0, 0)]
    for key, label, _ in SECTIONS:
        section = [d for d in docs if d.section == key]
        if section:
            marks.append(pdf.Bookmark(label, section[0].first_page - 1, 0))
            marks += [pdf.Bookmark(d.title, d.first_page - 1, 1) for d in section]
    return pdf.merge([front, *(d.pages for d in docs)], marks, title=title_of(case)), marks


def package(case: RemedyCase, docs: list[Document], bundle_pdf: bytes, actor: Actor) -> bytes:
    """The zip of the originals: the bundle PDF, each document's files by section, and ``manifest.json``."""
    files: list[tuple[str, str, bytes]] = [(f"{title_of(case)}.pdf", "证据材料（合并本）", bundle_pdf)]
    for key, _, folder in SECTIONS:
        for doc in (d for d in docs if d.section == key):
            files += [(f"{folder}/{name}", doc.title, data) for name, data in doc.originals]
    a = case.application
    assert a is not None
    manifest = {
        "title": title_of(case), "org": case.org.name, "case": {"kind": case.get_kind_display(),
        "case_number": case.case_number, "body": case.body, "filed_on": jsonable(case.filed_on)},
        "application": a.tracking_code, "generated_at": timezone.now().isoformat(),
        "generated_by": str(acting_user(actor) or actor),
    }  # fmt: skip
    return write_manifest_zip(manifest, files)


def evidence_bundle_build(
    *, actor: Actor, case: RemedyCase, progress: Progress | None = None
) -> EvidenceBundle:
    """Build, store and audit (导出) the evidence bundle of ``case``; ``progress(percent, message)`` as it goes."""
    report = progress or (lambda percent, message: None)
    case = RemedyCase.objects.select_related("org", "application__org").get(pk=case.pk)
    check_may_build(actor, case)
    report(2, "正在生成登记回执")
    docs = collect(case, report)
    report(80, "正在合并并编页码")
    bundle_pdf, _ = layout(case, docs)
    report(92, "正在打包原件")
    archive = package(case, docs, bundle_pdf, actor)
    pdf_sha, zip_sha = hashlib.sha256(bundle_pdf).hexdigest(), hashlib.sha256(archive).hexdigest()
    contents = [
        {"section": d.section, "title": d.title, "page": d.first_page, "pages": d.page_count} for d in docs
    ]
    with transaction.atomic():
        bundle = EvidenceBundle(case=case, pdf_sha256=pdf_sha, zip_sha256=zip_sha, contents=contents,
                                pages=pdf.page_count(bundle_pdf), built_by=acting_user(actor))  # fmt: skip
        bundle.pdf.save(f"{pdf_sha[:20]}.pdf", ContentFile(bundle_pdf), save=False)
        bundle.zip.save(f"{zip_sha[:20]}.zip", ContentFile(archive), save=False)
        bundle.save()
        audit_record(actor=actor, action=AuditAction.EXPORT, obj=bundle, org=case.org, changes={
            "read": "证据材料", "case": case.pk, "documents": len(docs), "pages": bundle.pages,
            "pdf_sha256": pdf_sha, "zip_sha256": zip_sha,
        })  # fmt: skip
    return bundle
