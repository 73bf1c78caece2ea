"""Letters to applicants and third parties: drafted from the record, edited, issued; DOCX and PDF (GB/T 9704)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.core.documents import FONT_BODY, docx_set_fonts, html_to_pdf
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record, diff, snapshot
from gongkai.orgs.permissions import Action, can
from gongkai.workdays.explain import fmt_date

from .models import Application, Letter
from .vocab import OUTCOME_ARTICLES, WITHHOLDING_OUTCOMES, FeeMethod, LetterKind, Outcome

ACT = "《中华人民共和国政府信息公开条例》"
REVIEW_FIRST_SINCE = dt.date(2024, 1, 1)  # 行政复议法(2023修订)第二十三条第一款第（四）项 in force


def d(day: dt.date | None) -> str:
    return fmt_date(day, weekday=False) if day else "____年__月__日"


def remedy_paragraph(application: Application, *, on: dt.date) -> str:
    """The remedy paragraph of a reply (第五十一条), naming the org's 复议机关 and 法院.

    From 2024-01-01 a 不予公开 decision must first go to 行政复议 (行政复议法第二十三条第一款
    第（四）项, and 第二款: the agency must say so); otherwise 复议 within 60 days (第二十条) or
    suit within 6 months (行政诉讼法第四十六条).
    """
    org = application.org
    review = org.review_body or "本机关的行政复议机关"
    court = org.court or "有管辖权的人民法院"
    if application.outcome in WITHHOLDING_OUTCOMES and on >= REVIEW_FIRST_SINCE:
        return (
            f"如对本机关不予公开的决定不服，根据《中华人民共和国行政复议法》第二十三条的规定，应当先向{review}"
            f"申请行政复议，可以自收到本告知书之日起六十日内提出；对行政复议决定不服的，可以自收到行政复议决定书"
            f"之日起十五日内依法向{court}提起行政诉讼。"
        )
    return (
        f"如对本答复不服，可以自收到本告知书之日起六十日内向{review}申请行政复议，"
        f"或者自收到本告知书之日起六个月内向{court}提起行政诉讼。"
    )


def _opening(a: Application) -> str:
    return (
        f"本机关于{d(a.received_on)}收到您提出的政府信息公开申请（申请编号：{a.tracking_code}），"
        f"申请获取“{a.info_title}”。"
    )


def _event(a: Application, kind: str) -> Any:
    return a.events.filter(kind=kind).order_by("-date", "-id").first()


def _reply_body(a: Application) -> list[str]:
    o = a.outcome
    art = OUTCOME_ARTICLES.get(o, "")
    cite = f"根据{ACT}{art}的规定，" if art else ""
    summary = a.reply_summary.strip()
    correction = _event(a, "correction_requested")
    fee = a.fee_notices.order_by("-sent_on").first()
    texts: dict[str, str] = {
        "1": f"经审查，您申请获取的政府信息属于公开范围。{cite}现向您提供该政府信息。",
        "2": f"经审查，您申请获取的信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。"
        f"{cite}本机关向您提供可以公开的部分，对不予公开的部分说明理由如下：",
        "3.1": f"经审查，您申请获取的政府信息依法确定为国家秘密。{cite}不予公开。",
        "3.2": f"经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息。{cite}不予公开。",
        "3.3": f"经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。{cite}不予公开。",
        "3.4": f"经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。{cite}不予公开。",
        "3.5": f"经审查，您申请获取的信息属于人事管理、后勤管理、内部工作流程等方面的内部事务信息。{cite}不予公开。",
        "3.6": f"经审查，您申请获取的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、"
        f"请示报告等过程性信息。{cite}不予公开。",
        "3.7": f"经审查，您申请获取的信息属于行政执法案卷信息。{cite}不予公开。",
        "3.8": f"经审查，您申请获取的信息属于工商、不动产登记资料等，有关法律、行政法规对其获取有特别规定。"
        f"{cite}请您依照有关法律、行政法规的规定办理。",
        "4.1": f"经检索查找，本机关未制作或者获取您申请的政府信息。{cite}告知您该政府信息不存在。",
        "4.2": f"经审查，您申请获取的信息需要本机关对现有政府信息进行加工、分析方能形成，"
        f"根据{ACT}第三十八条的规定，本机关不予提供。",
        "4.3": f"本机关已于{d(correction.date if correction else None)}告知您补正申请，但补正后申请内容仍不明确，"
        f"本机关无法确定您所需的政府信息。{cite}特此告知。",
        "5.1": f"经审查，您的申请属于以政府信息公开申请的形式进行信访、投诉、举报等活动。{cite}"
        "本机关不作为政府信息公开申请处理，您可以通过相应渠道向有关机关提出。",
        "5.2": f"经审查，您的申请与本机关已经答复的申请内容相同。{cite}本机关不予重复处理。",
        "5.3": f"经审查，您申请获取的是政府公报、报刊、书籍等公开出版物。{cite}请您通过相应的出版发行渠道获取。",
        "5.4": f"您申请公开政府信息的数量、频次明显超过合理范围，且未能说明合理理由。{cite}本机关不予处理。",
        "5.5": "经审查，您的申请要求本机关确认或者重新出具您已获取的信息，不属于政府信息公开申请的处理范围，"
        "本机关不予处理。",
        "6.1": f"本机关已于{d(correction.date if correction else None)}向您发出补正通知，您无正当理由逾期未补正。"
        f"{cite}视为您放弃申请，本机关不再处理您的该政府信息公开申请。",
        "6.2": f"本机关已于{d(fee.sent_on if fee else None)}向您发出收费通知，您逾期未按收费通知要求缴纳费用。"
        f"根据{ACT}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，"
        "本机关不再处理您的该政府信息公开申请。",
        "6.3": "本机关对您的申请作如下处理：",
    }
    body = [_opening(a), texts.get(o, "")]
    if summary:
        body.append(summary)
    body.append(remedy_paragraph(a, on=a.closed_on or timezone.localdate()))
    body.append("特此告知。")
    return body


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
        until = a.correction_until
        body = [
            _opening(a),
            f"经审查，您的申请内容不够明确。根据{ACT}第三十条的规定，请您于{d(until)}前对以下事项作出补正：",
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
    elif kind == LetterKind.CONSULTATION:
        e = _event(a, "consultation_sent")
        party = context.get("party") or (e.data.get("party", "") if e else "")
        recipient = f"{party}："
        body = [
            f"本机关于{d(a.received_on)}收到关于公开“{a.info_title}”的政府信息公开申请。该信息可能涉及贵方的"
            f"商业秘密、个人隐私等合法权益，根据{ACT}第三十二条的规定，现书面征求贵方意见。",
            "请贵方自收到本函之日起15个工作日内以书面形式提出意见；逾期未提出意见的，由本机关依照"
            f"{ACT}的规定决定是否公开。贵方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对"
            "公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。",
            f"联系方式：{contact or org.name}。",
        ]
        title, date = "政府信息公开第三方意见征询函", e.date if e else timezone.localdate()
    elif kind == LetterKind.FEE_NOTICE:
        notice = a.fee_notices.order_by("-sent_on", "-id").first()
        if notice is None:
            raise ValidationError("本申请没有收费通知。")
        body = [
            _opening(a),
            f"根据{ACT}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，"
            "本机关决定对您的申请收取信息处理费。",
            f"计收方式：{FeeMethod(notice.method).label}。{notice.computation}",
            f"应缴金额：人民币{notice.amount:.2f}元。请于{d(notice.due_on)}前缴纳（{contact or '缴费方式请与本机关联系'}）。",
            "自本通知发出之日至您缴纳费用之日，不计入答复期限；逾期未缴纳的，视为放弃申请，本机关不再处理您的该政府信息公开申请。",
            "特此通知。",
        ]
        title, date = "政府信息公开信息处理费收费通知书", notice.sent_on
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


def _require(actor: Any, application: Application) -> None:
    if actor is not None and not can(actor, Action.EDIT, application.org):
        raise PermissionDenied("您无权处理该申请的文书。")


@transaction.atomic
def letter_draft(
    *, actor: Any, application: Application, kind: LetterKind | str, context: dict[str, Any] | None = None
) -> Letter:
    """Draft a letter of ``kind`` from the record (editable until issued). Applicants' ID numbers are never printed."""
    _require(actor, application)
    kind = LetterKind(kind)
    if kind == LetterKind.REPLY and not application.outcome:
        raise ValidationError("申请尚未答复，不能起草答复告知书。")
    letter = Letter(
        application=application,
        kind=kind,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **_draft(application, kind, context or {}),
    )
    letter.full_clean()
    letter.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=letter, org=application.org,
                 changes={"kind": [None, str(kind)], "title": [None, letter.title]})  # fmt: skip
    return letter


LETTER_FIELDS = ("number", "title", "recipient", "body", "signatory", "dated")


@transaction.atomic
def letter_update(*, actor: Any, letter: Letter, **fields: Any) -> Letter:
    """Edit a draft; an issued letter is frozen."""
    letter = Letter.objects.select_for_update().select_related("application__org").get(pk=letter.pk)
    _require(actor, letter.application)
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
def letter_issue(*, actor: Any, letter: Letter) -> Letter:
    """Issue (出具) the letter: from now on its text is frozen."""
    letter = Letter.objects.select_for_update().select_related("application__org").get(pk=letter.pk)
    _require(actor, letter.application)
    if letter.is_issued:
        raise ValidationError("文书已出具。")
    letter.issued_at = timezone.now()
    letter.save(update_fields=["issued_at"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=letter, org=letter.application.org,
                 changes={"issued": [False, True]})  # fmt: skip
    return letter


# --- rendering ---------------------------------------------------------------------------------

LETTER_CSS = f"""
.doc-number {{ text-align: center; margin: 0 0 14pt; }}
.recipient {{ margin: 14pt 0 0; }}
.body p {{ text-indent: 2em; margin: 0; }}
.sign {{ text-align: right; margin-top: 28pt; padding-right: 2em; }}
body {{ font-family: {FONT_BODY}; }}
"""


def render_html(letter: Letter) -> str:
    return render_to_string(
        "applications/letter_document.html", {"letter": letter, "date_text": d(letter.dated)}
    )


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
    "Outcome",
    "letter_draft",
    "letter_issue",
    "letter_update",
    "remedy_paragraph",
    "render_docx",
    "render_pdf",
]
