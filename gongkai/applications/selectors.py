"""Reads of 依申请公开 other code uses: org-scoped lists, the due-soon/overdue summary, applicant data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.applications.clocks import ClockState
from gongkai.applications.clocks.filing import FilingPeriod, filing_period
from gongkai.applications.clocks.remedy import RemedyAnswer, remedy_answer
from gongkai.core.queries import filter_given
from gongkai.orgs.permissions import Action, application_orgs_where
from gongkai.workdays.arithmetic import add_workdays, get_table

from . import crypto
from .models import Application, Letter, LetterDelivery, RemedyCase
from .permissions import applicant_scope
from .states import OPEN_STATUSES, Status
from .vocab import LetterKind, RemedyResult

DUE_SOON_WORKDAYS = 5
FEE_DELIVERY_PENDING = "待确认送达"


def fee_delivery_pending(application: Application) -> bool:
    """A fee notice awaits payment but the day the applicant received it is unknown: the payment period has not
    started (it runs from the day after receipt), so the application may not be closed as 视为放弃."""
    return application.status == Status.AWAITING_FEE and application.fee_due is None


def consultation_delivery_pending(application: Application) -> bool:
    """A consultation request awaits its receipt day (待确认送达): the consulted party's 15 working days have not
    started and the reply clock stays paused, so there is no reply due date until the clerk records it."""
    return application.clock_state == ClockState.CONSULTATION_PENDING


def overdue_q(today: dt.date) -> Q:
    """Open applications past a deadline on ``today``: the 答复期限, or while 待缴费 / 待补正 the payment or
    补正 deadline (as the dashboard's 已逾期 list, ``due_soon_and_overdue``)."""
    paused = [Status.AWAITING_FEE, Status.AWAITING_CORRECTION]
    return Q(status__in=OPEN_STATUSES) & (
        (Q(reply_due__lt=today) & ~Q(status__in=paused))
        | Q(status=Status.AWAITING_FEE, fee_due__lt=today)
        | Q(status=Status.AWAITING_CORRECTION, correction_until__lt=today)
    )


def applications_for(
    user: Any,
    *,
    status: str = "",
    org_code: str = "",
    q: str = "",
    year: int | None = None,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    overdue_on: dt.date | None = None,
) -> QuerySet[Application]:
    """Applications of the organisations ``user`` may view (or handles as their handling office), newest
    first; ``overdue_on``: only those overdue on that day."""
    qs = Application.objects.filter(org__in=application_orgs_where(user, Action.VIEW)).select_related(
        "org", "assignee"
    )
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    qs = filter_given(
        qs,
        org__code=org_code,
        received_on__year=year,
        received_on__gte=received_from,
        received_on__lte=received_to,
    )
    if overdue_on:
        qs = qs.filter(overdue_q(overdue_on))
    if q:
        qs = qs.filter(Q(tracking_code__icontains=q) | Q(info_title__icontains=q))
    return qs


def remedies_for(user: Any) -> QuerySet[RemedyCase]:
    return RemedyCase.objects.filter(org__in=application_orgs_where(user, Action.VIEW)).select_related(
        "org", "application", "challenged_letter"
    )


def remedy_answer_of(case: RemedyCase, *, today: dt.date | None = None) -> RemedyAnswer:
    """The agency's 书面答复 (复议) or 答辩 (诉讼) deadline in ``case``, with its explanation."""
    return remedy_answer(
        get_table(),
        case.kind,
        received=case.copy_received_on,
        simple_procedure=case.simple_procedure,
        submitted_on=case.answer_submitted_on,
        today=today or timezone.localdate(),
    )


@dataclass(frozen=True)
class ChallengedLetter:
    """The letter a remedy case challenges (chosen when the case is registered; by default the application's last
    issued 答复告知书) and how it reached the applicant; the applicant's period to bring the case runs from its
    receipt (``clocks.filing``)."""

    letter: Letter
    delivery: LetterDelivery | None
    period: FilingPeriod | None  # None while the day of receipt is unknown (未记录送达 / 待确认送达)


def challengeable_letters(application_id: int | None) -> QuerySet[Letter]:
    """The letters a case about the application may challenge: its issued letters, in the order they were made."""
    if application_id is None:
        return Letter.objects.none()
    return Letter.objects.filter(application_id=application_id, issued_at__isnull=False).order_by(
        "created_at", "id"
    )


def default_challenged_letter(application_id: int | None) -> Letter | None:
    """The letter a case challenges unless staff choose another: the application's last issued 答复告知书."""
    return (
        challengeable_letters(application_id)
        .filter(kind=LetterKind.REPLY)
        .order_by("-issued_at", "-id")
        .first()
    )


def challenged_letter_of(case: RemedyCase) -> ChallengedLetter | None:
    """The letter the case challenges (``case.challenged_letter``, else the default), with its delivery; None
    without one (no application linked, or no letter issued: a case about a failure to answer)."""
    if case.application_id is None:
        return None
    letters = challengeable_letters(case.application_id).select_related("delivery")
    letter = letters.filter(pk=case.challenged_letter_id).first() if case.challenged_letter_id else None
    if letter is None:
        default = default_challenged_letter(case.application_id)
        letter = letters.filter(pk=default.pk).first() if default is not None else None
    if letter is None:
        return None
    delivery: LetterDelivery | None = getattr(letter, "delivery", None)
    received = delivery.received_on if delivery is not None else None
    period = filing_period(get_table(), case.kind, received) if received is not None else None
    return ChallengedLetter(letter, delivery, period)


def letter_choice_label(letter: Letter) -> str:
    """A letter as staff choose it, by its 文号 and 成文日期:
    「政府信息公开申请答复告知书（青府依申请〔2026〕12-3号，2026年3月5日）」."""
    day = letter.dated
    number = f"{letter.number}，" if letter.number else ""
    return f"{letter.title}（{number}{day.year}年{day.month}月{day.day}日）"


@dataclass(frozen=True)
class RemedyDueItem:
    case: RemedyCase
    what: str  # 复议答复 / 诉讼答辩
    due: dt.date
    overdue: bool
    provisional: bool = False  # the count reaches a year whose holiday arrangement is not loaded (（暂定）)


def remedy_answers_due(qs: QuerySet[RemedyCase], *, today: dt.date, horizon: dt.date) -> list[RemedyDueItem]:
    """Pending cases of ``qs`` whose answer / defence is not yet handed in and is overdue or due by ``horizon``."""
    open_cases = qs.filter(
        result=RemedyResult.PENDING, copy_received_on__isnull=False, answer_submitted_on__isnull=True
    ).select_related("org", "application", "application__assignee")
    items: list[RemedyDueItem] = []
    for case in open_cases:
        answer = remedy_answer_of(case, today=today)
        if answer.due is not None and answer.due.due <= horizon:
            items.append(
                RemedyDueItem(case, answer.label, answer.due.due, answer.overdue, answer.due.provisional)
            )
    return sorted(items, key=lambda i: (i.due, i.case.pk))


@dataclass(frozen=True)
class DueItem:
    application: Application
    what: str  # 答复期限 / 缴费期限 / 补正期限
    due: dt.date
    overdue: bool
    provisional: bool = False  # as the detail page says it: ``Application.deadline_provisional`` (（暂定）)


@dataclass(frozen=True)
class DueSummary:
    overdue: list[DueItem]
    due_soon: list[DueItem]
    # Fee notices sent but not yet confirmed as received: no payment deadline runs until the clerk records
    # the receipt day, so they are listed on their own (``due`` is the sending day).
    receipt_pending: list[DueItem] = field(default_factory=list)
    # The agency's own 复议答复 / 诉讼答辩 deadlines (行政复议法第四十八条, 行政诉讼法第六十七条).
    remedy_answers: list[RemedyDueItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.receipt_pending) + len(self.remedy_answers)


def due_soon_and_overdue(
    user: Any, *, today: dt.date | None = None, within: int = DUE_SOON_WORKDAYS
) -> DueSummary:
    """Open applications of ``user``'s organisations whose reply is overdue or due within ``within`` working
    days (第三十三条), plus fee and 补正 deadlines that have passed (the clerk must act: 109号, 第三十条)."""
    today = today or timezone.localdate()
    horizon = add_workdays(today, within)
    qs = applications_for(user, status="open").order_by("reply_due", "id")
    overdue: list[DueItem] = []
    soon: list[DueItem] = []
    pending: list[DueItem] = []
    for a in qs.filter(
        Q(reply_due__lte=horizon)
        | Q(status=Status.AWAITING_FEE, fee_due__lt=today)
        | Q(status=Status.AWAITING_FEE, fee_due__isnull=True)
        | Q(status=Status.AWAITING_CORRECTION, correction_until__lt=today)
        | Q(clock_state=ClockState.CONSULTATION_PENDING)
    ):
        if consultation_delivery_pending(a):
            asked = a.events.filter(kind="consultation_sent").order_by("-date").values_list("date", flat=True)
            pending.append(
                DueItem(
                    a,
                    f"征求意见书{FEE_DELIVERY_PENDING}（请登记对方收到日期）",
                    asked.first() or a.received_on,
                    False,
                )
            )
        elif fee_delivery_pending(a):
            notice = a.fee_notices.order_by("-sent_on", "-id").first()
            sent = notice.sent_on if notice else a.received_on
            pending.append(DueItem(a, f"收费通知{FEE_DELIVERY_PENDING}（请登记申请人收到日期）", sent, False))
        elif a.status == Status.AWAITING_FEE and a.fee_due:
            overdue.append(
                DueItem(a, "缴费期限（逾期未缴费的，视为放弃申请）", a.fee_due, True, a.deadline_provisional)
            )
        elif a.status == Status.AWAITING_CORRECTION and a.correction_until:
            overdue.append(
                DueItem(
                    a,
                    "补正期限（逾期未补正的，视为放弃申请）",
                    a.correction_until,
                    True,
                    a.deadline_provisional,
                )
            )
        elif a.reply_due is not None:
            item = DueItem(a, "答复期限", a.reply_due, a.reply_due < today, a.deadline_provisional)
            (overdue if item.overdue else soon).append(item)
    answers = remedy_answers_due(remedies_for(user), today=today, horizon=horizon)
    return DueSummary(overdue=overdue, due_soon=soon, receipt_pending=pending, remedy_answers=answers)


@dataclass(frozen=True)
class ApplicantView:
    visible: bool
    name: str
    id_type: str
    id_number: str
    phone: str
    email: str
    address: str
    postcode: str
    contact_person: str

    @property
    def contact_line(self) -> str:
        """The applicant's details on one line: only the parts given, one 「；」 between them (never 「；；」)."""
        parts = [
            f"{self.id_type} {self.id_number}".strip(),
            f"电话 {self.phone}" if self.phone else "",
            self.email,
            f"{self.address} {self.postcode}".strip(),
            f"联系人 {self.contact_person}" if self.contact_person else "",
        ]
        return "；".join(p for p in parts if p)


HIDDEN = "（仅办理机关可见）"


def applicant_view(user: Any, application: Application, *, reveal: bool = False) -> ApplicantView:
    """The applicant's data as ``user`` may see it: masked numbers unless ``reveal``; nothing outside scope."""
    allowed = Application.objects.filter(applicant_scope(user), pk=application.pk).exists()
    if not allowed:
        return ApplicantView(False, HIDDEN, "", "", "", "", "", "", "")
    id_number = (
        crypto.decrypt(application.id_number_enc) if reveal else crypto.mask(application.id_number_tail)
    )
    phone = crypto.decrypt(application.phone_enc) if reveal else crypto.mask(application.phone_tail)
    return ApplicantView(
        True,
        application.applicant_name,
        application.get_id_type_display() if application.id_type else "",
        id_number,
        phone,
        application.email,
        application.address,
        application.postcode,
        application.contact_person,
    )


def applicant_visible_ids(user: Any, ids: list[int]) -> set[int]:
    return set(Application.objects.filter(applicant_scope(user), pk__in=ids).values_list("pk", flat=True))
