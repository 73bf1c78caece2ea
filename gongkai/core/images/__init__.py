"""Pictures in clerks' rich text: upload (checked by the upload guards, re-encoded so no metadata survives),
storage (``RichTextImage``, scoped to an organisation and an owner record, audited), the one address they are
served at, and who may fetch them (each owning app registers a rule in its ``AppConfig.ready``).

The sanitiser (``core.richtext``) keeps an ``<img>`` only when its ``src`` is such an address; the PDF renderer
reads the file from storage (``pdf_url_fetcher``) and Word embeds it (``core.documents``).
"""

from __future__ import annotations

from .models import IMAGE_URL_PREFIX, RichTextImage
from .registry import ImageOwner, owner_rule, register_owner
from .service import (
    IMAGE_URL_PATTERN,
    MAX_IMAGE_BYTES,
    image_for_src,
    image_store,
    image_to_embed,
    prepare_image,
    rendering_for,
)

__all__ = [
    "IMAGE_URL_PATTERN",
    "IMAGE_URL_PREFIX",
    "MAX_IMAGE_BYTES",
    "ImageOwner",
    "RichTextImage",
    "image_for_src",
    "image_to_embed",
    "rendering_for",
    "image_store",
    "owner_rule",
    "prepare_image",
    "register_owner",
]
