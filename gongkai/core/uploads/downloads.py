"""Serving a stored file: never trusting the stored name or type. ``file_response`` sniffs the type from the
bytes, gives the file the matching extension and always sends it as an attachment with ``nosniff``."""

from __future__ import annotations

import re
import unicodedata
from typing import IO, TYPE_CHECKING
from urllib.parse import quote

from .kinds import Kind, extension_of, sniff_file

if TYPE_CHECKING:
    from django.http import FileResponse

_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')
# what may not stand in the quoted ASCII ``filename``: control characters, the quote and backslash (they would end
# or escape the quoted string) and "%" (some browsers percent-decode it)
_UNSAFE_FALLBACK = re.compile(r'[\x00-\x1f\x7f"\\%]')
_SEPARATORS = " -_."


def download_name(name: str, kind: Kind | None) -> str:
    """A safe file name for a download: no paths or control characters, the extension of the sniffed type."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = _UNSAFE_NAME.sub("_", base).strip(" .") or "附件"
    extension = extension_of(base)
    if extension:
        base = base[: -len(extension)].rstrip(" .") or "附件"
    return f"{base[:120]}{kind.extension if kind else '.bin'}"


def _ascii_name(filename: str) -> str:
    """What of ``filename`` is ASCII. Where characters were dropped, the name is not left a fragment: the
    separators the dropped words stood beside go ("登记回执-A1.pdf": "-A1.pdf" would read as an option), a name
    that lost its beginning says so ("file-A1.pdf"), and a name with nothing left is "file" with its extension."""
    kept = filename.encode("ascii", "ignore").decode()
    if kept == filename:
        return kept
    head, dot, tail = kept.rpartition(".")
    stem, extension = (head, f".{tail}") if dot and tail else (kept.rstrip("."), "")
    bare = stem.strip(_SEPARATORS)
    if not bare:
        return f"file{extension}"
    return f"{'' if filename[0].isascii() else 'file-'}{bare}{extension}"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``attachment`` (or ``inline``: shown in the browser, saved under the same name) with an ASCII fallback and
    the RFC 5987 UTF-8 name (RFC 6266), so a Chinese name reaches the user intact. Every download of the platform
    names its file through here."""
    fallback = _UNSAFE_FALLBACK.sub("_", _ascii_name(filename)) or "file"
    if fallback.startswith("."):
        fallback = "file" + fallback
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(fh: IO[bytes], name: str) -> FileResponse:
    """Serve a stored file: the type sniffed from its bytes, the matching extension, always an attachment."""
    from django.http import FileResponse  # noqa: F811 - imported for type checking above

    kind = sniff_file(fh)
    response = FileResponse(fh, content_type=kind.mime if kind else "application/octet-stream")
    response["Content-Disposition"] = content_disposition(download_name(name, kind))
    response["X-Content-Type-Options"] = "nosniff"
    return response
