"""The vocabularies of 依申请公开: applicant types, outcomes (表三 rows), channels, remedies — defined once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from gongkai.applications.receipt import (
    Channel,  # the 第三十一条 channels live in receipt.py with their rule; never re-spelled here
)

__all__ = [
    "ApplicantType",
    "Channel",
    "DeliveryForm",
    "DeliveryMethod",
    "FeeMethod",
    "IdType",
    "LetterKind",
    "Outcome",
    "OUTCOME_ARTICLES",
    "OUTCOME_GROUPS",
    "REPLY_BASIS_ARTICLES",
    "REPLY_BASIS_OUTCOMES",
    "REVIEW_FIRST_SCOPE",
    "RemedyKind",
    "RemedyResult",
    "ReplyBasis",
    "WITHHOLDING_GROUNDS",
    "WITHHOLDING_OUTCOMES",
]


class ApplicantType(models.TextChoices):
    """申请人情况 — the 表三 data columns, in table order (总计 is derived)."""

    NATURAL_PERSON = "natural", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_WELFARE = "public_welfare", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER = "other", "其他"


class Outcome(models.TextChoices):
    """本年度办理结果 — one code per leaf row of the 2021 表三 (国办公开办函〔2021〕30号).

    The value is the row numbering, the label the exact leaf label without numbering. The 2019
    format (60号) collapses 6.1–6.3 into （六）其他处理; that mapping lives in reports/definitions.
    """

    DISCLOSED = "1", "予以公开"
    PARTIAL = "2", "部分公开（区分处理的，只计这一情形，不计其他情形）"
    STATE_SECRET = "3.1", "属于国家秘密"
    PROHIBITED_BY_LAW = "3.2", "其他法律行政法规禁止公开"
    SECURITY_STABILITY = "3.3", "危及“三安全一稳定”"
    THIRD_PARTY = "3.4", "保护第三方合法权益"
    INTERNAL_AFFAIRS = "3.5", "属于三类内部事务信息"
    PROCESS_INFO = "3.6", "属于四类过程性信息"
    ENFORCEMENT_FILE = "3.7", "属于行政执法案卷"
    ADMIN_QUERY = "3.8", "属于行政查询事项"
    NOT_HELD = "4.1", "本机关不掌握相关政府信息"
    NEEDS_CREATION = "4.2", "没有现成信息需要另行制作"
    STILL_UNCLEAR = "4.3", "补正后申请内容仍不明确"
    PETITION = "5.1", "信访举报投诉类申请"
    REPEATED = "5.2", "重复申请"
    PUBLICATION = "5.3", "要求提供公开出版物"
    EXCESSIVE = "5.4", "无正当理由大量反复申请"
    CONFIRMATION = "5.5", "要求行政机关确认或重新出具已获取信息"
    NO_CORRECTION = "6.1", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    FEE_UNPAID = "6.2", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    OTHER = "6.3", "其他"


# The 表三 group headings each outcome sits under (exact labels, for display and the ledger).
OUTCOME_GROUPS: dict[str, str] = {
    "1": "（一）予以公开",
    "2": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "3": "（三）不予公开",
    "4": "（四）无法提供",
    "5": "（五）不予处理",
    "6": "（六）其他处理",
}


def outcome_display(code: str) -> str:
    """An outcome as staff and applicants read it: 「部分公开」, 「不予公开：属于国家秘密」 — the 表三 wording without
    its row number or its counting note (those stay in the report and the ledger, ``Outcome.label``)."""
    if not code:
        return ""
    group = OUTCOME_GROUPS[code.split(".")[0]]
    name = group.split("）", 1)[1].split("（", 1)[0]  # 「（二）部分公开（区分处理的…）」 → 「部分公开」
    return name if "." not in code else f"{name}：{Outcome(code).label}"


def outcome_choices(codes: Iterable[str]) -> list[Any]:
    """<select> choices for ``codes``: 予以公开 and 部分公开 on their own, the others under their 表三 group."""
    out: list[Any] = []
    groups: dict[str, list[tuple[str, str]]] = {}
    for code in codes:
        if "." not in code:
            out.append((code, outcome_display(code)))
            continue
        group = outcome_display(code).split("：", 1)[0]
        if group not in groups:
            groups[group] = []
            out.append((group, groups[group]))
        groups[group].append((code, Outcome(code).label))
    return out


# 条例 basis of each outcome (statutory-rules §2.4) — cited in the 答复告知书. Running-text citation style:
# 「第三十六条第二项」, not 「第三十六条第（二）项」 (legal-basis.md §6). Outcomes 1 and 4.1 each cover two
# 第三十六条 items: the reply's ``basis`` says which (REPLY_BASIS_ARTICLES), and its article replaces this one.
OUTCOME_ARTICLES: dict[str, str] = {
    "1": "第三十六条第二项",
    "2": "第三十七条",
    "3.1": "第十四条",
    "3.2": "第十四条",
    "3.3": "第十四条",
    "3.4": "第十五条",  # + 第三十二条 when a consulted third party objected (reply_letter.reply_article)
    "3.5": "第十六条第一款",
    "3.6": "第十六条第二款",
    "3.7": "第十六条第二款",
    "3.8": "第三十六条第七项",
    "4.1": "第三十六条第四项",
    "4.2": "第三十八条",
    "4.3": "第三十条",
    "5.1": "第三十九条第一款",
    "5.2": "第三十六条第六项",
    "5.3": "第三十九条第二款",
    "5.4": "第三十五条",
    "5.5": "",
    "6.1": "第三十条",
    "6.2": "第四十二条",
    "6.3": "",
}


class ReplyBasis(models.TextChoices):
    """Which 第三十六条 item a reply rests on, where one 表三 row covers two items (the row stays the outcome).

    （一）予以公开: 第一项 (already published: tell how to obtain it) or 第二项 (provide it; the default).
    （四）1 本机关不掌握相关政府信息: 第四项 (does not exist) or 第五项 (not this agency's: reasons, and the
    responsible agency's name and contact where it can be determined). Required with outcome 4.1.
    """

    PUBLISHED = "36.1", "已经主动公开（第三十六条第一项）"
    PROVIDED = "36.2", "可以公开，向申请人提供（第三十六条第二项）"
    NOT_EXIST = "36.4", "经检索没有所申请公开信息，该政府信息不存在（第三十六条第四项）"
    NOT_OURS = "36.5", "不属于本机关负责公开（第三十六条第五项）"


REPLY_BASIS_OUTCOMES: dict[str, frozenset[str]] = {
    "1": frozenset({ReplyBasis.PUBLISHED, ReplyBasis.PROVIDED}),
    "4.1": frozenset({ReplyBasis.NOT_EXIST, ReplyBasis.NOT_OURS}),
}
REPLY_BASIS_ARTICLES: dict[str, str] = {
    "36.1": "第三十六条第一项",
    "36.2": "第三十六条第二项",
    "36.4": "第三十六条第四项",
    "36.5": "第三十六条第五项",
}

# The 第十四至十六条 grounds (表三（三）1–7) on which information is withheld: the outcome itself for 3.1–3.7,
# and the ``withheld_grounds`` of a 部分公开 reply for its withheld part (第三十七条 对不予公开的内容说明理由).
WITHHOLDING_GROUNDS: dict[str, str] = {
    "3.1": "第十四条",
    "3.2": "第十四条",
    "3.3": "第十四条",
    "3.4": "第十五条",
    "3.5": "第十六条第一款",
    "3.6": "第十六条第二款",
    "3.7": "第十六条第二款",
}

# 复议前置 since 2024-01-01 (行政复议法第二十三条第一款第四项 "申请政府信息公开，行政机关不予公开", and 第二款:
# tell the applicant when deciding). "whole": the decision is a 不予公开 (3.1–3.7). "withheld_part": a 部分公开
# (第三十七条 区分处理) is a 不予公开 decision for its withheld part only; the disclosed rest keeps the general
# remedy. 3.8 (第三十六条第七项) is not here: it tells the applicant to use the procedure another law or
# administrative regulation provides, it is not a 第十四至十六条 refusal (legal-basis.md §1.3 marks the point
# unverified; README "Outcomes, letters and remedies").
REVIEW_FIRST_WHOLE = "whole"
REVIEW_FIRST_WITHHELD_PART = "withheld_part"
REVIEW_FIRST_SCOPE: dict[str, str] = {
    "2": REVIEW_FIRST_WITHHELD_PART,
    **{code: REVIEW_FIRST_WHOLE for code in WITHHOLDING_GROUNDS},
}
# Replies that withhold something (所有不予公开 and 部分公开): issuing needs the reasons and the 第十四至十六条
# article (第三十六条第三项, 第三十七条 说明理由; services.REPLY_REQUIREMENTS).
WITHHOLDING_OUTCOMES = frozenset(REVIEW_FIRST_SCOPE)


class IdType(models.TextChoices):
    """证件类型 (《条例》第二十九条: 身份证明)."""

    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    CREDIT_CODE = "credit_code", "统一社会信用代码证书"
    OTHER = "other", "其他证件"


class DeliveryForm(models.TextChoices):
    """政府信息的载体形式 (第二十九条第二款第三项)."""

    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"


class DeliveryMethod(models.TextChoices):
    """获取信息的方式 (第二十九条第二款第三项)."""

    POST = "post", "邮寄"
    PICKUP = "pickup", "自取"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "在线"


class FeeMethod(models.TextChoices):
    """信息处理费的计收方式 (国办函〔2020〕109号第三条)."""

    PER_APPLICATION = "per_application", "按件计收"
    PER_PAGE = "per_page", "按量计收"


class LetterKind(models.TextChoices):
    CORRECTION = "correction", "补正告知书"
    EXTENSION = "extension", "延期答复告知书"
    CONSULTATION = "consultation", "第三方意见征询函"  # 第三十二条
    AGENCY_CONSULTATION = "agency_consultation", "共同制作机关意见征询函"  # 第三十四条
    OTHER_AGENCY_CONSULTATION = "other_agency", "其他机关意见征询函"  # 第三十三条第三款
    DISCLOSURE_DECISION = "disclosure_decision", "决定公开告知书（第三方）"  # 第三十二条
    REASONS_REQUEST = "reasons_request", "要求说明理由通知书"  # 第三十五条
    FEE_NOTICE = "fee_notice", "收费通知书"
    DELAY = "delay", "延迟答复告知书"  # 第三十五条
    REPLY = "reply", "答复告知书"


# The letters addressed to the applicant (the others go to a consulted party): what the status page may offer.
APPLICANT_LETTER_KINDS = frozenset(
    {
        LetterKind.CORRECTION,
        LetterKind.EXTENSION,
        LetterKind.REASONS_REQUEST,
        LetterKind.FEE_NOTICE,
        LetterKind.DELAY,
        LetterKind.REPLY,
    }
)


class ServiceMethod(models.TextChoices):
    """文书的送达方式 (proof of delivery of an issued letter)."""

    IN_PERSON = "in_person", "当面送达"
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"
    PLATFORM = "platform", "平台"


class RemedyKind(models.TextChoices):
    """表四 groups."""

    REVIEW = "review", "行政复议"
    SUIT_DIRECT = "suit_direct", "未经复议直接起诉"
    SUIT_AFTER_REVIEW = "suit_after_review", "复议后起诉"


class RemedyResult(models.TextChoices):
    """表四 result columns (总计 is derived)."""

    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"
