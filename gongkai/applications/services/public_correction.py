"""The applicant's 补正 sent online from the status page (《条例》第三十条).

It is the same step as a 补正 a clerk records (``corrected`` in ``workflow.STEPS``): the application goes back to
办理中 and the 20 working days restart from the day the 补正 is received — here the day it is sent, since the
platform confirms receipt on the spot, as for the application itself (第三十一条第三项). The text is the event's
note, the files are kept as 补正材料 through the same upload guards as the public form, the step writes the
audit row, and the handling staff are mailed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from gongkai.core.actors import SYSTEM_PUBLIC

from ..attachments import MAX_ATTACHMENTS, sniff_upload
from ..models import Application, Attachment, AttachmentPurpose
from ..staff_alerts import alert_handling_staff
from ..states import Status
from .machine import local_today, take

MAX_CORRECTION_TEXT = 5000
NOT_AWAITING = "本申请当前不需要补正（状态为「{state}」），不能在线提交补正。"
PAST_DEADLINE = "补正期限（{until}）已过，不能在线提交补正。如有正当理由，请与办理机关联系（《中华人民共和国政府信息公开条例》第三十条）。"


def correction_open(application: Application, *, today: dt.date | None = None) -> str:
    """ "" when the applicant may send the 补正 online now, else the reason (Chinese)."""
    if application.status != Status.AWAITING_CORRECTION:
        return NOT_AWAITING.format(state=application.get_status_display())
    until = application.correction_until
    if until is not None and (today or local_today()) > until:
        return PAST_DEADLINE.format(until=f"{until.year}年{until.month}月{until.day}日")
    return ""


@transaction.atomic
def correction_submit_public(
    *, application: Application, text: str, uploads: Iterable[UploadedFile] = (), today: dt.date | None = None
) -> Application:
    """Record the applicant's online 补正 (``text`` and up to three files) as the 补正 received today: the reply
    period restarts from today (第三十条). Refused while the application does not await a 补正, after the 补正
    period ended (the office decides whether a late 补正 had good reason), and when nothing is sent."""
    day = today or local_today()
    text = (text or "").strip()
    files = [sniff_upload(u) for u in uploads]
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": f"最多可上传 {MAX_ATTACHMENTS} 个文件。"})
    if not text and not files:
        raise ValidationError({"text": "请填写补正内容，或上传补正材料。"})
    if len(text) > MAX_CORRECTION_TEXT:
        raise ValidationError({"text": f"补正内容不能超过 {MAX_CORRECTION_TEXT} 字。"})
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if refusal := correction_open(locked, today=day):
        raise ValidationError(refusal)
    result: Application = take(
        locked, "corrected", actor=SYSTEM_PUBLIC, date=day, note=text,
        event_data={"online": True, "attachments": len(files)},
    )  # fmt: skip
    for f in files:
        Attachment.objects.create(
            application=result, purpose=AttachmentPurpose.CORRECTION, **f.attachment_fields()
        )
    due = result.reply_due
    alert_handling_staff(
        result,
        subject=f"申请 {result.tracking_code} 的申请人已在线补正",
        body=(
            f"{result.org.display_name}收到的政府信息公开申请 {result.tracking_code}（{result.info_title}）"
            f"的申请人于 {day.isoformat()} 通过查询页面在线提交了补正"
            f"（补正说明 {len(text)} 字，材料 {len(files)} 件），申请已转为办理中。\n"
            f"答复期限自收到补正之日起重新计算（《中华人民共和国政府信息公开条例》第三十条），"
            f"现为 {due.isoformat() if due else '待定'}。请登录后台查看：{reverse('applications:detail', args=[result.pk])}"
        ),
    )
    return result
