"""Every write of 依申请公开: intake, the status machine with its event log, fees, replies, letters, remedies."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record, diff, snapshot
from gongkai.orgs.duties import RULE, four_eyes, is_own_work
from gongkai.orgs.models import ExtensionApproval, Organisation
from gongkai.orgs.permissions import Action, can
from gongkai.workdays.arithmetic import is_provisional
from gongkai.workdays.clocks import (
    FEE_PAYMENT_SOURCE,
    MAX_EXTENSION_DAYS,
    ClockEvent,
    Consulted,
    compute_clock,
)
from gongkai.workdays.clocks import EventKind as ClockKind
from gongkai.workdays.receipt import receipt_date
from gongkai.workdays.table import WorkdaysError

from . import crypto
from .attachments import SniffedFile, sniff_upload
from .fees import compute_fee
from .models import (
    OPEN_STATUSES,
    Application,
    ApplicationEvent,
    Attachment,
    AttachmentPurpose,
    FeeNotice,
    RemedyCase,
    Status,
    Step,
    TrackingCounter,
)
from .vocab import (
    REPLY_BASIS_OUTCOMES,
    WITHHOLDING_GROUNDS,
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryMethod,
    FeeMethod,
    IdType,
    LetterKind,
    Outcome,
    RemedyKind,
    RemedyResult,
    ReplyBasis,
)

# --- the status machine ----------------------------------------------------------------------

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.REGISTERED: frozenset(
        {
            Status.REGISTERED,
            Status.AWAITING_CORRECTION,
            Status.IN_PROGRESS,
            Status.AWAITING_FEE,
            Status.REPLIED,
            Status.WITHDRAWN,
        }
    ),
    Status.AWAITING_CORRECTION: frozenset(
        {Status.AWAITING_CORRECTION, Status.IN_PROGRESS, Status.ABANDONED, Status.WITHDRAWN}
    ),
    Status.IN_PROGRESS: frozenset(
        {Status.IN_PROGRESS, Status.AWAITING_FEE, Status.REPLIED, Status.WITHDRAWN}
    ),
    Status.AWAITING_FEE: frozenset(
        {Status.AWAITING_FEE, Status.IN_PROGRESS, Status.ABANDONED, Status.WITHDRAWN}
    ),
    Status.REPLIED: frozenset({Status.CLOSED}),
    Status.ABANDONED: frozenset({Status.CLOSED}),
    Status.WITHDRAWN: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

TRACKED_FIELDS = ("status", "outcome", "closed_on", "reply_due", "assignee", "reply_summary")
CLOCK_KINDS = frozenset(ClockKind.values)


def _today() -> dt.date:
    return timezone.localdate()


def _require(actor: Any, org: Organisation, action: Action = Action.EDIT) -> None:
    """Staff writes need ``action`` on the handling organisation; ``actor=None`` is the system (CLI, cron)."""
    if actor is not None and not can(actor, action, org):
        raise PermissionDenied(f"您无权办理「{org.name}」的政府信息公开申请。")


def _check_date(application: Application, day: dt.date, what: str, *, today: dt.date | None = None) -> None:
    today = today or _today()
    if day > today:
        raise ValidationError({"date": f"{what}的日期（{day.isoformat()}）不能晚于今天。"})
    if day < application.received_on:
        raise ValidationError(
            {
                "date": f"{what}的日期（{day.isoformat()}）不能早于收到申请之日（{application.received_on.isoformat()}）。"
            }
        )
    last = application.events.order_by("-date").values_list("date", flat=True).first()
    if last is not None and day < last:
        raise ValidationError(
            {"date": f"{what}的日期（{day.isoformat()}）不能早于上一条办理记录（{last.isoformat()}）。"}
        )


def clock_events(application: Application, extra: Iterable[ApplicationEvent] = ()) -> list[ClockEvent]:
    """The application's event log as the workdays clocks read it."""
    out: list[ClockEvent] = []
    for e in [*application.events.all(), *extra]:
        if e.kind not in CLOCK_KINDS:
            continue
        d = e.data or {}
        delivered = _date_or_none(d.get("delivered"))
        if e.kind == ClockKind.FEE_NOTICE_SENT and "delivery" not in d and delivered is None:
            # A notice sent before delivery was recorded (migration 0003 set its received_on to sent_on).
            delivered = (
                application.fee_notices.filter(sent_on=e.date).values_list("received_on", flat=True).first()
            )
        out.append(
            ClockEvent(
                kind=e.kind,
                date=e.date,
                days=d.get("days"),
                approved_by=d.get("approved_by", ""),
                party=d.get("party", ""),
                consulted=d.get("consulted", Consulted.THIRD_PARTY),
                delivered=delivered,
                until=_date_or_none(d.get("until") or d.get("reply_by") or d.get("answer_by")),
                delivery=_delivery_label(d.get("delivery", "")),
            )
        )
    return out


def _date_or_none(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _delivery_label(code: str) -> str:
    try:
        return str(FeeNotice.Delivery(code).label) if code else ""
    except ValueError:
        return code


def refresh_deadlines(application: Application, *, today: dt.date | None = None) -> bool:
    """Recompute the cached deadlines from the event log (workdays clocks); True if the reply due date moved."""
    try:
        report = compute_clock(clock_events(application), today=today or _today())
    except WorkdaysError as exc:
        raise ValidationError(str(exc)) from exc
    before = application.reply_due
    application.clock_state = str(report.state)
    application.correction_notice_due = report.correction_notice_due.due
    application.reply_due = report.reply_due.due if report.reply_due else None
    application.fee_due = report.fee_payment_due.due if report.fee_payment_due else None
    application.deadline_provisional = report.provisional
    steps = list(report.steps)
    if report.fee_payment_due is not None:
        steps += [s for s in report.fee_payment_due.steps if s not in steps]
    application.deadline_steps = steps
    application.deadline_warnings = list(report.warnings)
    return before != application.reply_due


def _transition(
    application: Application,
    to: Status,
    *,
    actor: Any,
    kind: str,
    date: dt.date,
    data: Mapping[str, Any] | None = None,
    note: str = "",
    updates: Mapping[str, Any] | None = None,
) -> ApplicationEvent:
    """The one place an application changes status: check the table, log the event, recompute, audit."""
    current = Status(application.status)
    if to not in ALLOWED_TRANSITIONS[current]:
        raise ValidationError(
            f"申请当前状态为「{current.label}」，不能{dict(EVENT_LABELS).get(kind, kind)}。"
        )
    before = snapshot(application, TRACKED_FIELDS)
    event = ApplicationEvent(
        application=application,
        kind=kind,
        date=date,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        data=dict(data or {}),
        note=note,
    )
    event.full_clean(exclude=["application"])
    event.save()
    application.status = to
    for name, value in (updates or {}).items():
        setattr(application, name, value)
    refresh_deadlines(application)
    application.full_clean()
    application.save()
    changes = diff(before, snapshot(application, TRACKED_FIELDS))
    changes["event"] = [None, {"kind": kind, "date": date.isoformat(), **event.data}]
    action = AuditAction.TRANSITION if current != to else AuditAction.UPDATE
    audit_record(actor=actor, action=action, obj=application, org=application.org, changes=changes)
    return event


EVENT_LABELS = list(ClockKind.choices) + list(Step.choices)


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("org").get(pk=application.pk)


# --- intake ----------------------------------------------------------------------------------


def _next_tracking_code(year: int) -> str:
    """Draw the next serial of ``year`` under a row lock: unique under concurrency, gap-free per year."""
    TrackingCounter.objects.bulk_create([TrackingCounter(year=year, last=0)], ignore_conflicts=True)
    counter = TrackingCounter.objects.select_for_update().get(year=year)
    TrackingCounter.objects.filter(pk=year).update(last=F("last") + 1)
    return f"YS{year}{counter.last + 1:06d}"


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(application: Application, secret: str) -> bool:
    return bool(application.secret_hash) and hmac.compare_digest(
        application.secret_hash, secret_digest(secret)
    )


@dataclass(frozen=True)
class ApplicantData:
    """What 第二十九条第二款第一项 asks for: who applies and how to reach them."""

    applicant_type: ApplicantType | str
    name: str
    id_type: IdType | str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    contact_person: str = ""


@dataclass(frozen=True)
class RequestData:
    """What 第二十九条第二款第二项、第三项 ask for: the information sought and the form wanted."""

    info_title: str
    info_doc_number: str = ""
    info_description: str = ""
    delivery_form: DeliveryForm | str = DeliveryForm.ELECTRONIC
    delivery_method: DeliveryMethod | str = DeliveryMethod.EMAIL


def _applicant_fields(applicant: ApplicantData) -> dict[str, Any]:
    id_number = "".join(applicant.id_number.split()).upper()
    phone = "".join(applicant.phone.split())
    if not (phone or applicant.email.strip() or applicant.address.strip()):
        raise ValidationError(
            {"phone": "请至少填写一种联系方式（电话、电子邮箱或通信地址）（第二十九条第二款第一项）。"}
        )
    if applicant.id_type == IdType.RESIDENT_ID and id_number and not _valid_resident_id(id_number):
        raise ValidationError({"id_number": "居民身份证号码应为18位，且校验位正确。"})
    identity = f"{applicant.id_type}:{id_number}" if id_number else f"name:{applicant.name.strip()}"
    return {
        "applicant_type": applicant.applicant_type,
        "applicant_name": applicant.name.strip(),
        "contact_person": applicant.contact_person.strip(),
        "id_type": applicant.id_type,
        "id_number_enc": crypto.encrypt(id_number),
        "id_number_tail": id_number[-4:],
        "phone_enc": crypto.encrypt(phone),
        "phone_tail": phone[-4:],
        "applicant_key": crypto.keyed_hash(identity),
        "email": applicant.email.strip(),
        "address": applicant.address.strip(),
        "postcode": applicant.postcode.strip(),
    }


def _valid_resident_id(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(number[:17], weights, strict=True)) % 11]
    return number[17] == check


def _create(
    *,
    actor: Any,
    org: Organisation,
    channel: Channel | str,
    received_on: dt.date,
    applicant: ApplicantData,
    request: RequestData,
    extra: Mapping[str, Any],
    files: Iterable[SniffedFile] = (),
    note: str = "",
) -> tuple[Application, str]:
    secret = secrets.token_urlsafe(12)
    application = Application(
        org=org,
        channel=channel,
        received_on=received_on,
        secret_hash=secret_digest(secret),
        status=Status.REGISTERED,
        info_title=request.info_title.strip(),
        info_doc_number=request.info_doc_number.strip(),
        info_description=request.info_description.strip(),
        delivery_form=request.delivery_form,
        delivery_method=request.delivery_method,
        tracking_code="pending",
        **_applicant_fields(applicant),
        **extra,
    )
    application.full_clean(exclude=["tracking_code"])
    application.tracking_code = _next_tracking_code(received_on.year)
    application.save()
    event = ApplicationEvent.objects.create(
        application=application,
        kind=ClockKind.RECEIVED,
        date=received_on,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        data={"channel": str(channel)},
        note=note,
    )
    for f in files:
        Attachment.objects.create(
            application=application,
            file=f.as_django_file(),
            name=f.name,
            content_type=f.content_type,
            extension=f.extension,
            size=f.size,
            sha256=f.sha256,
        )
    refresh_deadlines(application)
    application.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=application,
        org=org,
        changes={
            "channel": [None, str(channel)],
            "received_on": [None, received_on.isoformat()],
            "event": [None, {"kind": event.kind, "date": received_on.isoformat()}],
            "attachments": [None, len(list(application.attachments.all()))],
        },
    )
    return application, secret


@transaction.atomic
def application_register(
    *,
    actor: Any,
    org: Organisation,
    channel: Channel | str,
    applicant: ApplicantData,
    request: RequestData,
    submitted_on: dt.date | None = None,
    signed_for_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    channel_note: str = "",
    assignee: Any = None,
    today: dt.date | None = None,
) -> Application:
    """Staff registration of an application received by any channel.

    The receipt date follows 《条例》第三十一条: 当面 → the submission day; 邮寄 → the day signed
    for; 平常信函 → the day confirmed with the applicant; 互联网渠道 (incl. 电子邮件)/传真 → the
    day both sides confirmed. It may not lie in the future.
    """
    _require(actor, org)
    try:
        received_on = receipt_date(
            channel=channel, submitted=submitted_on, signed_for=signed_for_on, confirmed=confirmed_on
        )
    except WorkdaysError as exc:
        raise ValidationError({"received_on": str(exc)}) from exc
    if received_on > (today or _today()):
        raise ValidationError({"received_on": f"收到申请之日（{received_on.isoformat()}）不能晚于今天。"})
    application, _ = _create(
        actor=actor,
        org=org,
        channel=channel,
        received_on=received_on,
        applicant=applicant,
        request=request,
        extra={
            "channel_note": channel_note.strip(),
            "submitted_on": submitted_on,
            "signed_for_on": signed_for_on,
            "confirmed_on": confirmed_on,
            "assignee": assignee or (actor if getattr(actor, "is_authenticated", False) else None),
        },
    )
    return application


@transaction.atomic
def application_submit_public(
    *,
    org: Organisation,
    applicant: ApplicantData,
    request: RequestData,
    uploads: Iterable[UploadedFile] = (),
    today: dt.date | None = None,
) -> tuple[Application, str]:
    """A citizen's online application (互联网渠道); returns the application and the status-page secret.

    The platform confirms receipt on the spot (the tracking code is the confirmation), so the day
    of submission is the 双方确认之日 and the receipt day (《条例》第三十一条第三项).
    """
    day = today or _today()
    files = [sniff_upload(u) for u in uploads]
    return _create(
        actor=None,
        org=org,
        channel=Channel.INTERNET,
        received_on=day,
        applicant=applicant,
        request=request,
        extra={
            "submitted_on": day,
            "confirmed_on": day,
            "submitted_online": True,
            "channel_note": "网上申请",
        },
        files=files,
    )


@transaction.atomic
def application_assign(*, actor: Any, application: Application, assignee: Any) -> Application:
    """Name the clerk in charge (receives the due-date reminders)."""
    application = _lock(application)
    _require(actor, application.org)
    if assignee is not None and not can(assignee, Action.EDIT, application.org):
        raise ValidationError({"assignee": f"{assignee}不是「{application.org.name}」的经办人员。"})
    target = Status.IN_PROGRESS if application.status == Status.REGISTERED else Status(application.status)
    _transition(
        application,
        target,
        actor=actor,
        kind=Step.ASSIGNED,
        date=_today(),
        data={"assignee": getattr(assignee, "username", "")},
        updates={"assignee": assignee},
    )
    return application


# --- 补正 (第三十条) ----------------------------------------------------------------------------


@transaction.atomic
def correction_request(
    *, actor: Any, application: Application, items: str, until: dt.date, date: dt.date | None = None
) -> Application:
    """Ask once (一次性) for what is missing, with a reasonable deadline (《条例》第三十条).

    The reply period stops; it restarts from the day the corrected application is received.
    """
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "补正通知")
    if application.events.filter(kind=ClockKind.CORRECTION_REQUESTED).exists():
        raise ValidationError("第三十条要求一次性告知需要补正的事项，本申请已发出过补正通知。")
    if not items.strip():
        raise ValidationError({"items": "请写明需要补正的事项。"})
    if until <= date:
        raise ValidationError({"until": "补正期限应晚于通知日期。"})
    _transition(
        application,
        Status.AWAITING_CORRECTION,
        actor=actor,
        kind=ClockKind.CORRECTION_REQUESTED,
        date=date,
        data={"until": until.isoformat(), "items": items.strip()},
        updates={"correction_until": until},
    )
    from .letters import letter_draft

    letter_draft(actor=actor, application=application, kind=LetterKind.CORRECTION)
    return application


@transaction.atomic
def correction_receive(
    *, actor: Any, application: Application, date: dt.date | None = None, note: str = ""
) -> Application:
    """Record the corrected application; the 20 working days restart from this day (第三十条)."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "收到补正")
    _transition(
        application, Status.IN_PROGRESS, actor=actor, kind=ClockKind.CORRECTION_RECEIVED, date=date, note=note
    )
    return application


@transaction.atomic
def correction_abandoned(*, actor: Any, application: Application, date: dt.date | None = None) -> Application:
    """No correction by the deadline without good reason → 视为放弃申请 (第三十条), outcome （六）1."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "视为放弃")
    if application.correction_until is None or date <= application.correction_until:
        until = application.correction_until.isoformat() if application.correction_until else "未设定"
        raise ValidationError(f"补正期限（{until}）尚未届满，不能视为放弃申请。")
    _transition(
        application,
        Status.ABANDONED,
        actor=actor,
        kind=Step.ABANDONED,
        date=date,
        updates={"outcome": Outcome.NO_CORRECTION, "closed_on": date},
    )
    from .letters import letter_draft

    letter_draft(actor=actor, application=application, kind=LetterKind.REPLY)
    return application


# --- consultation, extension ------------------------------------------------------------------


def _working(application: Application) -> Status:
    return Status.IN_PROGRESS if application.status == Status.REGISTERED else Status(application.status)


@transaction.atomic
def consultation_send(
    *,
    actor: Any,
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
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "征求意见")
    if application.status not in (Status.REGISTERED, Status.IN_PROGRESS):
        raise ValidationError(f"申请当前状态为「{application.get_status_display()}」，不能征求意见。")
    if not party.strip():
        raise ValidationError({"party": "请填写征求意见的对象。"})
    try:
        consulted = Consulted(consulted)
    except ValueError:
        raise ValidationError({"consulted": f"征求意见的对象类型「{consulted}」无法识别。"}) from None
    if consulted == Consulted.AGENCY and not lead_confirmed:
        raise ValidationError(
            {
                "lead_confirmed": "按第三十四条征求共同制作机关意见的，须确认该政府信息由本机关与被征求意见机关"
                "共同制作，且本机关为牵头制作机关；否则请选择「其他机关（非共同制作）」。"
            }
        )
    if delivered is not None:
        _check_consultation_receipt(date, delivered)
    data: dict[str, Any] = {"party": party.strip(), "consulted": str(consulted)}
    if consulted == Consulted.AGENCY:
        data["co_producer"] = True
    if delivered:
        data["delivered"] = delivered.isoformat()
    _transition(
        application, Status.IN_PROGRESS, actor=actor, kind=ClockKind.CONSULTATION_SENT, date=date, data=data
    )
    from .letters import letter_draft

    # 第三十二条 third party (silence: the agency decides), 第三十四条 co-producer (silence: consent) or
    # 第三十三条第三款 other agency (no rule on silence).
    kind = {
        Consulted.THIRD_PARTY: LetterKind.CONSULTATION,
        Consulted.AGENCY: LetterKind.AGENCY_CONSULTATION,
        Consulted.OTHER_AGENCY: LetterKind.OTHER_AGENCY_CONSULTATION,
    }[consulted]
    letter_draft(actor=actor, application=application, kind=kind, context={"party": party})
    return application


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


@transaction.atomic
def consultation_delivery(
    *, actor: Any, application: Application, party: str, delivered: dt.date, note: str = ""
) -> Application:
    """Record the day the consulted party received the request (签收、确认送达之日), when it was not known at
    sending. Its 15 working days run from the next day (第三十二条、第三十四条 「自收到征求意见书之日起」); until then
    the application shows 待确认送达 and the reply clock stays paused. Once per request."""
    application = _lock(application)
    _require(actor, application.org)
    party = party.strip()
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
    _transition(
        application,
        _working(application),
        actor=actor,
        kind=ClockKind.CONSULTATION_DELIVERED,
        date=delivered,
        data={"party": party},
        note=note,
    )
    return application


@transaction.atomic
def consultation_answer(
    *,
    actor: Any,
    application: Application,
    party: str,
    date: dt.date | None = None,
    note: str = "",
    objected: bool = False,
) -> Application:
    """Record the consulted party's answer; the reply clock resumes the next day (第三十三条第三款).

    ``objected``: a third party does not agree to disclosure (第三十二条); a 3.4 reply then also cites 第三十二条."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "收到征求意见答复")
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
    _transition(
        application,
        _working(application),
        actor=actor,
        kind=ClockKind.CONSULTATION_ANSWERED,
        date=date,
        data={"party": party.strip(), **({"objected": True} if objected else {})},
        note=note,
    )
    return application


@transaction.atomic
def third_party_disclosure_notice(
    *, actor: Any, application: Application, party: str, content: str, reasons: str
) -> Any:
    """The agency decides to disclose although a consulted third party objects, because withholding could
    seriously affect the public interest (第三十二条): draft the 决定公开告知书 telling the third party the content
    and the reasons in writing. Logged as a remark; the reply to the applicant follows as usual."""
    application = _lock(application)
    _require(actor, application.org)
    from .letters import letter_draft

    letter = letter_draft(
        actor=actor,
        application=application,
        kind=LetterKind.DISCLOSURE_DECISION,
        context={"party": party.strip(), "content": content, "reasons": reasons},
    )
    ApplicationEvent.objects.create(
        application=application,
        kind=Step.REMARK,
        date=_today(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        data={"party": party.strip(), "reason": reasons.strip()},
        note="决定公开并书面告知第三方（第三十二条）",
    )
    return letter


# How the 负责人's consent to an extension is given (第三十三条第二款):
# "named" — the old behaviour (双人审核 off): the handler records the approver's name;
# "system" — the approver records the extension with their own account (REVIEW or MANAGE, not a handler);
# "upload" — the handler records it with the scanned 审批单 signed by the approver.
EXTENSION_NAMED = "named"


def extension_mode(org: Organisation) -> str:
    """Which consent the organisation requires for an extension: "named", "system" or "upload"."""
    if not four_eyes(org):
        return EXTENSION_NAMED
    return str(org.extension_approval or ExtensionApproval.SYSTEM)


def extension_handlers(application: Application) -> set[int]:
    """Who handles the application and so may not approve its extension: the 经办人 and who registered it."""
    handlers = {application.assignee_id} if application.assignee_id else set()
    registrar = (
        application.events.filter(kind=ClockKind.RECEIVED)
        .order_by("id")
        .values_list("actor_id", flat=True)
        .first()
    )
    if registrar:
        handlers.add(registrar)
    return handlers


def may_approve_extension(user: Any, application: Application) -> bool:
    """May ``user`` approve an extension of ``application`` in the system ("system" mode)?"""
    org = application.org
    if not (can(user, Action.REVIEW, org) or can(user, Action.MANAGE, org)):
        return False
    return not is_own_work(user, extension_handlers(application))


EXTENSION_SYSTEM_MESSAGE = (
    f"{RULE}延期须经政府信息公开工作机构负责人同意，"
    "由本申请经办人、登记人以外的审核人或公开办管理员在系统内批准。"
)
EXTENSION_UPLOAD_MESSAGE = f"{RULE}延期须上传经政府信息公开工作机构负责人签字的审批单。"


def _approval_file(upload: UploadedFile | SniffedFile | None) -> SniffedFile:
    if upload is None:
        raise ValidationError({"approval_file": EXTENSION_UPLOAD_MESSAGE})
    if isinstance(upload, SniffedFile):
        return upload
    try:
        return sniff_upload(upload)
    except ValidationError as exc:
        messages = exc.messages
        raise ValidationError({"approval_file": [m.replace("附件「", "审批单「") for m in messages]}) from exc


@transaction.atomic
def extension_approve(
    *,
    actor: Any,
    application: Application,
    days: int,
    approved_by: str = "",
    reason: str,
    date: dt.date | None = None,
    approval_file: UploadedFile | SniffedFile | None = None,
) -> Application:
    """Extend the reply period by ≤ 20 working days with the 工作机构负责人's consent (第三十三条第二款).

    How the consent is given depends on the organisation (:func:`extension_mode`): under 双人审核 either
    the approver records it in the system ("system": REVIEW or MANAGE, not the 经办人 or registrar; the
    approver's name is recorded), or the handler uploads the signed 审批单 ("upload": kept as an
    attachment of the application). With the rule off (or for system jobs) the approver's name suffices.
    """
    application = _lock(application)
    org = application.org
    mode = EXTENSION_NAMED if actor is None else extension_mode(org)
    if mode == ExtensionApproval.SYSTEM:
        if not (can(actor, Action.REVIEW, org) or can(actor, Action.MANAGE, org)):
            raise PermissionDenied(EXTENSION_SYSTEM_MESSAGE)
        if is_own_work(actor, extension_handlers(application)):
            raise PermissionDenied(
                f"{RULE}不能批准自己经办或登记的申请的延期，请由其他审核人或公开办管理员批准。"
            )
        approved_by = getattr(actor, "full_name", "") or actor.get_username()
    else:
        _require(actor, org)
    date = date or _today()
    _check_date(application, date, "延期")
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError({"days": f"延长期限应为 1 至 {MAX_EXTENSION_DAYS} 个工作日。"})
    if not approved_by.strip():
        raise ValidationError({"approved_by": "延期须经政府信息公开工作机构负责人同意，请填写批准人。"})
    if application.status not in (Status.REGISTERED, Status.IN_PROGRESS):
        raise ValidationError(f"申请当前状态为「{application.get_status_display()}」，不能延期。")
    if application.reply_due is not None and date > application.reply_due:
        raise ValidationError(
            {"date": f"答复期限（{application.reply_due.isoformat()}）已过，不能再决定延期。"}
        )
    data: dict[str, Any] = {"days": days, "approved_by": approved_by.strip(), "reason": reason.strip()}
    if mode != EXTENSION_NAMED:
        data["approval"] = ExtensionApproval(mode).label
    sheet = _approval_file(approval_file) if mode == ExtensionApproval.UPLOAD else None
    if sheet is not None:
        data["approval_file"] = sheet.name
    _transition(application, Status.IN_PROGRESS, actor=actor, kind=ClockKind.EXTENDED, date=date, data=data)
    if sheet is not None:
        Attachment.objects.create(
            application=application,
            purpose=AttachmentPurpose.EXTENSION_APPROVAL,
            file=sheet.as_django_file(),
            name=sheet.name,
            content_type=sheet.content_type,
            extension=sheet.extension,
            size=sheet.size,
            sha256=sheet.sha256,
        )
    from .letters import letter_draft

    # The approver in "system" mode may hold no EDIT: the letter is then drafted by the system.
    letter_actor = actor if actor is None or can(actor, Action.EDIT, org) else None
    letter_draft(actor=letter_actor, application=application, kind=LetterKind.EXTENSION)
    return application


# --- 第三十五条: reasons for an unreasonable volume or frequency, and a delayed reply date -------------


def _count(application: Application, kind: str) -> int:
    return application.events.filter(kind=kind).count()


@transaction.atomic
def reasons_request(
    *,
    actor: Any,
    application: Application,
    until: dt.date | None = None,
    date: dt.date | None = None,
    note: str = "",
) -> Application:
    """Ask the applicant to explain requests whose number or frequency clearly exceeds a reasonable range
    (第三十五条), by ``until`` (inclusive); drafts the 要求说明理由通知书. The reply clock keeps running: the article
    provides no pause. A 5.4 reply needs this request first (:func:`reasons_requirement`)."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "要求说明理由")
    if application.status not in (Status.REGISTERED, Status.IN_PROGRESS):
        raise ValidationError(f"申请当前状态为「{application.get_status_display()}」，不能要求说明理由。")
    if until is None:
        raise ValidationError({"until": "请写明申请人说明理由的期限（第三十五条）。"})
    if until <= date:
        raise ValidationError({"until": "说明理由的期限应晚于通知日期。"})
    _transition(
        application,
        Status.IN_PROGRESS,
        actor=actor,
        kind=ClockKind.REASONS_REQUESTED,
        date=date,
        data={"answer_by": until.isoformat()},
        note=note,
    )
    from .letters import letter_draft

    letter_draft(actor=actor, application=application, kind=LetterKind.REASONS_REQUEST)
    return application


REASONS_FIRST = (
    "「无正当理由大量反复申请」（不予处理）须先要求申请人说明理由（第三十五条：行政机关可以要求申请人说明理由；"
    "认为申请理由不合理的，告知申请人不予处理）。"
)


def reasons_requirement(application: Application, on: dt.date | None) -> str:
    """Why a 5.4 reply (第三十五条 不予处理) on ``on`` is not allowed yet, or "" when it is.

    The agency must have asked for reasons; then either the applicant gave them (and the reply finds them
    unsound) or the answer period set in the request has passed without them. Not after a 延迟答复 (the agency
    found the reasons sound)."""
    events = list(application.events.filter(kind__in=[ClockKind.REASONS_REQUESTED, ClockKind.REASONS_GIVEN,
                                                      ClockKind.DELAY_SET]).order_by("date", "id"))  # fmt: skip
    asked = [e for e in events if e.kind == ClockKind.REASONS_REQUESTED]
    if not asked:
        return REASONS_FIRST
    if any(e.kind == ClockKind.DELAY_SET for e in events):
        return "本机关已认为申请理由合理并确定了延迟答复期限（第三十五条），不能再以理由不合理为由不予处理。"
    last = asked[-1]
    if any(e.kind == ClockKind.REASONS_GIVEN and e.date >= last.date for e in events):
        return ""
    answer_by = _date_or_none((last.data or {}).get("answer_by"))
    if answer_by is None:
        return "要求说明理由时未写明说明期限，申请人也未说明理由：请重新要求申请人在合理期限内说明理由（第三十五条）。"
    if on is None or on <= answer_by:
        return (
            f"申请人说明理由的期限（{answer_by.isoformat()}）尚未届满，申请人也尚未说明理由，"
            "不能以申请理由不合理为由不予处理（第三十五条）。"
        )
    return ""


@transaction.atomic
def reasons_receive(
    *, actor: Any, application: Application, date: dt.date | None = None, note: str = ""
) -> Application:
    """Record the applicant's reasons (第三十五条). Unsound → reply 5.4; sound → :func:`reply_delay_set` may follow."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "申请人说明理由")
    if _count(application, ClockKind.REASONS_REQUESTED) <= _count(application, ClockKind.REASONS_GIVEN):
        raise ValidationError("本申请没有尚待申请人说明的理由（第三十五条）。")
    _transition(
        application, _working(application), actor=actor, kind=ClockKind.REASONS_GIVEN, date=date, note=note
    )
    return application


@transaction.atomic
def reply_delay_set(
    *, actor: Any, application: Application, until: dt.date, reason: str, date: dt.date | None = None
) -> Application:
    """The reasons are sound but the reply cannot be made within 第三十三条: set a reasonable later reply date
    and tell the applicant (第三十五条). The date replaces the reply due date; drafts the 延迟答复告知书."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "确定延迟答复期限")
    if application.status not in (Status.REGISTERED, Status.IN_PROGRESS):
        raise ValidationError(f"申请当前状态为「{application.get_status_display()}」，不能确定延迟答复期限。")
    if not _count(application, ClockKind.REASONS_GIVEN):
        raise ValidationError(
            "确定延迟答复期限须先要求申请人说明理由并记录其理由；本机关认为理由合理时方可确定（第三十五条）。"
        )
    if _count(application, ClockKind.DELAY_SET):
        raise ValidationError("本申请已确定延迟答复期限。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明无法在法定期限内答复的原因。"})
    if application.reply_due is not None and date > application.reply_due:
        raise ValidationError(
            {"date": f"答复期限（{application.reply_due.isoformat()}）已过，不能再确定延迟答复期限。"}
        )
    if application.reply_due is not None and until <= application.reply_due:
        raise ValidationError(
            {
                "until": f"延迟答复期限应晚于按第三十三条计算的答复期限（{application.reply_due.isoformat()}）。"
            }
        )
    _transition(
        application,
        _working(application),
        actor=actor,
        kind=ClockKind.DELAY_SET,
        date=date,
        data={"reply_by": until.isoformat(), "reason": reason.strip()},
    )
    from .letters import letter_draft

    letter_draft(actor=actor, application=application, kind=LetterKind.DELAY)
    return application


# --- fees (国办函〔2020〕109号) -------------------------------------------------------------------


def monthly_count(application: Application) -> int:
    """The applicant's applications to this organisation in the calendar month of receipt, this one included."""
    day = application.received_on
    return Application.objects.filter(
        org=application.org,
        applicant_key=application.applicant_key,
        received_on__year=day.year,
        received_on__month=day.month,
        id__lte=application.id,
    ).count()


@transaction.atomic
def fee_notify(
    *,
    actor: Any,
    application: Application,
    method: FeeMethod | str,
    pages: int = 0,
    date: dt.date | None = None,
    delivery: FeeNotice.Delivery | str = FeeNotice.Delivery.IN_PERSON,
    received_on: dt.date | None = None,
) -> FeeNotice:
    """Send a 收费通知 (one method per application, chosen by the agency; 109号第三条).

    按件: the amount follows from the applicant's count in the month; 按量: from ``pages``. The
    reply clock stops from the sending day until payment; no payment by the deadline → outcome （六）2.
    The payment period runs from the day after the applicant *receives* the notice (clocks.FEE_RULE_NOTE):
    当面送达 → the handing-over day (the sending day); 邮寄 → the signed-for day, recorded later with
    :func:`fee_notice_receipt`; 网上（数据电文）/短信 → the day delivery is confirmed (``received_on`` when
    confirmed at sending, else recorded later). Until then the notice is 待确认送达.
    """
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "收费通知")
    due = application.reply_due
    if fee_notice_within_reply_period() and due is not None and date > due:
        raise ValidationError(
            {
                "date": f"收费通知应当在政府信息公开申请处理期限内发出（{FEE_PAYMENT_SOURCE}）。本申请的答复期限为"
                f"{due.isoformat()}，通知日期（{date.isoformat()}）已超过答复期限，不能再发出收费通知。"
            }
        )
    method = FeeMethod(method)
    try:
        delivery = FeeNotice.Delivery(delivery)
    except ValueError:
        raise ValidationError({"delivery": f"送达方式「{delivery}」无法识别。"}) from None
    if delivery == FeeNotice.Delivery.IN_PERSON:
        if received_on is not None and received_on != date:
            raise ValidationError({"received_on": "当面送达的，申请人收到日期即为送达（通知）当日。"})
        received_on = date
    elif received_on is not None:
        _check_fee_receipt(date, received_on)
    if application.fee_notices.exists():
        raise ValidationError("本申请已发出收费通知；同一申请只能选择一种计收方式（109号第三条）。")
    quantity = monthly_count(application) if method == FeeMethod.PER_APPLICATION else pages
    try:
        fee = compute_fee(method, quantity)
    except ValueError as exc:
        raise ValidationError({"pages": str(exc)}) from exc
    if fee.amount <= 0:
        raise ValidationError(f"按此方式本件不收费，无需发出收费通知。{fee.computation}")
    _transition(
        application,
        Status.AWAITING_FEE,
        actor=actor,
        kind=ClockKind.FEE_NOTICE_SENT,
        date=date,
        data={
            "method": str(method),
            "quantity": quantity,
            "amount": str(fee.amount),
            "delivery": str(delivery),
            **({"delivered": received_on.isoformat()} if received_on else {}),
        },
    )
    notice = FeeNotice(
        application=application,
        method=method,
        quantity=quantity,
        amount=fee.amount,
        computation=fee.computation,
        sent_on=date,
        delivery=delivery,
        received_on=received_on,
        due_on=application.fee_due,
    )
    notice.full_clean()
    notice.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=notice, org=application.org,
                 changes={"amount": [None, str(fee.amount)], "method": [None, str(method)],
                          "delivery": [None, str(delivery)], "received_on": [None, jsonable_date(received_on)]})  # fmt: skip
    from .letters import letter_draft

    letter_draft(actor=actor, application=application, kind=LetterKind.FEE_NOTICE)
    return notice


def fee_notice_within_reply_period() -> bool:
    """``GONGKAI_FEE_NOTICE_WITHIN_REPLY_PERIOD`` (default True): a fee notice only within the reply period, as
    the 四川 restatement of 109号 says (「应当在政府信息公开申请处理期限内……发出收费通知」, legal-basis.md §3.2)."""
    return bool(getattr(settings, "GONGKAI_FEE_NOTICE_WITHIN_REPLY_PERIOD", True))


def _check_fee_receipt(sent_on: dt.date, received_on: dt.date, *, today: dt.date | None = None) -> None:
    if received_on < sent_on:
        raise ValidationError(
            {
                "received_on": f"申请人收到日期（{received_on.isoformat()}）不能早于发出日期（{sent_on.isoformat()}）。"
            }
        )
    if received_on > (today or _today()):
        raise ValidationError({"received_on": f"申请人收到日期（{received_on.isoformat()}）不能晚于今天。"})


@transaction.atomic
def fee_notice_receipt(
    *, actor: Any, application: Application, received_on: dt.date, note: str = ""
) -> FeeNotice:
    """Record the day the applicant received a 收费通知 sent by post (签收之日) or online/SMS (确认送达之日).

    The payment period then runs 20 working days from the next day (clocks.FEE_RULE_NOTE). Once only:
    a recorded receipt day is not changed here.
    """
    application = _lock(application)
    _require(actor, application.org)
    notice = _open_notice(application)
    if notice.received_on is not None:
        raise ValidationError(f"收费通知的送达日期已记录为 {notice.received_on.isoformat()}，不能重复记录。")
    _check_fee_receipt(notice.sent_on, received_on)
    _transition(
        application,
        Status.AWAITING_FEE,
        actor=actor,
        kind=ClockKind.FEE_NOTICE_DELIVERED,
        date=received_on,
        data={"delivery": notice.delivery},
        note=note,
    )
    notice.received_on, notice.due_on = received_on, application.fee_due
    notice.save(update_fields=["received_on", "due_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=notice, org=application.org,
                 changes={"received_on": [None, received_on.isoformat()],
                          "due_on": [None, jsonable_date(notice.due_on)]})  # fmt: skip
    return notice


def _open_notice(application: Application) -> FeeNotice:
    notice = application.fee_notices.filter(state=FeeNotice.State.SENT).first()
    if notice is None:
        raise ValidationError("本申请没有待缴费的收费通知。")
    return notice


@transaction.atomic
def fee_paid(*, actor: Any, application: Application, date: dt.date | None = None) -> Application:
    """The applicant paid: the reply clock resumes the next day."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "缴费")
    notice = _open_notice(application)
    _transition(application, Status.IN_PROGRESS, actor=actor, kind=ClockKind.FEE_PAID, date=date)
    notice.state, notice.settled_on = FeeNotice.State.PAID, date
    notice.save(update_fields=["state", "settled_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=notice, org=application.org,
                 changes={"state": ["sent", "paid"]})  # fmt: skip
    return application


@transaction.atomic
def fee_unpaid(*, actor: Any, application: Application, date: dt.date | None = None) -> Application:
    """Not paid by the deadline → the agency stops processing: outcome （六）2 (clocks.FEE_RULE_NOTE).

    Refused while the applicant's receipt day is unknown (待确认送达: the period has not started) and on
    or before the payment deadline.
    """
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "确认逾期未缴费")
    notice = _open_notice(application)
    if notice.received_on is None:
        raise ValidationError(
            "收费通知的送达日期尚待确认（待确认送达）：缴费期限自申请人收到收费通知的次日起计算，"
            "送达日期确认前不能认定申请人逾期未缴费。"
        )
    if application.fee_due is None or date <= application.fee_due:
        due = application.fee_due.isoformat() if application.fee_due else "未知"
        raise ValidationError(f"缴费期限（{due}）尚未届满，不能认定申请人逾期未缴费。")
    if is_provisional(notice.received_on, application.fee_due):
        # A period reaching a year whose holidays are not loaded may really end later: closing the application
        # as 视为放弃 on such a date could cut the applicant's time short.
        raise ValidationError(
            f"缴费期限（{application.fee_due.isoformat()}）为暂定：涉及尚未载入节假日安排的年度，"
            "载入该年度安排、期限确定后才能认定申请人逾期未缴费。"
        )
    _transition(
        application,
        Status.ABANDONED,
        actor=actor,
        kind=Step.FEE_UNPAID,
        date=date,
        updates={"outcome": Outcome.FEE_UNPAID, "closed_on": date},
    )
    notice.state, notice.settled_on = FeeNotice.State.UNPAID, date
    notice.save(update_fields=["state", "settled_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=notice, org=application.org,
                 changes={"state": ["sent", "unpaid"]})  # fmt: skip
    from .letters import letter_draft

    letter_draft(actor=actor, application=application, kind=LetterKind.REPLY)
    return application


# --- reply, withdrawal, closing ----------------------------------------------------------------

# Outcomes a reply may carry: 6.1/6.2 come only from the 补正/fee paths, 6.3 from withdrawal or closing otherwise.
REPLY_OUTCOMES = frozenset(Outcome.values) - {Outcome.NO_CORRECTION, Outcome.FEE_UNPAID}

_REASONS = "答复要点或理由"
_WITHHELD_REASONS_ERROR = "部分公开、不予公开的答复须写明不予公开的理由（《中华人民共和国政府信息公开条例》第三十六条第三项、第三十七条）。"
# What a reply needs besides its outcome, per (outcome, basis): field, its label, the error when it is empty.
# Imported historical rows are exempt (ledger). The README table lists the labels (letters.outcome_table).
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
    # A withdrawal (application_withdraw) needs none: its letter states the withdrawal (letters._reply_body).
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


@transaction.atomic
def application_reply(
    *,
    actor: Any,
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
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "答复")
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
    basis = str(basis or "")
    if basis and basis not in ReplyBasis.values:
        raise ValidationError({"basis": f"答复依据「{basis}」无法识别。"})
    used = _REPLY_FIELDS.get((str(outcome), basis), frozenset())
    if "referral_org" in used and referral_org is not None:
        referral_name = referral_name.strip() or referral_org.name
        referral_contact = referral_contact.strip() or org_contact(referral_org)
    grounds = [str(g) for g in withheld_grounds]
    values: dict[str, Any] = {
        # 表三 order first; unknown codes are kept so that reply_requirements names them
        "withheld_grounds": [g for g in WITHHOLDING_GROUNDS if g in grounds]
        + sorted(set(grounds) - set(WITHHOLDING_GROUNDS)),
        "access_route": access_route.strip(),
        "other_procedure": other_procedure.strip(),
        "referral_org": referral_org,
        "referral_name": referral_name.strip(),
        "referral_contact": referral_contact.strip(),
    }
    blank: dict[str, Any] = {"withheld_grounds": [], "referral_org": None}
    updates: dict[str, Any] = {
        "outcome": outcome,
        "closed_on": date,
        "reply_summary": summary.strip(),
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
    _transition(
        application,
        Status.REPLIED,
        actor=actor,
        kind=ClockKind.ANSWERED,
        date=date,
        data={"outcome": str(outcome)},
        updates=updates,
    )
    from .letters import letter_draft

    letter_draft(actor=actor, application=application, kind=LetterKind.REPLY)
    return application


@transaction.atomic
def application_withdraw(
    *, actor: Any, application: Application, date: dt.date | None = None, note: str = ""
) -> Application:
    """The applicant withdrew: closed with outcome （六）3 其他 (contract: withdrawn ⇒ 6.3)."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "撤回")
    _transition(
        application,
        Status.WITHDRAWN,
        actor=actor,
        kind=Step.WITHDRAWN,
        date=date,
        note=note,
        updates={"outcome": Outcome.OTHER, "closed_on": date},
    )
    return application


@transaction.atomic
def application_close(*, actor: Any, application: Application, date: dt.date | None = None) -> Application:
    """Archive a replied, abandoned or withdrawn application (办结归档)."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "办结")
    _transition(application, Status.CLOSED, actor=actor, kind=Step.CLOSED, date=date)
    return application


# --- deadline recompute when the calendar changes (workdays registry) ------------------------


def recompute_open_deadlines(change: Any) -> Any:
    """Deadline source for workdays: recompute every open application; audit and notify the ones that moved."""
    from gongkai.workdays.registry import RecomputeResult

    examined = changed = 0
    open_apps = Application.objects.filter(status__in=OPEN_STATUSES).select_related("org", "assignee")
    for application in open_apps.prefetch_related("events"):
        examined += 1
        before = (application.reply_due, application.fee_due, application.deadline_provisional)
        refresh_deadlines(application)
        after = (application.reply_due, application.fee_due, application.deadline_provisional)
        if before == after:
            continue
        changed += 1
        if before[1] != after[1]:
            application.fee_notices.filter(state=FeeNotice.State.SENT).update(due_on=after[1])
        application.save(
            update_fields=[
                "clock_state",
                "reply_due",
                "fee_due",
                "correction_notice_due",
                "deadline_provisional",
                "deadline_steps",
                "deadline_warnings",
                "updated_at",
            ]  # fmt: skip
        )
        audit_record(
            actor=getattr(change, "actor", None),
            action=AuditAction.UPDATE,
            obj=application,
            org=application.org,
            changes={
                "reply_due": [jsonable_date(before[0]), jsonable_date(after[0])],
                "reason": "节假日安排变更",
            },
        )
        if application.assignee and application.assignee.email and before[0] != after[0]:
            change.notify(
                recipients=[application.assignee.email],
                subject=f"申请 {application.tracking_code} 的答复期限已变更",
                body=(
                    f"因载入新的节假日安排，申请 {application.tracking_code}（{application.info_title}）的答复期限"
                    f"由 {jsonable_date(before[0]) or '—'} 变更为 {jsonable_date(after[0]) or '—'}。"
                ),
            )
    return RecomputeResult(source="applications", examined=examined, changed=changed)


def jsonable_date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- remedies (表四) --------------------------------------------------------------------------


@transaction.atomic
def remedy_create(
    *,
    actor: Any,
    org: Organisation,
    kind: RemedyKind | str,
    filed_on: dt.date,
    body: str = "",
    case_number: str = "",
    application: Application | None = None,
    result: RemedyResult | str = RemedyResult.PENDING,
    closed_on: dt.date | None = None,
    note: str = "",
    imported: bool = False,
) -> RemedyCase:
    """Register a 行政复议 / 行政诉讼 case (第五十一条; 表四). A closed case needs a result and a closing date."""
    _require(actor, org)
    if application is not None and application.org_id != org.pk:
        raise ValidationError({"application": "关联申请须由同一机关办理。"})
    case = RemedyCase(
        org=org,
        kind=kind,
        filed_on=filed_on,
        body=body.strip(),
        case_number=case_number.strip(),
        application=application,
        result=result,
        closed_on=closed_on,
        note=note,
        imported=imported,
    )
    _clean_remedy(case)
    case.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=case, org=org,
                 changes=diff({}, snapshot(case, REMEDY_FIELDS)))  # fmt: skip
    return case


REMEDY_FIELDS = ("kind", "filed_on", "body", "case_number", "result", "closed_on", "application", "note")


def _clean_remedy(case: RemedyCase) -> None:
    if (case.result == RemedyResult.PENDING) != (case.closed_on is None):
        raise ValidationError({"closed_on": "已审结的案件须填写结果和审结日期；尚未审结的案件不填审结日期。"})
    if case.closed_on and case.closed_on < case.filed_on:
        raise ValidationError({"closed_on": "审结日期不能早于收到（立案）日期。"})
    case.full_clean()


@transaction.atomic
def remedy_update(*, actor: Any, case: RemedyCase, **fields: Any) -> RemedyCase:
    """Change a case (typically: record its result and closing date)."""
    case = RemedyCase.objects.select_for_update().select_related("org").get(pk=case.pk)
    _require(actor, case.org)
    before = snapshot(case, REMEDY_FIELDS)
    for name, value in fields.items():
        if name not in REMEDY_FIELDS:
            raise ValidationError(f"不能修改字段「{name}」。")
        setattr(case, name, value)
    _clean_remedy(case)
    case.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, org=case.org,
                 changes=diff(before, snapshot(case, REMEDY_FIELDS)))  # fmt: skip
    return case
