"""Consultations (第三十二条、第三十三条第三款、第三十四条) and the 决定公开 notice to a third party.

Each step is one row of ``applications.workflow.STEPS``; the ``*_step`` handlers do the step's own checks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from gongkai.applications.clocks import Consulted
from gongkai.applications.clocks import EventKind as ClockKind
from gongkai.core.actors import Actor, acting_user
from gongkai.core.workflow import Move

from ..models import Application, ApplicationEvent
from ..states import Step
from ..vocab import LetterKind
from .machine import local_today as _today
from .machine import take


def consultation_send(
    *,
    actor: Actor,
    application: Application,
    party: str,
    consulted: Consulted | str = Consulted.THIRD_PARTY,
    date: dt.date | None = None,
    delivered: dt.date | None = None,
    lead_confirmed: bool = False,
) -> Application:
    """Consult a third party (第三十二条), a co-producing agency (第三十四条) or another agency (第三十三条第三款);
    the reply clock stops meanwhile.

    第三十四条 lets only the 牵头制作 agency consult its co-producers (whose silence is 视为同意公开): the clerk must
    confirm it (``lead_confirmed``). Another agency that did not co-produce the information is consulted as
    ``Consulted.OTHER_AGENCY`` (no deemed consent). The answer period runs from the day the request is received
    (``delivered`` when known at sending, else recorded later with :func:`consultation_delivery`).
    """
    result: Application = take(application, "consult", actor=actor, party=party, consulted=consulted, date=date,
                               delivered=delivered, lead_confirmed=lead_confirmed)  # fmt: skip
    return result


# 第三十二条 third party (silence: the agency decides), 第三十四条 co-producer (silence: consent) or
# 第三十三条第三款 other agency (no rule on silence).
CONSULTATION_LETTERS = {
    Consulted.THIRD_PARTY: LetterKind.CONSULTATION,
    Consulted.AGENCY: LetterKind.AGENCY_CONSULTATION,
    Consulted.OTHER_AGENCY: LetterKind.OTHER_AGENCY_CONSULTATION,
}


def consult_step(move: Move) -> None:
    p = move.params
    party, delivered = p.get("party") or "", p.get("delivered")
    if not party.strip():
        raise ValidationError({"party": "请填写征求意见的对象。"})
    try:
        consulted = Consulted(p.get("consulted", Consulted.THIRD_PARTY))
    except ValueError:
        raise ValidationError(
            {"consulted": f"征求意见的对象类型「{p.get('consulted')}」无法识别。"}
        ) from None
    if consulted == Consulted.AGENCY and not p.get("lead_confirmed"):
        raise ValidationError(
            {
                "lead_confirmed": "按第三十四条征求共同制作机关意见的，须确认该政府信息由本机关与被征求意见机关"
                "共同制作，且本机关为牵头制作机关；否则请选择「其他机关（非共同制作）」。"
            }
        )
    if delivered is not None:
        _check_consultation_receipt(p["date"], delivered)
    data: dict[str, Any] = {"party": party.strip(), "consulted": str(consulted)}
    if consulted == Consulted.AGENCY:
        data["co_producer"] = True
    if delivered:
        data["delivered"] = delivered.isoformat()
    p.update(event_data=data, letter=CONSULTATION_LETTERS[consulted], letter_context={"party": party})


def _check_consultation_receipt(
    sent_on: dt.date, delivered: dt.date, *, today: dt.date | None = None
) -> None:
    if delivered < sent_on:
        raise ValidationError(
            {
                "delivered": f"征求意见书的送达日期（{delivered.isoformat()}）不能早于发出日期（{sent_on.isoformat()}）。"
            }
        )
    if delivered > (today or _today()):
        raise ValidationError({"delivered": f"征求意见书的送达日期（{delivered.isoformat()}）不能晚于今天。"})


def consultations_awaiting_delivery(application: Application) -> list[str]:
    """The parties whose consultation request has no known receipt day yet (待确认送达), in sending order."""
    pending: list[str] = []
    for e in application.events.filter(
        kind__in=[ClockKind.CONSULTATION_SENT, ClockKind.CONSULTATION_DELIVERED]
    ).order_by("date", "id"):
        party = (e.data or {}).get("party", "")
        if e.kind == ClockKind.CONSULTATION_SENT and not (e.data or {}).get("delivered"):
            pending.append(party)
        elif e.kind == ClockKind.CONSULTATION_DELIVERED and party in pending:
            pending.remove(party)
    return pending


def consultation_delivery(
    *, actor: Actor, application: Application, party: str, delivered: dt.date, note: str = ""
) -> Application:
    """Record the day the consulted party received the request (签收、确认送达之日), when it was not known at
    sending. Its 15 working days run from the next day (第三十二条、第三十四条 「自收到征求意见书之日起」); until then
    the application shows 待确认送达 and the reply clock stays paused. Once per request."""
    result: Application = take(
        application, "consult_delivered", actor=actor, party=party, delivered=delivered, note=note
    )
    return result


def consult_delivered_step(move: Move) -> None:
    application, party, delivered = (
        move.obj,
        (move.params.get("party") or "").strip(),
        move.params["delivered"],
    )
    if party not in consultations_awaiting_delivery(application):
        raise ValidationError({"party": f"没有向「{party}」发出、尚未确认送达的征求意见。"})
    sent = (
        application.events.filter(kind=ClockKind.CONSULTATION_SENT, data__party=party)
        .order_by("-date", "-id")
        .values_list("date", flat=True)
        .first()
    )
    assert sent is not None
    _check_consultation_receipt(sent, delivered)
    move.params.update(date=delivered, event_data={"party": party})


def consultation_answer(
    *,
    actor: Actor,
    application: Application,
    party: str,
    date: dt.date | None = None,
    note: str = "",
    objected: bool = False,
) -> Application:
    """Record the consulted party's answer; the reply clock resumes the next day (第三十三条第三款).

    ``objected``: a third party does not agree to disclosure (第三十二条); a 3.4 reply then also cites 第三十二条."""
    result: Application = take(
        application, "consult_answer", actor=actor, party=party, date=date, note=note, objected=objected
    )
    return result


def consult_answer_step(move: Move) -> None:
    application, party, objected = move.obj, move.params.get("party") or "", move.params.get("objected")
    sent = application.events.filter(kind=ClockKind.CONSULTATION_SENT, data__party=party.strip()).count()
    answered = application.events.filter(
        kind=ClockKind.CONSULTATION_ANSWERED, data__party=party.strip()
    ).count()
    if sent <= answered:
        raise ValidationError({"party": f"没有向「{party}」发出、尚未答复的征求意见。"})
    last = (
        application.events.filter(kind=ClockKind.CONSULTATION_SENT, data__party=party.strip())
        .order_by("-date", "-id")
        .first()
    )
    if objected and last is not None and (last.data or {}).get("consulted") != Consulted.THIRD_PARTY:
        raise ValidationError({"objected": "「不同意公开」只适用于按第三十二条征求意见的第三方。"})
    move.params["event_data"] = {"party": party.strip(), **({"objected": True} if objected else {})}


def third_party_disclosure_notice(
    *, actor: Actor, application: Application, party: str, content: str, reasons: str
) -> Any:
    """The agency decides to disclose although a consulted third party objects, because withholding could
    seriously affect the public interest (第三十二条): draft the 决定公开告知书 telling the third party the content
    and the reasons in writing. Logged as a remark; the reply to the applicant follows as usual."""
    return take(application, "disclose", actor=actor, party=party, content=content, reasons=reasons)


def disclose_step(move: Move) -> Any:
    """Draft the letter (which refuses without an objecting third party, content or reasons) and log a remark;
    the result is the letter. The application's status stays as it is."""
    from ..letters import letter_draft

    application, party, reasons = move.obj, move.params.get("party") or "", move.params.get("reasons") or ""
    letter = letter_draft(
        actor=move.actor,
        application=application,
        kind=LetterKind.DISCLOSURE_DECISION,
        context={"party": party.strip(), "content": move.params.get("content") or "", "reasons": reasons},
    )
    ApplicationEvent.objects.create(
        application=application,
        kind=Step.REMARK,
        date=_today(),
        actor=acting_user(move.actor),
        data={"party": party.strip(), "reason": reasons.strip()},
        note="决定公开并书面告知第三方（第三十二条）",
    )
    return letter
