"""Attachment checks for the public form: type sniffed from the bytes (never the name), size limited."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 3
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


def sniff(content: bytes) -> tuple[str, str] | None:
    """(MIME type, extension) recognised from the leading bytes, or None for anything else."""
    if content.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"
    return None


def sniff_upload(upload: UploadedFile) -> SniffedFile:
    """Read an upload, refusing it (Chinese message) when too large or not one of the allowed types."""
    name = (upload.name or "附件")[-200:]
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {"attachments": f"附件「{name}」超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB。"}
        )
    content = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {"attachments": f"附件「{name}」超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB。"}
        )
    kind = sniff(content)
    if kind is None:
        raise ValidationError({"attachments": f"附件「{name}」的文件类型不受支持，只接受 {ALLOWED_TEXT}。"})
    return SniffedFile(name=name, content=content, content_type=kind[0], extension=kind[1])
