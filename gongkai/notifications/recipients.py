"""A message's recipient (an e-mail address or a mobile number) is personal data: encrypted at rest, shown
masked, scrubbed from error texts. The key derives from GONGKAI_FIELD_KEY (or SECRET_KEY) with its own HKDF
label, so it is not the applications app's field key."""

from __future__ import annotations

import base64
import functools
import os

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"gongkai.notifications.recipient.v1"


@functools.cache
def _fernet() -> Fernet:
    env = os.environ.get("GONGKAI_FIELD_KEY", "").strip()
    master = base64.urlsafe_b64decode(env) if env else settings.SECRET_KEY.encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(master)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(recipient: str) -> str:
    return _fernet().encrypt(recipient.encode()).decode() if recipient else ""


def unseal(token: str) -> str:
    """The recipient, or '' for a token written under another key (the message then fails with a reason)."""
    try:
        return _fernet().decrypt(token.encode()).decode() if token else ""
    except InvalidToken:
        return ""


def masked(recipient: str) -> str:
    """``z***@example.cn`` for an address, ``****1234`` for a number."""
    if "@" in recipient:
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"****{recipient[-4:]}" if recipient else ""


def scrub(text: str, recipient: str) -> str:
    """An error text without the recipient in it (SMTP and gateway errors often quote the address)."""
    return text.replace(recipient, masked(recipient)) if recipient else text
