"""Letters to applicants and third parties: drafted from the record, edited, issued; DOCX and PDF (GB/T 9704).

The texts: ``reply_letter`` (the 答复告知书) and ``letter_texts`` (the other kinds, shared wording)."""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.applications.clocks import FEE_PAYMENT_DAYS
from gongkai.core.actors import Actor, acting_user
from gongkai.core.documents import FONT_BODY, docx_set_fonts, html_to_pdf
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record, diff, snapshot
from gongkai.orgs.permissions import Action, require_for_applications
from gongkai.orgs.review_bodies import review_body_name

from .letter_texts import (
    ACT,
    EXTRA_DRAFTS,
    FEE_PAUSE_SENTENCE,
    d,
    fee_notice_states_pause,
    fee_payment_method,
)
from .letter_texts import fee_method_line as _fee_method_line
from .letter_texts import iso_date as _date
from .letter_texts import last_event as _event
from .letter_texts import opening as _opening
from .letter_texts import sentence as _sentence
from .models import Application, Letter
from .reply_letter import REVIEW_BODY_ERROR, REVIEW_BODY_MISSING, missing_blocks
from .reply_letter import reply_body as _reply_body
from .vocab import LetterKind


def _consulted(a: Application, context: dict[str, Any]) -> tuple[str, dt.date]:
    """A consultation letter's recipient line (the party given, else the one of the last consultation sent)
    and its date (the day it was sent)."""
    e = _event(a, "consultation_sent")
    party = context.get("party") or (e.data.get("party", "") if e else "")
    return f"{party}：", e.date if e else timezone.localdate()


def _draft(a: Application, kind: LetterKind, context: dict[str, Any]) -> dict[str, Any]:
    org = a.org
    contact = "；".join(
        x
        for x in (
            f"联系地址：{org.address}" if org.address else "",
            f"联系电话：{org.phone}" if org.phone else "",
        )
        if x
    )
    recipient = f"{a.applicant_name}："
    if kind == LetterKind.CORRECTION:
        e = _event(a, "correction_requested")
        items = e.data.get("items", "") if e else ""
        days = e.data.get("days") if e else None
        period = f"自收到本告知书之日起{days}个工作日内" if days else f"于{d(a.correction_until)}（含当日）前"
        body = [
            _opening(a),
            f"经审查，您的申请内容不够明确。根据{ACT}第三十条的规定，请您{period}对以下事项作出补正：",
            items,
            "答复期限自本机关收到补正后的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，"
            "本机关不再处理您的该政府信息公开申请。",
            "特此告知。",
        ]
        title, date = "政府信息公开申请补正告知书", e.date if e else timezone.localdate()
    elif kind == LetterKind.EXTENSION:
        e = _event(a, "extended")
        data = e.data if e else {}
        reason = data.get("reason") or "所需信息较多，需要检索、审查"
        body = [
            _opening(a),
            f"因{reason}，本机关不能在法定期限内作出答复。经本机关政府信息公开工作机构负责人同意，根据{ACT}"
            f"第三十三条第二款的规定，答复期限延长{data.get('days', '__')}个工作日，延长后的答复期限为{d(a.reply_due)}。",
            "特此告知。",
        ]
        title, date = "政府信息公开申请延期答复告知书", e.date if e else timezone.localdate()
    elif kind == LetterKind.AGENCY_CONSULTATION:
        recipient, date = _consulted(a, context)
        body = [
            f"本机关于{d(a.received_on)}收到关于公开“{a.info_title}”的政府信息公开申请。该政府信息由本机关与贵机关"
            f"共同制作，本机关为牵头制作机关。根据{ACT}第三十四条的规定，现征求贵机关意见。",
            "请贵机关自收到本函之日起15个工作日内提出意见；逾期未提出意见的，视为同意公开。",
            f"联系方式：{contact or org.name}。",
        ]
        title = "政府信息公开征求意见函（共同制作机关）"
    elif kind in EXTRA_DRAFTS:
        recipient, body, title, date = EXTRA_DRAFTS[kind](a, context, contact or org.name)
    elif kind == LetterKind.CONSULTATION:
        recipient, date = _consulted(a, context)
        body = [
            f"本机关于{d(a.received_on)}收到关于公开“{a.info_title}”的政府信息公开申请。该信息可能涉及贵方的"
            f"商业秘密、个人隐私等合法权益，根据{ACT}第三十二条的规定，现书面征求贵方意见。",
            "请贵方自收到本函之日起15个工作日内以书面形式提出意见；逾期未提出意见的，由本机关依照"
            f"{ACT}的规定决定是否公开。贵方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对"
            "公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。",
            f"联系方式：{contact or org.name}。",
        ]
        title = "政府信息公开第三方意见征询函"
    elif kind == LetterKind.FEE_NOTICE:
        notice = a.fee_notices.order_by("-sent_on", "-id").first()
        if notice is None:
            raise ValidationError("本申请没有收费通知。")
        body = [
            _opening(a),
            f"根据{ACT}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，"
            "本机关决定对您的申请收取信息处理费。",
            # The computation starts with the method's label (fees.py): print it once.
            _fee_method_line(notice),
            # The period runs from the day after receipt (clocks.FEE_RULE_NOTE): a date only once receipt is known.
            f"应缴金额：人民币{notice.amount:.2f}元。请自收到本通知次日起{FEE_PAYMENT_DAYS}个工作日内缴纳"
            + (f"，即至{d(notice.due_on)}止" if notice.received_on and notice.due_on else "")
            + "。",
            f"缴纳方式：{_sentence(fee_payment_method())}",
            # The pause rule's wording in 109号 was not found (legal-basis.md §3.3 item 4): printed only when set.
            (FEE_PAUSE_SENTENCE if fee_notice_states_pause() else "")
            + "逾期未缴纳的，视为放弃申请，本机关不再处理您的该政府信息公开申请。",
            f"联系方式：{contact or org.name}。",
            "特此通知。",
        ]
        title, date = "政府信息公开信息处理费收费通知书", notice.sent_on
    elif kind == LetterKind.DELAY:
        e = _event(a, "reply_deadline_set")
        if e is None:
            raise ValidationError("本申请没有确定延迟答复期限。")
        asked, given = _event(a, "reasons_requested"), _event(a, "reasons_given")
        body = [
            _opening(a),
            f"您申请公开政府信息的数量、频次明显超过合理范围，本机关已于{d(asked.date if asked else None)}"
            f"要求您说明理由，并于{d(given.date if given else None)}收到您的说明。经审查，本机关认为您的申请理由合理，"
            f"但因{e.data.get('reason', '')}，无法在{ACT}第三十三条规定的期限内答复。根据{ACT}第三十五条的规定，"
            f"本机关确定延迟答复的期限为{d(_date(e.data.get('reply_by')))}，届时将依法作出答复。",
            "特此告知。",
        ]
        title, date = "政府信息公开申请延迟答复告知书", e.date
    else:
        body = _reply_body(a)
        title, date = "政府信息公开申请答复告知书", a.closed_on or timezone.localdate()
    n = a.letters.count() + 1
    serial = a.tracking_code[-6:].lstrip("0") or "0"
    return {
        "title": title,
        "recipient": recipient,
        "body": "\n".join(p for p in body if p),
        "signatory": org.name,
        "dated": date,
        "number": f"{org.display_name}依申请〔{date.year}〕{serial}-{n}号",
    }


LETTERS_DENIED = "您无权处理该申请的文书。"


@transaction.atomic
def letter_draft(
    *, actor: Actor, application: Application, kind: LetterKind | str, context: dict[str, Any] | None = None
) -> Letter:
    """Draft a letter of ``kind`` from the record (editable until issued). Applicants' ID numbers are never printed."""
    require_for_applications(actor, Action.EDIT, application.org, LETTERS_DENIED)
    kind = LetterKind(kind)
    if kind == LetterKind.REPLY and not application.outcome:
        raise ValidationError("申请尚未答复，不能起草答复告知书。")
    letter = Letter(
        application=application,
        kind=kind,
        created_by=acting_user(actor),
        **_draft(application, kind, context or {}),
    )
    letter.full_clean()
    letter.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=letter, org=application.org,
                 changes={"kind": [None, str(kind)], "title": [None, letter.title]})  # fmt: skip
    return letter


LETTER_FIELDS = ("number", "title", "recipient", "body", "signatory", "dated")


@transaction.atomic
def letter_update(*, actor: Actor, letter: Letter, **fields: Any) -> Letter:
    """Edit a draft; an issued letter is frozen."""
    letter = Letter.objects.select_for_update().select_related("application__org").get(pk=letter.pk)
    require_for_applications(actor, Action.EDIT, letter.application.org, LETTERS_DENIED)
    if letter.is_issued:
        raise ValidationError("文书已出具，不能再修改。")
    before = snapshot(letter, LETTER_FIELDS)
    for name, value in fields.items():
        if name not in LETTER_FIELDS:
            raise ValidationError(f"不能修改字段「{name}」。")
        setattr(letter, name, value)
    letter.full_clean()
    letter.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=letter, org=letter.application.org,
                 changes=diff(before, snapshot(letter, LETTER_FIELDS)))  # fmt: skip
    return letter


@transaction.atomic
def letter_issue(*, actor: Actor, letter: Letter) -> Letter:
    """Issue (出具) the letter: from now on its text is frozen, and its PDF is rendered once and stored."""
    letter = Letter.objects.select_for_update().select_related("application__org").get(pk=letter.pk)
    require_for_applications(actor, Action.EDIT, letter.application.org, LETTERS_DENIED)
    if letter.is_issued:
        raise ValidationError("文书已出具。")
    if letter.kind == LetterKind.REPLY:
        from .services.replies import reply_requirements

        problems = list(reply_requirements(letter.application).values())
        if not problems and (missing := missing_blocks(letter)):
            problems.append(
                "答复告知书正文缺少以下必备内容，或者其文字已被改动："
                + "；".join(f"「{name}」" for name in missing)
                + "。请恢复系统生成的原文（可重新起草答复告知书）后再出具。"
            )
        if not review_body_name(letter.application.org):
            problems.append(REVIEW_BODY_ERROR)
        elif REVIEW_BODY_MISSING in letter.body:
            problems.append(
                f"答复告知书正文仍有「{REVIEW_BODY_MISSING}」，请改为行政复议机关的名称后再出具。"
            )
        if problems:
            raise ValidationError(problems)
    from .issued_pdf import store_issued_pdf

    letter.issued_at = timezone.now()
    letter.save(update_fields=["issued_at"])
    _, sha = store_issued_pdf(letter)  # rendered once: what is issued is what is kept (issued_pdf.py)
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=letter, org=letter.application.org,
                 changes={"issued": [False, True], "issued_pdf_sha256": [None, sha]})  # fmt: skip
    return letter


# --- rendering ---------------------------------------------------------------------------------

LETTER_CSS = f"""
.doc-number {{ text-align: center; margin: 0 0 14pt; }}
.recipient {{ margin: 14pt 0 0; }}
.body p {{ text-indent: 2em; margin: 0; }}
.sign {{ text-align: right; margin-top: 28pt; padding-right: 2em; }}
body {{ font-family: {FONT_BODY}; }}
.sign {{ position: relative; }}
.seal {{ position: absolute; right: 1.5em; top: -12mm; width: 42mm; height: 42mm; opacity: 0.9; }}
.draft-mark {{ position: fixed; top: 95mm; left: 0; right: 0; text-align: center; font-size: 96pt;
  color: rgba(200, 0, 0, 0.18); transform: rotate(-30deg); font-family: {FONT_BODY}; }}
"""


def render_html(letter: Letter) -> str:
    """The letter as a document: a draft carries a 「草稿」 mark; an issued letter sealed with the organisation's
    电子印章 (services.stamps) carries the seal over the 落款."""
    from .services.stamps import seal_image_of

    seal = seal_image_of(letter) if letter.is_issued else None
    seal_uri = f"data:image/png;base64,{base64.b64encode(seal).decode()}" if seal else ""
    return render_to_string(
        "applications/letter_document.html",
        {"letter": letter, "date_text": d(letter.dated), "seal_uri": seal_uri},
    )


def letter_file_stem(letter: Letter) -> str:
    """The name of a letter's downloads: the organisation, the title and the 文号 (else the 申请编号), as in
    「青山县人民政府政府信息公开申请答复告知书（青府信公〔2026〕3号）」; 「（草稿）」 until issued."""
    org = letter.application.org.name
    title = letter.title if letter.title.startswith(org) else f"{org}{letter.title}"
    number = letter.number.strip() or letter.application.tracking_code
    return f"{title}（{number}）{'' if letter.is_issued else '（草稿）'}"


def render_pdf(letter: Letter) -> bytes:
    """PDF in GB/T 9704 layout (A4, 仿宋 body, 文号, 落款, 成文日期)."""
    return html_to_pdf(render_html(letter), extra_css=LETTER_CSS)


def render_docx(letter: Letter) -> bytes:
    """DOCX with the same text (A4, GB/T 9704 margins, 仿宋_GB2312 16pt)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    docx_set_fonts(document)
    if not letter.is_issued:
        mark = document.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark.add_run("【草稿】").bold = True
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(letter.title)
    run.font.size = Pt(22)
    number = document.add_paragraph(letter.number)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(letter.recipient)
    for text in letter.paragraphs:
        p = document.add_paragraph(text)
        p.paragraph_format.first_line_indent = Pt(32)
    for text in (letter.signatory, d(letter.dated)):
        p = document.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


__all__ = [
    "letter_draft",
    "letter_file_stem",
    "letter_issue",
    "letter_update",
    "render_docx",
    "render_pdf",
]
