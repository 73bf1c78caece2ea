"""Intake: staff registration, the public online submission, tracking codes and status-page secrets."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from pydantic import Field
from pydantic.dataclasses import dataclass

from gongkai.applications.clocks import EventKind as ClockKind
from gongkai.applications.receipt import receipt_date
from gongkai.core.actors import SYSTEM_PUBLIC, Actor, acting_user
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.notifications.services import check_contact
from gongkai.notifications.vocab import NoticeChannel
from gongkai.orgs.models import Organisation
from gongkai.orgs.public_pages import org_pages_changed
from gongkai.workdays.table import WorkdaysError

from .. import crypto, notices
from ..attachments import SniffedFile, sniff_upload
from ..models import Application, ApplicationEvent, Attachment, Status, TrackingCounter
from ..vocab import ApplicantType, Channel, DeliveryForm, DeliveryMethod, IdType
from .machine import local_today as _today
from .machine import refresh_deadlines
from .machine import require as _require


def next_tracking_code(year: int) -> str:
    """Draw the next serial of ``year`` under a row lock: unique under concurrency, gap-free per year."""
    return f"YS{year}{TrackingCounter.locked(year=year).draw():06d}"


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(application: Application, secret: str) -> bool:
    return bool(application.secret_hash) and hmac.compare_digest(
        application.secret_hash, secret_digest(secret)
    )


# The two parts of an application (第二十九条第二款) are checked on construction (pydantic): the staff form, the
# public form and the API (``schemas.PublicSubmitIn``, ``RegisterIn``: their JSON input) all hand in these types.


@dataclass(frozen=True)
class ApplicantData:
    """What 第二十九条第二款第一项 asks for: who applies and how to reach them."""

    applicant_type: ApplicantType
    name: str
    id_type: IdType | Literal[""] = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    contact_person: str = ""
    notify: NoticeChannel | Literal[""] = Field(
        default="", description="办理进展通知方式：email 电子邮件、sms 短信、none 不通知（空：未询问）"
    )


@dataclass(frozen=True)
class RequestData:
    """What 第二十九条第二款第二项、第三项 ask for: the information sought and the form wanted."""

    info_title: str
    info_doc_number: str = ""
    info_description: str = ""
    delivery_form: DeliveryForm = DeliveryForm.ELECTRONIC
    delivery_method: DeliveryMethod = DeliveryMethod.EMAIL


IDENTITY_BASIS = (
    "申请人为自然人的，应当提供身份证明（《中华人民共和国政府信息公开条例》第二十九条第二款第一项）"
)


def identity_errors(applicant_type: str, id_type: str, id_number: str) -> dict[str, str]:
    """What a citizen's (自然人) application lacks of its 身份证明 — 证件类型 and 证件号码 — by field, or {}.

    第二十九条第二款第一项 asks for the applicant's 姓名或者名称、身份证明、联系方式. The online submission (form and
    API) must carry it; staff registering a visit or a letter record what the papers show (a missing 身份证明 is
    then a matter for 补正, 第三十条), so ``application_register`` does not ask this."""
    if applicant_type != ApplicantType.NATURAL_PERSON:
        return {}
    errors: dict[str, str] = {}
    if not id_type:
        errors["id_type"] = f"请选择证件类型。{IDENTITY_BASIS}。"
    if not "".join((id_number or "").split()):
        errors["id_number"] = f"请填写证件号码。{IDENTITY_BASIS}。"
    return errors


def _applicant_fields(applicant: ApplicantData) -> dict[str, Any]:
    id_number = "".join(applicant.id_number.split()).upper()
    phone = "".join(applicant.phone.split())
    if not (phone or applicant.email.strip() or applicant.address.strip()):
        raise ValidationError(
            {"phone": "请至少填写一种联系方式（电话、电子邮箱或通信地址）（第二十九条第二款第一项）。"}
        )
    check_contact(applicant.notify, email=applicant.email, phone=phone)
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


def report_pages_follow(org: Organisation, received_on: dt.date) -> None:
    """An application received in a year already over may sit in a published report's 每月收到申请 chart (drawn
    from the records): its organisation's public pages, and those above it (a report may cover the subtree)."""
    if received_on.year < _today().year:
        org_pages_changed(org)


def _create(
    *,
    actor: Actor,
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
    application.tracking_code = next_tracking_code(received_on.year)
    application.save()
    event = ApplicationEvent.objects.create(
        application=application,
        kind=ClockKind.RECEIVED,
        date=received_on,
        actor=acting_user(actor),
        data={"channel": str(channel)},
        note=note,
    )
    for f in files:
        Attachment.objects.create(application=application, **f.attachment_fields())
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
    report_pages_follow(org, received_on)
    if applicant.notify:
        notices.on_received(actor=actor, application=application, channel=applicant.notify)
    return application, secret


@transaction.atomic
def application_register(
    *,
    actor: Actor,
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
    uploads: Iterable[UploadedFile] = (),
) -> Application:
    """Staff registration of an application received by any channel; ``uploads``: the scanned 申请表 / 信函 and
    other papers, checked by the same upload guards as the public form's attachments.

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
            "assignee": assignee or acting_user(actor),
        },
        files=[sniff_upload(u) for u in uploads],
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
    of submission is the 双方确认之日 and the receipt day (《条例》第三十一条第三项). A citizen (自然人) must give
    the 身份证明 of 第二十九条第二款第一项 (``identity_errors``).
    """
    if errors := identity_errors(applicant.applicant_type, applicant.id_type, applicant.id_number):
        raise ValidationError(errors)
    day = today or _today()
    files = [sniff_upload(u) for u in uploads]
    return _create(
        actor=SYSTEM_PUBLIC,
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
