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

import threading
import zlib
from collections import OrderedDict

from django.conf import settings

from .copies import Copy

DEFAULT_BYTES = 32 * 1024 * 1024


class LocalCopies:
    """A bounded LRU of (copy, decompressed body) by page key; thread-safe (gthread workers)."""

    def __init__(self) -> None:
        self._entries: OrderedDict[str, tuple[Copy, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def limit() -> int:
        return int(getattr(settings, "GONGKAI_PAGE_LOCAL_BYTES", DEFAULT_BYTES))

    def get(self, key: str) -> tuple[Copy, bytes] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, copy: Copy, body: bytes | None = None) -> bytes:
        """Keep ``copy`` (its body decompressed here unless given); return the body."""
        if body is None:
            body = zlib.decompress(copy.body)
        limit = self.limit()
        if len(body) > limit:
            return body
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._entries[key] = (copy, body)
            self._bytes += len(body)
            while self._bytes > limit and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped)
        return body

    def drop(self, key: str) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


LOCAL = LocalCopies()
