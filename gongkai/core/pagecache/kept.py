"""What one process keeps in memory for the public pages: one bounded LRU, a size limit and an age limit.

Three stores use it: the copies ready to send (``local.py``), the values a miss reuses (``memo.py``) and the
rendered chrome fragments (``core/templatetags/remembered.py``). Each is correct by its own rule (generations
read on the request, or a key holding every input), and each is also bounded in age by the page cache's own
lifetime (``GONGKAI_PAGE_CACHE_SECONDS``): when a change could not bump the generations (the shared cache was
away), the shared copies expire by that time and so does everything a process keeps, so no node shows the old
state longer than the page cache promises. ``forget_everything()`` empties every store of this process (after a
failed bump, the node that made the change forgets at once; tests start from nothing).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.conf import settings

V = TypeVar("V")

_STORES: weakref.WeakSet[Kept[object]] = weakref.WeakSet()


def max_age() -> float:
    return float(getattr(settings, "GONGKAI_PAGE_CACHE_SECONDS", 3600))


class Kept(Generic[V]):
    """A thread-safe LRU of values by key: at most ``limit()`` in all, each counting ``size(value)`` (1 by
    default), none served when older than ``max_age()`` seconds; a value larger than the limit is not kept."""

    def __init__(self, limit: Callable[[], int], size: Callable[[V], int] = lambda _: 1) -> None:
        self.limit = limit
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[float, int, V]] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()
        _STORES.add(self)  # type: ignore[arg-type]

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if time.monotonic() - entry[0] > max_age():
                self._pop(key)
                return None
            self._entries.move_to_end(key)
            return entry[2]

    def put(self, key: Hashable, value: V) -> bool:
        """Keep ``value`` under ``key``; False if it is larger than the whole limit (then not kept)."""
        size, limit = self.size(value), self.limit()
        if size > limit:
            return False
        with self._lock:
            self._pop(key)
            self._entries[key] = (time.monotonic(), size, value)
            self._total += size
            while self._total > limit and self._entries:
                self._total -= self._entries.popitem(last=False)[1][1]
        return True

    def drop(self, key: Hashable) -> None:
        with self._lock:
            self._pop(key)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._total = 0

    def items(self) -> list[tuple[Hashable, V]]:
        with self._lock:
            return [(k, e[2]) for k, e in self._entries.items()]

    def _pop(self, key: Hashable) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._total -= old[1]

    def __len__(self) -> int:
        return len(self._entries)


def forget_everything() -> None:
    """Empty every store this process keeps for the public pages."""
    for store in list(_STORES):
        store.clear()
