"""Letters to applicants and third parties: drafted from the record, edited, issued; DOCX and PDF (GB/T 9704)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.core.documents import FONT_BODY, docx_set_fonts, html_to_pdf
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record, diff, snapshot
from gongkai.orgs.permissions import Action, can
from gongkai.orgs.review_bodies import review_body_name
from gongkai.workdays.clocks import FEE_PAYMENT_DAYS
from gongkai.workdays.explain import fmt_date

from .models import Application, Letter
from .vocab import (
    OUTCOME_ARTICLES,
    REPLY_BASIS_ARTICLES,
    REVIEW_FIRST_SCOPE,
    REVIEW_FIRST_WHOLE,
    REVIEW_FIRST_WITHHELD_PART,
    WITHHOLDING_GROUNDS,
    DeliveryForm,
    DeliveryMethod,
    FeeMethod,
    LetterKind,
    Outcome,
    ReplyBasis,
)

ACT = "《中华人民共和国政府信息公开条例》"
REVIEW_ACT = "《中华人民共和国行政复议法》"
LITIGATION_ACT = "《中华人民共和国行政诉讼法》"
REVIEW_FIRST_SINCE = dt.date(2024, 1, 1)  # 行政复议法(2023修订)第二十三条第一款第四项 in force (第九十条)
# Printed in a draft when the organisation has no 复议机关 and none can be derived; letter_issue refuses it.
REVIEW_BODY_MISSING = "【行政复议机关未设置】"
REVIEW_BODY_ERROR = (
    "本机关未设置行政复议机关，也无法根据机构层级推定（《中华人民共和国行政复议法》第二十四条；"
    "垂直领导机关、税务和国家安全机关的行政复议机关是上一级主管部门，见第二十七条），"
    "不能出具答复告知书。请在机构管理中设置本机关的「行政复议机关」。"
)


def d(day: dt.date | None) -> str:
    return fmt_date(day, weekday=False) if day else "____年__月__日"


def _after_review() -> str:
    """诉讼法第四十五条: after the 复议决定, or after the 复议 period ends without one (no fixed day count: 复议法
    第六十二条/第五十三条 give 60 or 30 days, extendable, so the letter says 「复议期满」); 复议法第三十四条: after a
    复议前置 application is not accepted (不予受理) or rejected (驳回申请). No court is named: after 复议 the 复议机关
    may become a (co-)defendant (行政诉讼法第二十六条第二款; not quoted in docs/legal-basis.md), which can change the
    competent court; ``org.court`` is
    named only for a direct suit."""
    return (
        "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼；"
        "行政复议机关逾期不作决定的，可以自复议期满之日起十五日内依法向人民法院提起行政诉讼"
        f"（{LITIGATION_ACT}第四十五条）。"
        "行政复议机关决定不予受理、驳回申请的，可以自收到决定书之日起十五日内依法向人民法院提起行政诉讼"
        f"（{REVIEW_ACT}第三十四条）。"
    )


def remedy_paragraph(application: Application, *, on: dt.date) -> str:
    """The remedy paragraph of a reply (第五十一条), naming the 复议机关 and the court.

    From 2024-01-01 a 不予公开 decision must first go to 行政复议 (行政复议法第二十三条第一款第四项, and 第二款:
    the agency must say so): the whole decision for 3.1–3.7, the withheld part of a 部分公开 (whose disclosed
    rest keeps the general remedy). Otherwise 复议 within 60 days (复议法第二十条) or suit within 6 months
    (行政诉讼法第四十六条). The scope per outcome is ``vocab.REVIEW_FIRST_SCOPE``.
    """
    org = application.org
    review = review_body_name(org) or REVIEW_BODY_MISSING
    court = org.court or "有管辖权的人民法院"
    general = (
        f"可以自收到本告知书之日起六十日内向{review}申请行政复议，"
        f"或者自收到本告知书之日起六个月内向{court}提起行政诉讼。"
    )
    scope = REVIEW_FIRST_SCOPE.get(application.outcome) if on >= REVIEW_FIRST_SINCE else None
    first = (
        f"根据{REVIEW_ACT}第二十三条第一款第四项和第二款的规定，应当先向{review}申请行政复议，"
        f"可以自收到本告知书之日起六十日内提出（{REVIEW_ACT}第二十条）；"
    )
    if scope == REVIEW_FIRST_WHOLE:
        return f"如对本机关不予公开的决定不服，{first}{_after_review()}"
    if scope == REVIEW_FIRST_WITHHELD_PART:
        return f"如对本答复中不予公开的部分不服，{first}{_after_review()}对本答复的其他内容不服的，{general}"
    return f"如对本答复不服，{general}"


def _opening(a: Application) -> str:
    return (
        f"本机关于{d(a.received_on)}收到您提出的政府信息公开申请（申请编号：{a.tracking_code}），"
        f"申请获取“{a.info_title}”。"
    )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _event(a: Application, kind: str) -> Any:
    return a.events.filter(kind=kind).order_by("-date", "-id").first()


# What each 第十四至十六条 ground withholds, in the words of the 条例 (3.x letters and the withheld part of 2).
GROUND_TEXTS: dict[str, str] = {
    "3.1": "依法确定为国家秘密",
    "3.2": "属于法律、行政法规禁止公开的政府信息",
    "3.3": "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    "3.4": "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    "3.5": "属于人事管理、后勤管理、内部工作流程等方面的内部事务信息",
    "3.6": "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息",
    "3.7": "属于行政执法案卷信息",
}


def reply_article(a: Application) -> str:
    """The 条例 article a reply cites: the basis's 第三十六条 item where the outcome has one, else the outcome's."""
    if a.basis and a.basis in REPLY_BASIS_ARTICLES:
        return REPLY_BASIS_ARTICLES[a.basis]
    if a.outcome == Outcome.NOT_HELD and a.imported:
        return ""  # a historical 4.1 without basis: 第四项 or 第五项 is unknown
    if a.outcome == Outcome.THIRD_PARTY and third_party_objected(a):
        return "第十五条、第三十二条"  # 第三方不同意公开且有合理理由的，行政机关不予公开
    return OUTCOME_ARTICLES.get(a.outcome, "")


def third_party_objected(a: Application) -> bool:
    """Did a third party consulted under 第三十二条 answer that it does not agree to disclosure?"""
    if a.pk is None:
        return False
    return a.events.filter(kind="consultation_answered", data__objected=True).exists()


def _sentence(text: str) -> str:
    text = text.strip().rstrip("。；;，,")
    return f"{text}。" if text else ""


# The mandatory blocks of a reply letter (letter_issue refuses a body that lost one): what each is called.
BLOCK_DECISION = "答复决定及其依据条款"
BLOCK_WITHHELD = "不予公开的决定、理由及其依据条款（第十四条、第十五条、第十六条）"
BLOCK_REASONS = "答复要点或理由"
BLOCK_REFERRAL = "负责公开的行政机关的名称和联系方式"
BLOCK_REMEDY = "救济途径（行政复议、行政诉讼）"

# How the information is provided (第四十条: as the applicant asked, where the agency's holdings allow).
_DELIVERY_TEXT = {
    DeliveryMethod.EMAIL: "通过电子邮件发送至您申请时填写的电子邮箱",
    DeliveryMethod.POST: "邮寄至您申请时填写的通信地址",
    DeliveryMethod.PICKUP: "由您到本机关政府信息公开工作机构领取",
    DeliveryMethod.ONLINE: "通过网上申请平台在线提供",
}
_FORM_TEXT = {DeliveryForm.PAPER: "纸质件", DeliveryForm.ELECTRONIC: "电子件"}


def delivery_sentence(a: Application) -> str:
    """Outcomes 1 (第三十六条第二项) and 2: how the information is provided, from the applicant's choice (第四十条)."""
    how = _DELIVERY_TEXT.get(DeliveryMethod(a.delivery_method), "") if a.delivery_method else ""
    form = _FORM_TEXT.get(DeliveryForm(a.delivery_form), "") if a.delivery_form else ""
    if not how:
        return ""
    return (
        f"根据{ACT}第四十条的规定，本机关按照您申请时选择的获取方式和载体形式提供上述政府信息："
        f"{'以' + form + '形式' if form else ''}{how}。"
    )


def _withdrawn_on(a: Application) -> dt.date | None:
    e = _event(a, "withdrawn") if a.pk is not None else None
    return e.date if e else None


def _reasons_decision(a: Application, cite: str) -> str:
    """5.4 (第三十五条): only after asking for reasons; states when, and whether reasons came (services rule)."""
    asked = _event(a, "reasons_requested")
    given = _event(a, "reasons_given")
    head = f"您申请公开政府信息的数量、频次明显超过合理范围，本机关已于{d(asked.date if asked else None)}要求您说明理由，"
    if given is not None and (asked is None or given.date >= asked.date):
        head += f"您于{d(given.date)}说明的理由经审查不合理。"
    else:
        answer_by = _date((asked.data or {}).get("answer_by")) if asked else None
        head += f"您未在{d(answer_by)}前说明理由。"
    return f"{head}{cite}本机关不予处理。"


def reply_blocks(a: Application) -> list[tuple[str, str]]:
    """The reply letter's paragraphs as (mandatory block name or "", text), in order (第三十六条 and 第三十七条).

    ``letter_issue`` regenerates the named blocks and refuses a body that does not contain each verbatim: the
    decision with its article, the reasons (with their 第十四至十六条 article for 2 and 3.x), the referral of a
    第三十六条第五项 reply, and the remedy paragraph.
    """
    from .services import REPLY_REQUIREMENTS

    o = a.outcome
    art = reply_article(a)
    cite = f"根据{ACT}{art}的规定，" if art else ""
    summary = a.reply_summary.strip()
    correction = _event(a, "correction_requested")
    corrected = _event(a, "correction_received")
    fee = a.fee_notices.order_by("-sent_on").first()
    after: list[tuple[str, str]] = []  # paragraphs after the reasons (summary)
    label = BLOCK_DECISION
    withdrawn = _withdrawn_on(a) if o == Outcome.OTHER else None
    if o == Outcome.DISCLOSED and a.basis == ReplyBasis.PUBLISHED:
        decision = (
            f"经审查，您申请获取的政府信息已经主动公开。{cite}现告知您获取该政府信息的方式、途径："
            f"{_sentence(a.access_route) or '____。'}"
        )
    elif o == Outcome.NOT_HELD and a.basis == ReplyBasis.NOT_OURS:
        decision = f"经审查，您申请公开的信息不属于本机关负责公开的政府信息。{cite}现告知如下，理由如下："
        if a.referral_name.strip():
            after.append(
                (
                    BLOCK_REFERRAL,
                    f"负责公开该政府信息的行政机关为{a.referral_name.strip()}，"
                    f"联系方式：{_sentence(a.referral_contact) or '____。'}您可以向该机关提出申请。",
                )
            )
    elif o == Outcome.NOT_HELD and not a.basis:
        decision = "经审查，本机关不掌握您申请获取的政府信息。"
    elif o == Outcome.PARTIAL:
        grounds = [g for g in WITHHOLDING_GROUNDS if g in (a.withheld_grounds or [])]
        withheld = "".join(
            f"其中{GROUND_TEXTS[g]}的内容，根据{ACT}{WITHHOLDING_GROUNDS[g]}的规定不予公开。" for g in grounds
        )
        decision = (
            f"经审查，您申请获取的信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。"
            f"{cite}本机关向您提供可以公开的部分，对不予公开的部分说明理由如下：{withheld}"
        )
        label = BLOCK_WITHHELD
    elif o in GROUND_TEXTS:
        decision = f"经审查，您申请获取的政府信息{GROUND_TEXTS[o]}。{cite}不予公开。理由如下："
        label = BLOCK_WITHHELD
    elif o == Outcome.EXCESSIVE:
        decision = _reasons_decision(a, cite)
    elif o == Outcome.OTHER and withdrawn is not None:
        decision = f"您已于{d(withdrawn)}撤回申请，本机关终止办理。"
    else:
        texts: dict[str, str] = {
            "1": f"经审查，您申请获取的政府信息属于公开范围。{cite}现向您提供该政府信息。",
            "3.8": f"经审查，您申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有"
            f"特别规定。{cite}请您依照有关法律、行政法规的规定办理，办理途径："
            f"{_sentence(a.other_procedure) or '____。'}",
            "4.1": f"经检索查找，本机关未制作或者获取您申请的政府信息。{cite}告知您该政府信息不存在。",
            "4.2": f"经审查，您申请获取的信息需要本机关对现有政府信息进行加工、分析方能形成，"
            f"根据{ACT}第三十八条的规定，本机关不予提供。",
            "4.3": f"本机关已于{d(correction.date if correction else None)}依照{ACT}第三十条的规定告知您补正申请，"
            f"并于{d(corrected.date if corrected else None)}收到您补正后的申请；补正后申请内容仍不明确，"
            "本机关无法确定您所需的政府信息，无法提供。",
            "5.1": f"经审查，您的申请属于以政府信息公开申请的形式进行信访、投诉、举报等活动。{cite}"
            "本机关不作为政府信息公开申请处理，您可以通过相应渠道向有关机关提出。",
            "5.2": f"经审查，您的申请与本机关已经答复的申请内容相同。{cite}本机关不予重复处理。",
            "5.3": f"经审查，您申请获取的是政府公报、报刊、书籍等公开出版物。{cite}请您通过相应的出版发行渠道获取。",
            "5.5": "经审查，您的申请要求本机关确认或者重新出具您已获取的信息，不属于政府信息公开申请的处理范围，"
            "本机关不予处理。",
            "6.1": f"本机关已于{d(correction.date if correction else None)}向您发出补正通知，您无正当理由逾期未补正。"
            f"{cite}视为您放弃申请，本机关不再处理您的该政府信息公开申请。",
            "6.2": f"本机关已于{d(fee.sent_on if fee else None)}向您发出收费通知，您于"
            f"{d(fee.received_on if fee else None)}收到，缴费期限至{d(fee.due_on if fee else None)}届满，"
            f"您逾期未按收费通知要求缴纳费用。根据{ACT}第四十二条和《政府信息公开信息处理费管理办法》"
            "（国办函〔2020〕109号）的规定，本机关不再处理您的该政府信息公开申请。",
            "6.3": "本机关对您的申请作如下处理：",
        }
        decision = texts.get(o, "")
    blocks: list[tuple[str, str]] = [("", _opening(a)), (label, decision)]
    if o == Outcome.PARTIAL or (o == Outcome.DISCLOSED and a.basis != ReplyBasis.PUBLISHED):
        blocks.append(("", delivery_sentence(a)))
    needs_reasons = (
        not a.imported
        and withdrawn is None
        and any(field == "reply_summary" for field, _, _ in REPLY_REQUIREMENTS.get((o, a.basis), ()))
    )
    if summary:
        blocks.append((BLOCK_REASONS if needs_reasons else "", summary))
    blocks += after
    blocks.append((BLOCK_REMEDY, remedy_paragraph(a, on=a.closed_on or timezone.localdate())))
    blocks.append(("", "特此告知。"))
    return [(name, text) for name, text in blocks if text]


def _reply_body(a: Application) -> list[str]:
    return [text for _, text in reply_blocks(a)]


def missing_blocks(letter: Letter) -> list[str]:
    """The mandatory blocks of a reply letter that its (edited) body no longer holds verbatim."""
    body = letter.body
    return [name for name, text in reply_blocks(letter.application) if name and text not in body]


# The phrase each reply letter turns on (the README table quotes it; a test finds it in the drafted letter).
REPLY_GIST: dict[tuple[str, str], str] = {
    ("1", "36.2"): "现向您提供该政府信息",
    ("1", "36.1"): "现告知您获取该政府信息的方式、途径",
    ("2", ""): "本机关向您提供可以公开的部分，对不予公开的部分说明理由如下",
    **{(code, ""): "不予公开。理由如下" for code in GROUND_TEXTS},
    ("3.8", ""): "请您依照有关法律、行政法规的规定办理，办理途径",
    ("4.1", "36.4"): "告知您该政府信息不存在",
    ("4.1", "36.5"): "不属于本机关负责公开的政府信息",
    ("4.2", ""): "本机关不予提供",
    ("4.3", ""): "补正后申请内容仍不明确",
    ("5.1", ""): "本机关不作为政府信息公开申请处理",
    ("5.2", ""): "本机关不予重复处理",
    ("5.3", ""): "请您通过相应的出版发行渠道获取",
    ("5.4", ""): "本机关不予处理",
    ("5.5", ""): "不属于政府信息公开申请的处理范围",
    ("6.1", ""): "视为您放弃申请",
    ("6.2", ""): "您逾期未按收费通知要求缴纳费用",
    ("6.3", ""): "本机关对您的申请作如下处理",
}

# Conditions of a reply besides its fields (services.reply_requirements), for the README table.
REPLY_CONDITIONS: dict[str, tuple[str, ...]] = {
    "5.4": ("已要求说明理由（要求说明理由通知书），且申请人说明的理由不合理或者逾期未说明",),
    "6.3": ("撤回申请的除外（告知书写明撤回日期和终止办理）",),
}

REMEDY_LABELS = {
    REVIEW_FIRST_WHOLE: "复议前置（行政复议法第二十三条第一款第四项）",
    REVIEW_FIRST_WITHHELD_PART: "不予公开部分复议前置；其余内容复议（六十日）或者诉讼（六个月）",
    "": "复议（六十日）或者诉讼（六个月）",
}


def outcome_table() -> str:
    """The README table "Outcomes, letters and remedies", generated from this module's and vocab's data."""
    from .services import REPLY_REQUIRED_FIELDS

    rows = [
        "| 表三 row | outcome | 第三十六条 item (basis) | 条例 article cited | the reply letter says | "
        "required to reply | remedy paragraph (from 2024-01-01) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for (code, basis), gist in REPLY_GIST.items():
        article = REPLY_BASIS_ARTICLES[basis] if basis else OUTCOME_ARTICLES[code]
        if code == "2":
            article += "; withheld part: 第十四条/第十五条/第十六条 per ground"
        if code == "3.4":
            article += "; 第十五条、第三十二条 when a consulted third party objected"
        basis_label = ReplyBasis(basis).label if basis else ""
        required = (
            "、".join([*REPLY_REQUIRED_FIELDS.get((code, basis), ()), *REPLY_CONDITIONS.get(code, ())]) or "—"
        )
        rows.append(
            f"| {code} | {Outcome(code).label} | {basis_label} | {article or '—'} | 「{gist}」 | {required} | "
            f"{REMEDY_LABELS[REVIEW_FIRST_SCOPE.get(code, '')]} |"
        )
    return "\n".join(rows)


def _other_agency_draft(
    a: Application, context: dict[str, Any], contact: str
) -> tuple[str, list[str], str, dt.date]:
    """第三十三条第三款 only says the time needed is not counted: no period, no deemed consent."""
    e = _event(a, "consultation_sent")
    party = context.get("party") or (e.data.get("party", "") if e else "")
    body = [
        f"本机关于{d(a.received_on)}收到关于公开“{a.info_title}”的政府信息公开申请。为依法作出答复，"
        "现就该申请征求贵机关意见。",
        f"请贵机关自收到本函之日起15个工作日内提出意见。征求意见所需时间不计算在答复期限内（{ACT}第三十三条第三款）。",
        f"联系方式：{contact}。",
    ]
    return f"{party}：", body, "政府信息公开征求意见函（其他机关）", e.date if e else timezone.localdate()


def _disclosure_draft(
    a: Application, context: dict[str, Any], contact: str
) -> tuple[str, list[str], str, dt.date]:
    """第三十二条: public interest overrides a third party's objection; tell it the content and the reasons."""
    party = str(context.get("party", "")).strip()
    sent = a.events.filter(kind="consultation_sent", data__party=party).order_by("-date", "-id").first()
    if sent is None or (sent.data or {}).get("consulted", "third_party") != "third_party":
        raise ValidationError({"party": f"本申请没有按第三十二条向「{party}」书面征求意见。"})
    content, reasons = str(context.get("content", "")).strip(), str(context.get("reasons", "")).strip()
    if not content or not reasons:
        raise ValidationError("决定公开告知书须写明决定公开的政府信息内容和理由（第三十二条）。")
    answer = a.events.filter(kind="consultation_answered", data__party=party, date__gte=sent.date).first()
    body = [
        f"本机关于{d(sent.date)}就关于公开“{a.info_title}”的政府信息公开申请书面征求贵方意见"
        + (f"，并于{d(answer.date)}收到贵方意见" if answer else "")
        + "。",
        f"根据{ACT}第三十二条的规定，本机关认为不公开可能对公共利益造成重大影响，决定予以公开。"
        "现将决定公开的政府信息内容和理由书面告知如下：",
        f"决定公开的政府信息内容：{_sentence(content)}",
        f"理由：{_sentence(reasons)}",
        f"联系方式：{contact}。",
        "特此告知。",
    ]
    return f"{party}：", body, "决定公开政府信息告知书（第三方）", timezone.localdate()


def _reasons_request_draft(
    a: Application, context: dict[str, Any], contact: str
) -> tuple[str, list[str], str, dt.date]:
    """第三十五条: ask the applicant for reasons by a stated day."""
    e = _event(a, "reasons_requested")
    if e is None:
        raise ValidationError("本申请没有要求申请人说明理由的记录。")
    body = [
        _opening(a),
        f"经审查，您申请公开政府信息的数量、频次明显超过合理范围。根据{ACT}第三十五条的规定，"
        f"请您于{d(_date((e.data or {}).get('answer_by')))}（含当日）前向本机关说明申请理由。",
        "本机关认为申请理由不合理的，将告知您不予处理；认为申请理由合理，但是无法在规定期限内答复的，"
        "将确定延迟答复的合理期限并告知您。",
        f"联系方式：{contact}。",
        "特此通知。",
    ]
    return f"{a.applicant_name}：", body, "政府信息公开申请要求说明理由通知书", e.date


EXTRA_DRAFTS: dict[str, Any] = {
    LetterKind.OTHER_AGENCY_CONSULTATION: _other_agency_draft,
    LetterKind.DISCLOSURE_DECISION: _disclosure_draft,
    LetterKind.REASONS_REQUEST: _reasons_request_draft,
}


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
            f"经审查，您的申请内容不够明确。根据{ACT}第三十条的规定，请您于{d(until)}（含当日）前对以下事项作出补正：",
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
        e = _event(a, "consultation_sent")
        party = context.get("party") or (e.data.get("party", "") if e else "")
        recipient = f"{party}："
        body = [
            f"本机关于{d(a.received_on)}收到关于公开“{a.info_title}”的政府信息公开申请。该政府信息由本机关与贵机关"
            f"共同制作，本机关为牵头制作机关。根据{ACT}第三十四条的规定，现征求贵机关意见。",
            "请贵机关自收到本函之日起15个工作日内提出意见；逾期未提出意见的，视为同意公开。",
            f"联系方式：{contact or org.name}。",
        ]
        title, date = "政府信息公开征求意见函（共同制作机关）", e.date if e else timezone.localdate()
    elif kind in EXTRA_DRAFTS:
        recipient, body, title, date = EXTRA_DRAFTS[kind](a, context, contact or org.name)
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


FEE_PAUSE_SENTENCE = "自本通知发出之日至您缴纳费用之日，不计入答复期限；"
DEFAULT_FEE_PAYMENT_METHOD = "缴纳方式请与本机关联系（见下方联系方式）"


def fee_notice_states_pause() -> bool:
    """``GONGKAI_FEE_NOTICE_STATES_PAUSE`` (default False): print 「自本通知发出之日至您缴纳费用之日，不计入答复期限」
    in the 收费通知书. Off until the source of the rule is recorded (109号's wording was not found)."""
    return bool(getattr(settings, "GONGKAI_FEE_NOTICE_STATES_PAUSE", False))


def fee_payment_method() -> str:
    """``GONGKAI_FEE_PAYMENT_METHOD``: the 缴纳方式 printed in the 收费通知书 (四川 restatement: 「说明……缴纳方式」)."""
    return str(getattr(settings, "GONGKAI_FEE_PAYMENT_METHOD", "") or DEFAULT_FEE_PAYMENT_METHOD)


def _fee_method_line(notice: Any) -> str:
    label = str(FeeMethod(notice.method).label)
    computation = notice.computation.strip()
    if computation.startswith(label):
        return f"计收方式：{computation}"
    return f"计收方式：{label}。{computation}"


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
    if letter.kind == LetterKind.REPLY:
        from .services import reply_requirements

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
