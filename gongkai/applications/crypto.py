"""Field encryption for applicants' ID and phone numbers (Fernet; key from GONGKAI_FIELD_KEY or SECRET_KEY)."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"gongkai.applications.fields.v1"


@functools.cache
def _key_material() -> bytes:
    """32 bytes: GONGKAI_FIELD_KEY (a Fernet key) if set, else HKDF-SHA256 over SECRET_KEY."""
    env = os.environ.get("GONGKAI_FIELD_KEY", "").strip()
    if env:
        return base64.urlsafe_b64decode(env)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        settings.SECRET_KEY.encode()
    )


@functools.cache
def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key_material()))


def encrypt(value: str) -> str:
    """Encrypt ``value`` ('' stays '')."""
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    """Decrypt a value written by :func:`encrypt`; a token from another key reads as '（无法解密）'."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return "（无法解密）"


def keyed_hash(value: str) -> str:
    """A stable keyed digest (HMAC-SHA256) for matching equal values without storing them."""
    return hmac.new(_key_material(), value.encode(), hashlib.sha256).hexdigest()


def mask(tail: str) -> str:
    """The masked form shown in lists and exports: only the last four characters."""
    return f"****{tail}" if tail else ""
