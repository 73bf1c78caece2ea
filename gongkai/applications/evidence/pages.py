"""What the generated pages of an evidence bundle say: the 登记回执, the 送达情况表, the timeline with each deadline
and its explanation, and the audit extract. Each function returns a template context; ``pdf.part`` renders it.

Personal data: the applicant is named as the letters name them (主送); ID numbers appear masked as on staff
lists, phone numbers and e-mail addresses not at all (the letters carry none). Audit rows hold no personal
values (core.services.PERSONAL_FIELDS), so the extract copies them as they are."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html_join

from gongkai.core.audit_display import change_rows, object_label
from gongkai.core.models import AuditEntry

from .. import crypto
from ..clocks.remedy import RemedyAnswer
from ..dossier import IssuedLetter
from ..models import Application, RemedyCase
from ..receipt import RECEIPT_RULES
from ..selectors import ChallengedLetter
from ..vocab import APPLICANT_LETTER_KINDS, DeliveryForm, DeliveryMethod


def applicant_name(application: Application) -> str:
    """The applicant as the letters show it: the 主送 of the last issued letter to them, else the record."""
    letter = (
        application.letters.filter(issued_at__isnull=False, kind__in=APPLICANT_LETTER_KINDS)
        .exclude(recipient="")
        .order_by("-issued_at", "-id")
        .first()
    )
    return letter.recipient.rstrip("：:").strip() if letter is not None else application.applicant_name


def registration(application: Application, applicant: str) -> dict[str, Any]:
    """政府信息公开申请登记回执: how and when the application was received (第三十一条) and what it asks for."""
    a = application
    received_rule = RECEIPT_RULES.get(a.channel, "")
    fields = [
        ("申请编号", a.tracking_code),
        ("受理机关", a.org.name),
        ("申请人", applicant),
        ("申请人类型", a.get_applicant_type_display()),
        ("证件", f"{a.get_id_type_display()} {crypto.mask(a.id_number_tail)}" if a.id_number_tail else "—"),
        ("申请渠道", a.get_channel_display() + (f"（{a.channel_note}）" if a.channel_note else "")),
        ("提交日期", _date(a.submitted_on)),
        ("签收日期", _date(a.signed_for_on)),
        ("确认日期", _date(a.confirmed_on)),
        ("收到申请日期", _date(a.received_on)),
        ("所需信息名称", a.info_title),
        ("文号", a.info_doc_number or "—"),
        ("特征描述", a.info_description or "—"),
        ("获取信息的方式", _label(DeliveryMethod, a.delivery_method)),
        ("信息的载体形式", _label(DeliveryForm, a.delivery_form)),
        ("登记时间", a.created_at.strftime("%Y-%m-%d %H:%M")),
    ]
    note = "网上提交：申请编号即为双方确认收到申请的凭证。" if a.submitted_online else ""
    return {"a": a, "fields": fields, "received_rule": received_rule, "note": note}


def delivery(letters: list[IssuedLetter]) -> dict[str, Any]:
    """文书送达情况表: every issued letter, how and when it reached its addressee, and whether a proof is kept."""
    rows = []
    for item in letters:
        d = item.delivery
        rows.append(
            {
                "title": item.letter.title,
                "number": item.letter.number,
                "dated": _date(item.letter.dated),
                "recipient": item.letter.recipient.rstrip("：:"),
                "method": (
                    d.get_method_display()
                    + (f"（邮件号码 {d.tracking_number}）" if d.tracking_number else "")
                )
                if d
                else "未记录",
                "sent": _date(d.sent_on) if d else "—",
                "received": (_date(d.received_on) if d.received_on else "待确认送达") if d else "—",
                "proof": "见后附" if item.proof is not None else "无",
            }
        )
    return {"rows": rows}


def timeline(
    application: Application,
    case: RemedyCase,
    answer: RemedyAnswer,
    challenged: ChallengedLetter | None,
    letters: list[IssuedLetter],
) -> dict[str, Any]:
    """The application's events in order, its letters, and each deadline with the clocks' own explanation."""
    a = application
    events = [
        {"date": _date(e.date), "label": e.get_kind_display(), "details": e.details, "note": e.note}
        for e in a.events.order_by("date", "id")
    ]
    for item in letters:
        d = item.delivery
        if d is not None:
            events.append(
                {
                    "date": _date(d.sent_on),
                    "label": f"送达「{item.letter.title}」",
                    "details": d.get_method_display()
                    + (f"，{_date(d.received_on)}签收（确认送达）" if d.received_on else "，待确认送达"),
                    "note": d.note,
                }
            )
    events.sort(key=lambda e: e["date"])
    deadlines = [
        {
            "label": "答复期限",
            "due": _date(a.reply_due),
            "provisional": a.deadline_provisional,
            "steps": list(a.deadline_steps or []),
            "warnings": list(a.deadline_warnings or []),
        }
    ]
    if a.correction_until:
        deadlines.append({"label": "补正期限", "due": _date(a.correction_until), "steps": [], "warnings": []})
    if a.fee_due:
        deadlines.append({"label": "缴费期限", "due": _date(a.fee_due), "steps": [], "warnings": []})
    if challenged is not None and challenged.period is not None:
        p = challenged.period
        deadlines.append({"label": p.label, "due": _date(p.due), "steps": list(p.steps), "warnings": []})
    deadlines.append(
        {
            "label": f"「{answer.label}」期限",
            "due": answer.due_text,
            "provisional": bool(answer.due and answer.due.provisional),
            "steps": list(answer.steps),
            "warnings": list(answer.warnings),
        }
    )
    return {"a": a, "case": case, "events": events, "deadlines": deadlines, "outcome": a.outcome_display}


def audit_entries(application: Application) -> list[AuditEntry]:
    """The audit rows of the application and of its letters, deliveries, stamps, fee notices, attachments and
    remedy cases, in the order written."""
    a = application
    related = {
        "applications.application": [a.pk],
        "applications.letter": list(a.letters.values_list("pk", flat=True)),
        "applications.letterdelivery": list(
            a.letters.filter(delivery__isnull=False).values_list("delivery__pk", flat=True)
        ),
        "applications.letterstamp": list(
            a.letters.filter(stamp__isnull=False).values_list("stamp__pk", flat=True)
        ),
        "applications.feenotice": list(a.fee_notices.values_list("pk", flat=True)),
        "applications.attachment": list(a.attachments.values_list("pk", flat=True)),
        "applications.remedycase": list(a.remedy_cases.values_list("pk", flat=True)),
    }
    where = Q()
    for object_type, ids in related.items():
        if ids:
            where |= Q(object_type=object_type, object_id__in=[str(i) for i in ids])
    return list(AuditEntry.objects.filter(where).order_by("id"))


def audit(entries: list[AuditEntry]) -> dict[str, Any]:
    rows = [
        {
            "id": e.id,
            "at": timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            "actor": e.actor_name,
            "action": e.get_action_display(),
            "object": object_label(e.object_type),
            "changes": format_html_join("；", "{}：{}", change_rows(e.object_type, e.changes)),
            "hash": e.hash[:16],
        }
        for e in entries
    ]
    return {"rows": rows}


def _date(day: Any) -> str:
    return day.isoformat() if day else "—"


def _label(vocabulary: Any, value: str) -> str:
    try:
        return str(vocabulary(value).label) if value else "—"
    except ValueError:
        return "—"
