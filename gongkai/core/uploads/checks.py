"""A file checked end to end: its type from the bytes, allowed and agreeing with its name, its content complete
(a PDF's header and ``%%EOF``, an image that opens, an OOXML/ODF package with its main part and sound members,
text that decodes) and within every limit."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection

from . import archives
from .kinds import (
    IMAGE_KINDS,
    KINDS,
    ODF_KINDS,
    OLE2_MAGIC,
    OOXML_MAIN,
    WORD_STREAM,
    Kind,
    extension_of,
    looks_like_text,
    sniff,
)
from .limits import MAX_IMAGE_PIXELS, MAX_PARSED_MEMBER_BYTES, MAX_UPLOAD_BYTES, UploadRefused, check_size


def _damaged(kind: Kind) -> UploadRefused:
    return UploadRefused(f"文件内容不是完整的 {kind.label} 文件（已损坏或被截断）。", reason="damaged")


def _verify_pdf(data: bytes) -> None:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise _damaged(KINDS["pdf"])


def _verify_image(data: bytes, kind: Kind) -> None:
    from PIL import Image, UnidentifiedImageError

    formats = {"png": "PNG", "jpg": "JPEG", "gif": "GIF", "webp": "WEBP"}
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if image.format != formats[kind.key]:
                raise _damaged(kind)
            if width * height > MAX_IMAGE_PIXELS:
                raise UploadRefused(f"图片尺寸过大（{width}×{height} 像素），请缩小后再上传。", reason="bomb")
            image.verify()
    except UploadRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _damaged(kind) from exc


def _verify_zip_document(data: bytes, kind: Kind) -> None:
    archives.check_archive(
        data, streamed=archives.is_worksheet if kind.key == "xlsx" else (lambda name: False)
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if kind.key in OOXML_MAIN:
                part, content_type = OOXML_MAIN[kind.key]
                with archive.open("[Content_Types].xml") as fh:
                    types = fh.read(MAX_PARSED_MEMBER_BYTES)
                if content_type not in types:  # (declared by an Override or, from some writers, a Default)
                    raise _damaged(kind)
                archive.getinfo(part.decode())
            else:  # ODF: "mimetype" is the first member, stored uncompressed
                first = archive.infolist()[0]
                if (
                    first.filename != "mimetype"
                    or first.file_size > 100
                    or ODF_KINDS.get(archive.read(first).decode("ascii", "replace")) != kind.key
                ):
                    raise _damaged(kind)
                archive.getinfo("content.xml")
            if archive.testzip() is not None:  # every member inflates and matches its checksum
                raise _damaged(kind)
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise _damaged(kind) from exc


def verify(data: bytes, kind: Kind) -> None:
    """Check that the bytes really are a complete file of ``kind``; raises UploadRefused."""
    if kind.key == "pdf":
        _verify_pdf(data)
    elif kind.key in IMAGE_KINDS:
        _verify_image(data, kind)
    elif kind.key == "doc":  # a compound file holding a WordDocument stream (antiword reads the rest)
        if not data.startswith(OLE2_MAGIC) or WORD_STREAM not in data:
            raise _damaged(kind)
    elif kind.key == "txt":
        if not looks_like_text(data):
            raise UploadRefused("文本文件的文字编码无法识别（既不是 UTF-8 也不是 GBK）。", reason="damaged")
    else:
        _verify_zip_document(data, kind)


def allowed_text(allowed: Collection[str]) -> str:
    """The allowed types for a message: "PDF、DOCX、JPG"."""
    return "、".join(KINDS[key].label for key in KINDS if key in allowed)


def identify(
    data: bytes, name: str, *, allowed: Collection[str], limit: int | None = MAX_UPLOAD_BYTES
) -> Kind:
    """The checked type of an uploaded file, or UploadRefused with the reason in Chinese.

    The type comes from the bytes, must be in ``allowed``, must match the name's extension (a PDF named
    ``身份证.hta`` is refused; a name without an extension is accepted and served with the sniffed one), and
    the content must be complete and within every limit.
    """
    if limit is not None:  # None: the caller has checked the size against its own limit
        check_size(len(data), limit)
    if not data:
        raise UploadRefused("文件是空的。", reason="empty")
    kind = sniff(data, text="txt" in allowed)
    if kind is None or kind.key not in allowed:
        raise UploadRefused(
            f"文件类型不受支持（以文件内容判断），只接受 {allowed_text(allowed)} 文件。", reason="type"
        )
    extension = extension_of(name)
    if extension and extension not in kind.extensions:
        raise UploadRefused(
            f"文件扩展名与内容不符：内容是 {kind.label} 文件，扩展名却是“{extension[:20]}”，请确认后重新上传。",
            reason="extension",
        )
    verify(data, kind)
    return kind
