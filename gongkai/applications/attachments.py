"""Attachment checks for the public form and staff uploads: the shared upload guards (``core.uploads``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from gongkai.core import uploads

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 3
ALLOWED_KINDS = frozenset({"pdf", "jpg", "png", "docx"})
ALLOWED_TEXT = "PDF、JPG、PNG、DOCX"


@dataclass(frozen=True)
class SniffedFile:
    name: str
    content: bytes
    content_type: str
    extension: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def as_django_file(self) -> ContentFile[bytes]:
        return ContentFile(self.content, name=f"{self.sha256[:16]}{self.extension}")

    def attachment_fields(self) -> dict[str, Any]:
        """The stored file and what is recorded of it, as ``Attachment`` fields (the file under its hash)."""
        return {"file": self.as_django_file(), "name": self.name, "content_type": self.content_type,
                "extension": self.extension, "size": self.size, "sha256": self.sha256}  # fmt: skip


def sniff(content: bytes) -> tuple[str, str] | None:
    """(MIME type, extension) recognised from the bytes (shared sniffer), or None for anything not allowed."""
    kind = uploads.sniff(content)
    return (kind.mime, kind.extension) if kind and kind.key in ALLOWED_KINDS else None


def checked_file(
    upload: Any, *, what: str, allowed: frozenset[str], limit: int, name: str = "", types: str = ""
) -> SniffedFile:
    """An upload through the shared guards (type from the bytes, size, completeness), or a Chinese refusal
    naming it ``what``; ``types`` says what is accepted (default: the allowed types' names and 文件)."""
    name = name or (getattr(upload, "name", "") or what)[-200:]
    try:
        content = uploads.read_upload(upload, limit)
        kind = uploads.identify(content, name, allowed=allowed, limit=limit)
    except uploads.UploadRefused as exc:
        if exc.reason == "size":
            message = f"{what}超过 {limit // 1024 // 1024} MB。"
        elif exc.reason == "type":
            message = f"{what}的文件类型不受支持，只接受 {types or uploads.allowed_text(allowed) + ' 文件'}。"
        else:
            message = f"{what}：{exc}"
        raise ValidationError(message) from exc
    return SniffedFile(name=name, content=content, content_type=kind.mime, extension=kind.extension)


def sniff_upload(upload: UploadedFile) -> SniffedFile:
    """Read an upload, refusing it (Chinese message) when too large or not one of the allowed types."""
    name = (upload.name or "附件")[-200:]
    try:
        return checked_file(upload, what=f"附件「{name}」", allowed=ALLOWED_KINDS, limit=MAX_ATTACHMENT_BYTES,
                            name=name, types=ALLOWED_TEXT)  # fmt: skip
    except ValidationError as exc:
        raise ValidationError({"attachments": exc.messages[0]}) from exc.__cause__
