"""The release a cached page was rendered by: a hash of the code, the templates and the site settings.

Part of every page key, so a deployment (or a node still on the old release during a rolling upgrade) never
serves a page rendered by other code; the same files give the same hash on every node. The time a release was
first seen is kept in the shared cache: ``Last-Modified`` is never older than the release that rendered it.
"""

from __future__ import annotations

import hashlib
import time
from functools import cache
from pathlib import Path

from django.conf import settings

from .generations import KEEP_SECONDS, page_cache

PACKAGE = Path(__file__).resolve().parents[2]  # the gongkai package
SUFFIXES = {".py", ".html", ".txt", ".xml"}


@cache
def fingerprint() -> str:
    """Hash of every source and template file of the package and of the settings pages show (once a process)."""
    h = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*") if p.suffix in SUFFIXES and "tests" not in p.parts):
        h.update(path.relative_to(PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    for name in ("GONGKAI_SITE_NAME", "GONGKAI_SITE_ID_CODE", "GONGKAI_PAGE_CACHE_VERSION", "LANGUAGE_CODE"):
        h.update(f"{name}={getattr(settings, name, '')}".encode())
    return h.hexdigest()[:16]


_first_seen: dict[str, int] = {}


def first_seen() -> int:
    """When this release first served a page on any node (nanoseconds), kept in the shared cache."""
    release = fingerprint()
    if release not in _first_seen:
        key = f"gongkai:page:release:{release}"
        cache_ = page_cache()
        cache_.add(key, time.time_ns(), KEEP_SECONDS)
        _first_seen[release] = int(cache_.get(key) or time.time_ns())
    return _first_seen[release]
