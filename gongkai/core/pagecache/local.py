"""Copies this process keeps ready to send, besides the shared cache: a hit costs no copy from Redis.

A hit used to fetch the whole copy from the shared cache (a few kilobytes), unpickle it and decompress its body
on every request. This process now keeps the copies it served last (decompressed, least recently used first
out, ``GONGKAI_PAGE_LOCAL_BYTES`` in all, 32 MiB by default, 0: none), and a request for one of them asks the
shared cache only for the generations of its scopes: still one round trip, of a few bytes. A local copy is
served under exactly the rule of a shared one (``Copy.valid``: the generations it was rendered under are the
current ones, read from the shared cache on this very request, and so is the day; the release is in its key),
so it is never stale on any node: a bump on one node retires the copies every node keeps.
"""

from __future__ import annotations

import zlib

from django.conf import settings

from .copies import Copy
from .kept import Kept

DEFAULT_BYTES = 32 * 1024 * 1024


def _limit() -> int:
    return int(getattr(settings, "GONGKAI_PAGE_LOCAL_BYTES", DEFAULT_BYTES))


class LocalCopies(Kept[tuple[Copy, bytes]]):
    """(copy, decompressed body) by page key, bounded by the bodies' bytes (``kept.Kept``)."""

    def __init__(self) -> None:
        super().__init__(_limit, size=lambda entry: len(entry[1]))

    def put_copy(self, key: str, copy: Copy, body: bytes | None = None) -> bytes:
        """Keep ``copy`` (its body decompressed here unless given); return the body."""
        if body is None:
            body = zlib.decompress(copy.body)
        self.put(key, (copy, body))
        return body


LOCAL = LocalCopies()
