"""Applicant notifications: the choice at submission, messages queued by the workflow's declared steps, sending
through the test doubles (Django's locmem mail backend, the recording SMS gateway), retries with backoff, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone
from pydantic import ValidationError as PydanticValidationError

from gongkai.applications.services import extensions, fee_notices, replies, steps
from gongkai.applications.vocab import FeeMethod, Outcome, ReplyBasis
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry
from gongkai.notifications import gateways
from gongkai.notifications.gateways import RecordingGateway
from gongkai.notifications.models import Message, Preference
from gongkai.notifications.services import backoff, check_contact, message_retry, send_due
from gongkai.notifications.vocab import MessageStatus, NoticeChannel

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db


class FailingGateway:
    """A gateway that always refuses, quoting the number as real gateways do (it must not reach the outbox)."""

    def send(self, *, phone: str, text: str) -> str:
        raise gateways.DeliveryError(f"号码 {phone} 发送失败：网关返回 isv.BUSINESS_LIMIT_CONTROL")


FAILING = "gongkai.notifications.tests.test_outbox.FailingGateway"


@pytest.fixture(autouse=True)
def fresh_gateway_cache():
    gateways._gateway.cache_clear()
    yield
    gateways._gateway.cache_clear()


def audits(message: Message) -> list[dict]:
    rows = AuditEntry.objects.filter(object_type="notifications.message", object_id=str(message.pk)).order_by(
        "id"
    )
    return [r.changes for r in rows]


def test_applicant_with_email_is_told_at_receipt_and_at_reply(register, office):
    # given an applicant who chose e-mail
    a = register(notify=NoticeChannel.EMAIL)
    # then the 受理 message waits in the outbox and goes out through the mail backend when the job runs
    assert [m.topic for m in Message.objects.filter(application=a)] == ["受理"]
    assert str(send_due(actor=SYSTEM_TEST)) == "已发送 1 条，待重试 0 条，失败 0 条。"
    assert len(mail.outbox) == 1
    received = mail.outbox[0]
    assert received.to == ["zhangsan@example.org"]
    assert a.tracking_code in received.subject and "已收到" in received.subject
    assert a.tracking_code in received.body and a.org.display_name in received.body
    assert a.reply_due.strftime("%Y年%-m月%-d日") in received.body
    # no more personal data than needed: neither the name nor the ID number nor the phone
    assert "张三" not in received.body and "002X" not in received.body and "13800138000" not in received.body

    # when the application is answered
    replies.application_reply(
        actor=office["clerk"],
        application=a,
        outcome=Outcome.NOT_HELD,
        basis=ReplyBasis.NOT_EXIST,
        date=D("2026-03-10"),
    )
    send_due(actor=SYSTEM_TEST)
    # then a second e-mail tells the outcome and the date
    assert len(mail.outbox) == 2
    assert "已答复" in mail.outbox[1].subject and "2026年3月10日" in mail.outbox[1].body
    assert "本机关不掌握相关政府信息" in mail.outbox[1].body
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    # and every message has its audit rows: queued, then sent
    for m in Message.objects.all():
        assert [c.get("result", [None, "生成"])[1] for c in audits(m)] == ["生成", "已发送"]


def test_each_declared_step_queues_its_message(register, office):
    clerk = office["clerk"]
    a = register(notify=NoticeChannel.EMAIL)
    steps.correction_request(actor=clerk, application=a, items="请补充所需信息的文号", until=D("2026-03-20"),
                             date=D("2026-03-03"))  # fmt: skip
    steps.correction_receive(actor=clerk, application=a, date=D("2026-03-05"))
    a.refresh_from_db()
    extensions.extension_approve(actor=SYSTEM_TEST, application=a, days=10, approved_by="李主任", reason="需要协调",
                                 date=D("2026-03-06"))  # fmt: skip
    fee_notices.fee_notify(
        actor=clerk, application=a, method=FeeMethod.PER_PAGE, pages=150, date=D("2026-03-09")
    )
    steps.application_assign(actor=clerk, application=a, assignee=clerk)  # no notice declared for this step
    topics = list(Message.objects.filter(application=a).order_by("id").values_list("topic", "body"))
    assert [t for t, _ in topics] == ["受理", "补正", "延期", "收费"]
    assert "2026年3月20日前" in topics[1][1] and "视为放弃申请" in topics[1][1]
    assert "1700.00元" in topics[3][1] and "缴费期限为2026年4月7日" in topics[3][1]


def test_no_choice_or_no_notice_sends_nothing(register):
    quiet = register()  # staff registration through the service without a choice
    declined = register(notify=NoticeChannel.NONE)
    assert not Message.objects.exists()
    assert not Preference.objects.filter(application=quiet).exists()
    assert Preference.objects.get(application=declined).channel == NoticeChannel.NONE
    assert send_due(actor=SYSTEM_TEST).sent == 0 and mail.outbox == []


def test_sms_goes_through_the_recording_gateway(register):
    a = register(notify=NoticeChannel.SMS, phone="138 0013 8000")
    message = Message.objects.get(application=a)
    assert message.recipient_masked == "****8000" and "13800138000" not in message.recipient_sealed
    send_due(actor=SYSTEM_TEST)
    assert [s.phone for s in RecordingGateway.sent] == ["13800138000"]
    assert a.tracking_code in RecordingGateway.sent[0].text and mail.outbox == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"notify": NoticeChannel.EMAIL, "email": ""}, "选择电子邮件通知的，请填写电子邮箱。"),
        ({"notify": NoticeChannel.SMS, "phone": ""}, "选择短信通知的，请填写手机号码。"),
        ({"notify": NoticeChannel.SMS, "phone": "010-12345678"}, "选择短信通知的，请填写11位手机号码。"),
    ],
)
def test_the_channel_needs_its_contact(register, fields, message):
    with pytest.raises(ValidationError, match=message):
        register(**fields)
    assert not Message.objects.exists()


def test_an_unknown_channel_is_refused(register):
    # The applicant's data (forms, API) takes only the channels there are; a direct caller of check_contact
    # (preference_set) is told in Chinese.
    with pytest.raises(PydanticValidationError, match="notify"):
        register(notify="fax")
    with pytest.raises(ValidationError, match="请选择通知方式"):
        check_contact("fax", email="a@example.org", phone="")
    assert not Message.objects.exists()


@override_settings(
    GONGKAI_SMS_GATEWAY=FAILING, GONGKAI_NOTIFY_MAX_ATTEMPTS=3, GONGKAI_NOTIFY_BACKOFF_SECONDS=300
)
def test_failures_back_off_then_fail_and_are_audited(register):
    a = register(notify=NoticeChannel.SMS)
    message = Message.objects.get(application=a)
    t0 = message.next_attempt_at + dt.timedelta(seconds=1)
    # first try fails: attempt counted, next try after 5 minutes, the reason kept without the number
    report = send_due(actor=SYSTEM_TEST, now=t0)
    message.refresh_from_db()
    assert (report.retrying, message.status, message.attempts) == (1, MessageStatus.PENDING, 1)
    assert message.next_attempt_at == t0 + dt.timedelta(minutes=5)
    assert "BUSINESS_LIMIT_CONTROL" in message.last_error and "13800138000" not in message.last_error
    assert "****8000" in message.last_error
    # not due yet: nothing is tried
    assert (
        str(send_due(actor=SYSTEM_TEST, now=t0 + dt.timedelta(minutes=4)))
        == "已发送 0 条，待重试 0 条，失败 0 条。"
    )
    # second try after the wait; the next wait doubles
    send_due(actor=SYSTEM_TEST, now=t0 + dt.timedelta(minutes=5))
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at == t0 + dt.timedelta(minutes=15)
    # the third and last allowed try: 失败, no next attempt
    report = send_due(actor=SYSTEM_TEST, now=t0 + dt.timedelta(minutes=15))
    message.refresh_from_db()
    assert (report.failed, message.status, message.next_attempt_at) == (1, MessageStatus.FAILED, None)
    failed = [c for c in audits(message) if c.get("result") == [None, "发送失败"]]
    assert len(failed) == 3 and all("13800138000" not in str(c) for c in failed)
    assert RecordingGateway.sent == []


def test_backoff_doubles_and_is_capped():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [300, 600, 1200, 2400]
    assert backoff(30) == dt.timedelta(days=1)


def test_retry_puts_a_failed_message_back_and_checks_permission(register, office):
    a = register(notify=NoticeChannel.EMAIL)
    message = Message.objects.get(application=a)
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.FAILED, attempts=5, next_attempt_at=None
    )
    with pytest.raises(PermissionDenied):
        message_retry(actor=office["outsider"], message=message)
    with pytest.raises(PermissionDenied):
        message_retry(actor=office["supervisor"], message=message)  # may view, may not act
    message_retry(actor=office["clerk"], message=message)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.next_attempt_at <= timezone.now()
    send_due(actor=SYSTEM_TEST)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and len(mail.outbox) == 1
    with pytest.raises(ValidationError, match="已发送"):
        message_retry(actor=office["clerk"], message=message)


@override_settings(GONGKAI_SMS_GATEWAY=FAILING)
def test_the_command_sends_what_is_due(register):
    from io import StringIO

    from django.core.management import call_command

    register(notify=NoticeChannel.EMAIL)
    register(notify=NoticeChannel.SMS)
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert out.getvalue().strip() == "已发送 1 条，待重试 1 条，失败 0 条。"
    sent = AuditEntry.objects.filter(object_type="notifications.message", actor_name="系统（命令行）")
    assert sent.count() == 2
