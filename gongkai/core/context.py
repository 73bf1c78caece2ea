"""Per-request context (client IP) that services read when they write audit rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("gongkai_client_ip", default=None)


def client_ip() -> str | None:
    return _client_ip.get()


@contextmanager
def request_context(*, ip: str | None) -> Iterator[None]:
    token = _client_ip.set(ip)
    try:
        yield
    finally:
        _client_ip.reset(token)
