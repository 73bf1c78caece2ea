"""What the applicant sees of an application after proving it with 申请编号＋查询码 (the status page) or right after
submitting it (the 回执): the status in plain words, the 答复期限 and how it was counted, while 待补正 what to
correct and by when (the 补正告知书's content, 第三十条) and whether it can be sent online, after the reply the
result in the applicant's words (``public_texts``) and the issued letters addressed to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.applications.clocks import EventKind as ClockKind
from gongkai.notifications.services import preference_of
from gongkai.notifications.vocab import NoticeChannel
from gongkai.orgs.handling import handling_office_of, receiving_office_name
from gongkai.orgs.models import Organisation

from .delivery_views import public_letters
from .models import Application, Letter
from .public_texts import REPLY_PERIOD_NOTE, STATUS_HINTS, public_outcome
from .services.machine import date_or_none
from .services.public_correction import correction_open
from .states import Status
from .vocab import LetterKind


@dataclass(frozen=True)
class CorrectionAsk:
    """The 补正 asked for (第三十条): the items, the notice's date and the period — a date, or ``days`` working
    days from the day the applicant receives the notice (no date until that day is recorded)."""

    items: str
    notified_on: dt.date
    until: dt.date | None
    days: int | None
    letter: Letter | None  # the issued 补正告知书, when there is one
    refusal: str  # "" when the 补正 can be sent online now, else why not


@dataclass(frozen=True)
class PublicStatus:
    application: Application
    hint: str
    outcome: str  # the result in the applicant's words ("" before the reply)
    correction: CorrectionAsk | None  # while 待补正
    corrected_on: dt.date | None  # the day the 补正 was received (the reply period restarted then)
    corrected_online: bool
    letters: list[tuple[Letter, bool]]  # issued letters addressed to the applicant, with "stamped copy?"
    office: Organisation  # whose 政府信息公开工作机构 answers questions (the handling office, else the organisation)
    notify: str  # how the applicant chose to be told of progress ("" = not told)
    reply_note: str = REPLY_PERIOD_NOTE

    @property
    def office_name(self) -> str:
        """The 受理机构 the receipts and the status page name (``orgs.handling.receiving_office_name``)."""
        return receiving_office_name(self.application.org)

    @property
    def reply_letter(self) -> Letter | None:
        """The issued 答复告知书 (also the letter of a 视为放弃 / 逾期未缴费 ending), the latest if several."""
        replies = [letter for letter, _ in self.letters if letter.kind == LetterKind.REPLY]
        return replies[-1] if replies else None

    @property
    def shows_reply_due(self) -> bool:
        a = self.application
        return bool(a.is_open and a.reply_due and a.status != Status.AWAITING_CORRECTION)


def public_status_of(application: Application, *, today: dt.date | None = None) -> PublicStatus:
    events = list(
        application.events.filter(kind__in=(ClockKind.CORRECTION_REQUESTED, ClockKind.CORRECTION_RECEIVED))
    )
    asked = next((e for e in events if e.kind == ClockKind.CORRECTION_REQUESTED), None)
    received = next((e for e in events if e.kind == ClockKind.CORRECTION_RECEIVED), None)
    letters = public_letters(application)
    correction = None
    if asked is not None and application.status == Status.AWAITING_CORRECTION:
        data = asked.data or {}
        notice = next((letter for letter, _ in letters if letter.kind == LetterKind.CORRECTION), None)
        correction = CorrectionAsk(
            items=str(data.get("items") or ""),
            notified_on=asked.date,
            until=application.correction_until or date_or_none(data.get("until")),
            days=data.get("days"),
            letter=notice,
            refusal=correction_open(application, today=today),
        )
    return PublicStatus(
        application=application,
        hint=STATUS_HINTS.get(application.status, ""),
        outcome=public_outcome(application.outcome, application.basis),
        correction=correction,
        corrected_on=received.date if received else None,
        corrected_online=bool(received and (received.data or {}).get("online")),
        letters=letters,
        office=handling_office_of(application.org),
        notify=""
        if (channel := preference_of(application)) == NoticeChannel.NONE
        else NoticeChannel(channel).label,
    )
