"""How a message leaves: e-mail through Django's mail backend (``EMAIL_BACKEND``), SMS through the gateway named
by ``GONGKAI_SMS_GATEWAY`` (a dotted path to a class with ``send(*, phone, text) -> str``).

The default gateway, :class:`RecordingGateway`, is a local test double: it keeps what it was given in memory
and sends nothing anywhere. A real gateway (a carrier's or a cloud SMS service's SDK) is a class of the same
shape in a deployment's own package, named in the setting; it raises :class:`DeliveryError` with a reason the
outbox records (no secrets or numbers in it), and is the only code that talks to the network.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

DEFAULT_SMS_GATEWAY = "gongkai.notifications.gateways.RecordingGateway"


class DeliveryError(Exception):
    """Sending failed; the message says why (it goes to the outbox's 最近一次错误)."""


class SmsGateway(Protocol):
    def send(self, *, phone: str, text: str) -> str:
        """Send ``text`` to ``phone``; return the provider's message id; raise DeliveryError on failure."""


@dataclass(frozen=True)
class RecordedSms:
    phone: str
    text: str


class RecordingGateway:
    """The dev/test SMS gateway: records messages in this process's memory; nothing leaves the machine."""

    sent: ClassVar[list[RecordedSms]] = []

    def send(self, *, phone: str, text: str) -> str:
        self.sent.append(RecordedSms(phone=phone, text=text))
        return f"local-{len(self.sent)}"

    @classmethod
    def clear(cls) -> None:
        cls.sent.clear()


@functools.cache
def _gateway(path: str) -> SmsGateway:
    return import_string(path)()


def sms_gateway() -> SmsGateway:
    return _gateway(getattr(settings, "GONGKAI_SMS_GATEWAY", "") or DEFAULT_SMS_GATEWAY)


def send_email(*, to: str, subject: str, body: str) -> None:
    """One e-mail through the configured backend (console in development, locmem in tests, SMTP in production)."""
    EmailMessage(subject=subject, body=body, to=[to]).send(fail_silently=False)


def send_sms(*, to: str, text: str) -> None:
    sms_gateway().send(phone=to, text=text)
