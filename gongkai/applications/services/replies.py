"""The reply (第三十六条): the outcomes a reply may carry, what each needs, and the reply step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from gongkai.applications.clocks import EventKind as ClockKind
from gongkai.core.actors import Actor
from gongkai.core.workflow import Move
from gongkai.orgs.models import Organisation

from ..models import Application
from ..states import Step
from ..vocab import REPLY_BASIS_OUTCOMES, WITHHOLDING_GROUNDS, Outcome, ReplyBasis
from .machine import take
from .steps import reasons_requirement

# Outcomes a reply may carry: 6.1/6.2 come only from the 补正/fee paths, 6.3 from withdrawal or closing otherwise.
REPLY_OUTCOMES = frozenset(Outcome.values) - {Outcome.NO_CORRECTION, Outcome.FEE_UNPAID}

_REASONS = "答复要点或理由"

_WITHHELD_REASONS_ERROR = "部分公开、不予公开的答复须写明不予公开的理由（《中华人民共和国政府信息公开条例》第三十六条第三项、第三十七条）。"

# What a reply needs besides its outcome, per (outcome, basis): field, its label, the error when it is empty.
# Imported historical rows are exempt (ledger). The README table lists the labels (reply_letter.outcome_table).
REPLY_REQUIREMENTS: dict[tuple[str, str], tuple[tuple[str, str, str], ...]] = {
    ("1", ReplyBasis.PUBLISHED): (
        (
            "access_route",
            "获取方式、途径",
            "已经主动公开的，须写明获取该政府信息的方式、途径，如网址或者查阅场所（第三十六条第一项）。",
        ),
    ),
    ("2", ""): (
        ("reply_summary", _REASONS, _WITHHELD_REASONS_ERROR),
        (
            "withheld_grounds",
            "不予公开部分的理由类别",
            "部分公开须选择不予公开部分所依据的情形（第十四条、第十五条或者第十六条）。",
        ),
    ),
    **{(code, ""): (("reply_summary", _REASONS, _WITHHELD_REASONS_ERROR),) for code in WITHHOLDING_GROUNDS},
    ("3.8", ""): (
        (
            "other_procedure",
            "其他法定查询途径",
            "属于行政查询事项的，须写明应当依照办理的法律、行政法规规定的途径及办理机关（第三十六条第七项）。",
        ),
    ),
    ("4.1", ReplyBasis.NOT_OURS): (
        ("reply_summary", _REASONS, "不属于本机关负责公开的，须说明理由（第三十六条第五项）。"),
    ),
    # A withdrawal (application_withdraw) needs none: its letter states the withdrawal (reply_letter.reply_body).
    ("6.3", ""): (
        ("reply_summary", _REASONS, "「其他」处理的答复须写明本机关对申请作出的处理（答复要点或理由）。"),
    ),
}

REPLY_REQUIRED_FIELDS = {
    key: tuple(label for _, label, _ in reqs) for key, reqs in REPLY_REQUIREMENTS.items()
}

# The reply fields each (outcome, basis) uses; the others are left blank.
_REPLY_FIELDS: dict[tuple[str, str], frozenset[str]] = {
    ("1", ReplyBasis.PUBLISHED): frozenset({"access_route"}),
    ("2", ""): frozenset({"withheld_grounds"}),
    ("3.8", ""): frozenset({"other_procedure"}),
    ("4.1", ReplyBasis.NOT_OURS): frozenset({"referral_org", "referral_name", "referral_contact"}),
}


def reply_requirements(application: Application) -> dict[str, str]:
    """What is missing for ``application``'s reply to be issued ({field: Chinese message}); {} when complete.

    4.1 needs its basis (第三十六条第四项 or 第五项); 部分公开 and every 不予公开 need the reasons, and 部分公开 the
    第十四至十六条 grounds of its withheld part; 已主动公开 needs the way to obtain it; 3.8 the other procedure;
    a 第五项 referral its reasons and, where the responsible agency is named, its contact. Imported historical
    rows (``imported``) need none of these (the ledger has no such columns).
    """
    a = application
    errors: dict[str, str] = {}
    allowed = REPLY_BASIS_OUTCOMES.get(a.outcome)
    if a.basis and (allowed is None or a.basis not in allowed):
        errors["basis"] = f"答复依据「{ReplyBasis(a.basis).label}」不适用于办理结果「{a.outcome_label}」。"
    elif a.outcome == Outcome.NOT_HELD and not a.basis and not a.imported:
        errors["basis"] = (
            "「本机关不掌握相关政府信息」须选择答复依据：该政府信息不存在（第三十六条第四项），"
            "或者不属于本机关负责公开（第三十六条第五项）。"
        )
    if a.imported:
        return errors
    if a.outcome == Outcome.EXCESSIVE and (problem := reasons_requirement(a, a.closed_on)):
        errors["outcome"] = problem
    withdrawn = (
        a.outcome == Outcome.OTHER and a.pk is not None and a.events.filter(kind=Step.WITHDRAWN).exists()
    )
    for field, _label, message in () if withdrawn else REPLY_REQUIREMENTS.get((a.outcome, a.basis), ()):
        value = getattr(a, field)
        if not (value.strip() if isinstance(value, str) else value):
            errors.setdefault("summary" if field == "reply_summary" else field, message)  # the parameter name
    unknown = [g for g in a.withheld_grounds or [] if g not in WITHHOLDING_GROUNDS]
    if unknown:
        errors["withheld_grounds"] = f"不予公开部分的理由类别「{'、'.join(map(str, unknown))}」无法识别。"
    if a.referral_name.strip() and not a.referral_contact.strip():
        errors["referral_contact"] = "已写明负责公开的行政机关的，须同时写明其联系方式（第三十六条第五项）。"
    if a.referral_contact.strip() and not a.referral_name.strip():
        errors["referral_name"] = "请写明负责公开该政府信息的行政机关的名称。"
    return errors


def org_contact(org: Organisation) -> str:
    """An organisation's 联系方式 as printed in a referral (第三十六条第五项)."""
    parts = [
        org.office_name,
        f"电话：{org.phone}" if org.phone else "",
        f"地址：{org.address}" if org.address else "",
        f"电子邮箱：{org.email}" if org.email else "",
    ]
    return "，".join(p for p in parts if p)


def application_reply(
    *,
    actor: Actor,
    application: Application,
    outcome: Outcome | str,
    summary: str = "",
    date: dt.date | None = None,
    basis: ReplyBasis | str = "",
    withheld_grounds: Iterable[str] = (),
    access_route: str = "",
    other_procedure: str = "",
    referral_org: Organisation | None = None,
    referral_name: str = "",
    referral_contact: str = "",
) -> Application:
    """Reply with exactly one outcome — one 表三 row (第三十六条). 区分处理 is recorded only as 部分公开 (第三十七条).

    ``basis`` says which 第三十六条 item an outcome 1 or 4.1 rests on (required for 4.1); the other fields are
    what that reply's letter must state (``reply_requirements``; fields the outcome does not use are dropped).
    A responsible agency picked in the deployment (``referral_org``) fills the name and contact left blank.
    Drafts the 答复告知书 for the outcome; 6.1/6.2 are reached through 补正/收费, not here.
    """
    result: Application = take(
        application, "reply", actor=actor, outcome=outcome, summary=summary, date=date, basis=basis,
        withheld_grounds=withheld_grounds, access_route=access_route, other_procedure=other_procedure,
        referral_org=referral_org, referral_name=referral_name, referral_contact=referral_contact,
    )  # fmt: skip
    return result


def reply_step(move: Move) -> None:
    application, p, date = move.obj, move.params, move.params["date"]
    outcome = p["outcome"]
    try:
        outcome = Outcome(outcome)
    except ValueError:
        raise ValidationError({"outcome": f"办理结果「{outcome}」无法识别。"}) from None
    if outcome not in REPLY_OUTCOMES:
        raise ValidationError({"outcome": f"「{outcome.label}」由补正或收费程序确定，不能直接答复。"})
    if (
        outcome == Outcome.STILL_UNCLEAR
        and not application.events.filter(kind=ClockKind.CORRECTION_RECEIVED).exists()
    ):
        raise ValidationError({"outcome": "「补正后申请内容仍不明确」只适用于已收到补正的申请（第三十条）。"})
    basis = str(p.get("basis") or "")
    if basis and basis not in ReplyBasis.values:
        raise ValidationError({"basis": f"答复依据「{basis}」无法识别。"})
    used = _REPLY_FIELDS.get((str(outcome), basis), frozenset())
    referral_org: Organisation | None = p.get("referral_org")
    referral_name, referral_contact = p.get("referral_name") or "", p.get("referral_contact") or ""
    if "referral_org" in used and referral_org is not None:
        referral_name = referral_name.strip() or referral_org.name
        referral_contact = referral_contact.strip() or org_contact(referral_org)
    grounds = [str(g) for g in p.get("withheld_grounds") or ()]
    values: dict[str, Any] = {
        # 表三 order first; unknown codes are kept so that reply_requirements names them
        "withheld_grounds": [g for g in WITHHOLDING_GROUNDS if g in grounds]
        + sorted(set(grounds) - set(WITHHOLDING_GROUNDS)),
        "access_route": (p.get("access_route") or "").strip(),
        "other_procedure": (p.get("other_procedure") or "").strip(),
        "referral_org": referral_org,
        "referral_name": referral_name.strip(),
        "referral_contact": referral_contact.strip(),
    }
    blank: dict[str, Any] = {"withheld_grounds": [], "referral_org": None}
    updates: dict[str, Any] = {
        "outcome": outcome,
        "closed_on": date,
        "reply_summary": (p.get("summary") or "").strip(),
        "basis": basis,
        **{name: value if name in used else blank.get(name, "") for name, value in values.items()},
    }
    draft = Application(
        **{f.attname: getattr(application, f.attname) for f in Application._meta.concrete_fields}
    )
    for name, value in updates.items():
        setattr(draft, name, value)
    if errors := reply_requirements(draft):
        raise ValidationError(errors)
    move.updates.update(updates)
    p["event_data"] = {"outcome": str(outcome)}
