"""Throttling the second login step so that a stolen password cannot lock the owner out (finding L6).

django-otp throttles a TOTP *device*: every wrong code, whoever types it, delays the owner too, so anyone who
knows the password could keep the owner's second factor throttled forever. Here the device throttle is off
(``OTP_TOTP_THROTTLE_FACTOR = 0``) and wrong codes are counted instead per account *and password*:

- per client address: 5 wrong codes in 15 minutes refuse that address for this account (the owner elsewhere
  is not affected);
- per account: 20 wrong codes in a day refuse every address, which bounds guessing (3 codes in 10⁶ are
  accepted per try) to a negligible chance.

Both counters are keyed by a digest of the stored password hash, so changing the password — by the owner, or a
reset by a manager — starts them afresh, and the attacker no longer passes step 1. Every wrong code is written
to the audit log (the password was right: the owner or a manager should change it).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache

from gongkai.core.context import client_ip

PER_ADDRESS_LIMIT = 5
PER_ADDRESS_WINDOW = 15 * 60
PER_ACCOUNT_LIMIT = 20
PER_ACCOUNT_WINDOW = 24 * 3600


def _keys(user: Any) -> tuple[str, str]:
    tag = hashlib.sha256(user.password.encode()).hexdigest()[:16]
    address = client_ip() or "unknown"
    return f"2fa-fail:{user.pk}:{tag}", f"2fa-fail:{user.pk}:{tag}:{address}"


def blocked(user: Any) -> bool:
    account, address = _keys(user)
    return (cache.get(account) or 0) >= PER_ACCOUNT_LIMIT or (cache.get(address) or 0) >= PER_ADDRESS_LIMIT


def record_failure(user: Any) -> None:
    account, address = _keys(user)
    for key, window in ((account, PER_ACCOUNT_WINDOW), (address, PER_ADDRESS_WINDOW)):
        cache.add(key, 0, window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)


def clear(user: Any) -> None:
    """A right code from this address clears its counter (the daily account counter stays)."""
    cache.delete(_keys(user)[1])
