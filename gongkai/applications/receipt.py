"""Submission channels and the date an application counts as received (《条例》第三十一条)."""

from __future__ import annotations

import datetime as dt

from django.db import models

from gongkai.workdays.table import WorkdaysError


class Channel(models.TextChoices):
    """How an application was submitted; labels are the terms of 第三十一条."""

    IN_PERSON = "in_person", "当面提交"
    POST = "post", "邮寄"
    ORDINARY_MAIL = "ordinary_mail", "平常信函"
    INTERNET = "internet", "互联网渠道"
    FAX = "fax", "传真"


# What counts as the day of receipt, per channel (shown to staff next to the date field).
RECEIPT_RULES: dict[str, str] = {
    Channel.IN_PERSON: "当面提交的，以提交之日为收到申请之日（第三十一条第一项）。",
    Channel.POST: "邮寄提交的，以行政机关签收之日为收到申请之日（第三十一条第二项）。",
    Channel.ORDINARY_MAIL: (
        "以平常信函等无需签收的邮寄方式提交的，政府信息公开工作机构应当于收到申请的当日与申请人确认，"
        "确认之日为收到申请之日（第三十一条第二项）。"
    ),
    Channel.INTERNET: "通过互联网渠道提交的，以双方确认之日为收到申请之日（第三十一条第三项）。",
    Channel.FAX: "通过政府信息公开工作机构的传真提交的，以双方确认之日为收到申请之日（第三十一条第三项）。",
}

# The date that decides receipt, per channel, and its Chinese name (for error messages).
_DECIDING_DATE: dict[str, tuple[str, str]] = {
    Channel.IN_PERSON: ("submitted", "提交日期"),
    Channel.POST: ("signed_for", "签收日期"),
    Channel.ORDINARY_MAIL: ("confirmed", "与申请人确认的日期"),
    Channel.INTERNET: ("confirmed", "双方确认的日期"),
    Channel.FAX: ("confirmed", "双方确认的日期"),
}


def receipt_date(
    *,
    channel: Channel | str,
    submitted: dt.date | None = None,
    signed_for: dt.date | None = None,
    confirmed: dt.date | None = None,
) -> dt.date:
    """The day an application counts as received (收到申请之日), per 《条例》第三十一条.

    当面提交 → the submission day; 邮寄 → the day the agency signs for it (签收之日); 平常信函 →
    the day receipt was confirmed with the applicant; 互联网渠道/传真 → the day both sides
    confirmed (双方确认之日). Only the deciding date is required; ``submitted`` (the day the
    applicant sent it), when given, may not be later than the deciding date.
    """
    try:
        channel = Channel(channel)
    except ValueError:
        choices = "、".join(label for _, label in Channel.choices)
        raise WorkdaysError(f"提交方式「{channel}」无法识别，应为：{choices}。") from None
    attr, label = _DECIDING_DATE[channel]
    deciding = {"submitted": submitted, "signed_for": signed_for, "confirmed": confirmed}[attr]
    if deciding is None:
        raise WorkdaysError(f"{channel.label}的申请须填写{label}：{RECEIPT_RULES[channel]}")
    if submitted is not None and submitted > deciding:
        raise WorkdaysError(
            f"{label}（{deciding.isoformat()}）不能早于申请人提交的日期（{submitted.isoformat()}）。"
        )
    return deciding
