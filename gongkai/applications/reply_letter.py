"""The 答复告知书: its mandatory blocks per outcome and basis (第三十六条), the remedy paragraph (复议前置,
诉讼), the checks at issue (``missing_blocks``), and the README outcome table."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.orgs.review_bodies import review_body_name

from .letter_texts import ACT, d
from .letter_texts import iso_date as _date
from .letter_texts import last_event as _event
from .letter_texts import opening as _opening
from .letter_texts import sentence as _sentence
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
    Outcome,
    ReplyBasis,
)

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
    from .services.replies import REPLY_REQUIREMENTS

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


def reply_body(a: Application) -> list[str]:
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

# Conditions of a reply besides its fields (services.replies.reply_requirements), for the README table.
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
    from .services.replies import REPLY_REQUIRED_FIELDS

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
