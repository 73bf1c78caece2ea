"""Upload and storage of a rich-text picture."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.core import uploads
from gongkai.core.actors import Actor, acting_user
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record

from .models import IMAGE_URL_PATTERN, RichTextImage

MAX_IMAGE_BYTES = 5 * 1024 * 1024  # one picture in a text (a photo of a notice, a chart)
MAX_IMAGE_SIDE = 4000  # larger pictures are scaled down when re-encoded


def prepare_image(data: bytes, name: str) -> tuple[bytes, str, int, int]:
    """(bytes, extension, width, height) of an uploaded picture, re-encoded: PNG, JPEG, GIF or WebP by its bytes
    (``uploads.identify``: a program or an SVG named .png is refused), within MAX_IMAGE_BYTES, then written again
    by Pillow — JPEG as JPEG, the others as PNG (Word and the PDF read both) — so EXIF (place, device) and any
    other metadata or trailing bytes are gone. Raises ValidationError with the reason in Chinese."""
    from PIL import Image, ImageOps

    try:
        kind = uploads.identify(data, name, allowed=uploads.IMAGE_KINDS, limit=MAX_IMAGE_BYTES)
    except uploads.UploadRefused as exc:
        if exc.reason == "type":
            raise ValidationError("只能插入 PNG、JPEG、GIF 或 WebP 图片（以文件内容判断）。") from exc
        raise ValidationError(f"图片：{exc}") from exc
    try:
        with Image.open(io.BytesIO(data)) as source:
            source.seek(0)  # an animated GIF or WebP: its first frame
            image = ImageOps.exif_transpose(source)
            image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            out = io.BytesIO()
            if kind.key == "jpg":
                image.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
                ext = "jpg"
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA")
                image.save(out, "PNG", optimize=True)
                ext = "png"
            width, height = image.size
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError("图片内容无法读取，请检查文件是否损坏。") from exc
    return out.getvalue(), ext, width, height


@transaction.atomic
def image_store(
    *, actor: Actor, org: Any, owner: str, owner_obj: Any, name: str, data: bytes
) -> RichTextImage:
    """Check, re-encode and keep a picture of ``owner_obj`` (its app has checked the actor may edit it), with an
    audit row on the owner. Returns the stored picture (its ``url`` goes into the text)."""
    content, ext, width, height = prepare_image(data, name)
    clean_name = (name or "图片").replace("/", "_").replace("\\", "_").strip()[:200]
    image = RichTextImage(
        org_id=org.pk, owner=owner, owner_id=owner_obj.pk, name=clean_name, ext=ext,
        mime="image/jpeg" if ext == "jpg" else "image/png", width=width, height=height, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), created_by=acting_user(actor),
    )  # fmt: skip
    image.file.save(f"{image.key}.{ext}", ContentFile(content), save=False)
    image.save()
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=owner_obj, org=org,
        changes={"image_added": [None, {"name": image.name, "size": image.size, "sha256": image.sha256}]},
    )  # fmt: skip
    return image


def image_for_src(src: str, *, org_id: int | None = None) -> RichTextImage | None:
    """The stored picture an ``<img src>`` of ours points to, or None; with ``org_id`` only a picture of that
    organisation (a clerk of one organisation cannot pull another's draft picture into their own text)."""
    match = IMAGE_URL_PATTERN.fullmatch(src or "")
    if not match:
        return None
    found = RichTextImage.objects.filter(key=match["key"])
    if org_id is not None:
        found = found.filter(org_id=org_id)
    return found.first()


# The organisation whose document is being rendered (PDF, DOCX): only its pictures are embedded, and with none
# set no picture is embedded at all.
_RENDERING_ORG: ContextVar[int | None] = ContextVar("gongkai_rendering_org", default=None)


@contextmanager
def rendering_for(org_id: int) -> Iterator[None]:
    """Render documents of organisation ``org_id`` inside this block: its own pictures are embedded."""
    token = _RENDERING_ORG.set(org_id)
    try:
        yield
    finally:
        _RENDERING_ORG.reset(token)


def image_to_embed(src: str) -> RichTextImage | None:
    """The picture a renderer may embed for ``src``: one of the organisation being rendered, else None."""
    org_id = _RENDERING_ORG.get()
    return None if org_id is None else image_for_src(src, org_id=org_id)
