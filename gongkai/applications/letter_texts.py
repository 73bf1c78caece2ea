"""The letters' shared wording (the 条例's name, dates, the opening sentence) and the texts of the letters
other than the reply: the 第三十三条第三款 consultation, the 决定公开告知书, the 要求说明理由通知书, and the
收费通知书's settings. Drafting lives in ``letters``, the 答复告知书 in ``reply_letter``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.workdays.explain import fmt_date

from .models import Application
from .vocab import FeeMethod, LetterKind

ACT = "《中华人民共和国政府信息公开条例》"


def d(day: dt.date | None) -> str:
    return fmt_date(day, weekday=False) if day else "____年__月__日"


def opening(a: Application) -> str:
    return (
        f"本机关于{d(a.received_on)}收到您提出的政府信息公开申请（申请编号：{a.tracking_code}），"
        f"申请获取“{a.info_title}”。"
    )


def iso_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def last_event(a: Application, kind: str) -> Any:
    return a.events.filter(kind=kind).order_by("-date", "-id").first()


def sentence(text: str) -> str:
    text = text.strip().rstrip("。；;，,")
    return f"{text}。" if text else ""


def _other_agency_draft(
    a: Application, context: dict[str, Any], contact: str
) -> tuple[str, list[str], str, dt.date]:
    """第三十三条第三款 only says the time needed is not counted: no period, no deemed consent."""
    e = last_event(a, "consultation_sent")
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
        f"决定公开的政府信息内容：{sentence(content)}",
        f"理由：{sentence(reasons)}",
        f"联系方式：{contact}。",
        "特此告知。",
    ]
    return f"{party}：", body, "决定公开政府信息告知书（第三方）", timezone.localdate()


def _reasons_request_draft(
    a: Application, context: dict[str, Any], contact: str
) -> tuple[str, list[str], str, dt.date]:
    """第三十五条: ask the applicant for reasons by a stated day."""
    e = last_event(a, "reasons_requested")
    if e is None:
        raise ValidationError("本申请没有要求申请人说明理由的记录。")
    body = [
        opening(a),
        f"经审查，您申请公开政府信息的数量、频次明显超过合理范围。根据{ACT}第三十五条的规定，"
        f"请您于{d(iso_date((e.data or {}).get('answer_by')))}（含当日）前向本机关说明申请理由。",
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

FEE_PAUSE_SENTENCE = "自本通知发出之日至您缴纳费用之日，不计入答复期限；"

DEFAULT_FEE_PAYMENT_METHOD = "缴纳方式请与本机关联系（见下方联系方式）"


def fee_notice_states_pause() -> bool:
    """``GONGKAI_FEE_NOTICE_STATES_PAUSE`` (default False): print 「自本通知发出之日至您缴纳费用之日，不计入答复期限」
    in the 收费通知书. Off until the source of the rule is recorded (109号's wording was not found)."""
    return bool(getattr(settings, "GONGKAI_FEE_NOTICE_STATES_PAUSE", False))


def fee_payment_method() -> str:
    """``GONGKAI_FEE_PAYMENT_METHOD``: the 缴纳方式 printed in the 收费通知书 (四川 restatement: 「说明……缴纳方式」)."""
    return str(getattr(settings, "GONGKAI_FEE_PAYMENT_METHOD", "") or DEFAULT_FEE_PAYMENT_METHOD)


def fee_method_line(notice: Any) -> str:
    label = str(FeeMethod(notice.method).label)
    computation = notice.computation.strip()
    if computation.startswith(label):
        return f"计收方式：{computation}"
    return f"计收方式：{label}。{computation}"
