"""A picture in a clerk's rich text (a catalogue item's 正文, a report's section): stored once, served at
``/files/images/<key>.<ext>`` to whoever may see its owner (``registry``)."""

from __future__ import annotations

import re
import uuid

from django.db import models

from ..fields import NamedInChinese, user_reference


def image_path(instance: RichTextImage, filename: str) -> str:
    return f"richtext/{instance.org_id}/{instance.key}.{instance.ext}"


class RichTextImage(models.Model):
    """``owner`` names the kind of record the picture belongs to ("catalog.item", "reports.report") and
    ``owner_id`` the record; ``key`` (random) is the picture's address, so addresses cannot be counted through."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    org = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="机构",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    owner = models.CharField("所属", max_length=40)
    owner_id = models.PositiveBigIntegerField("所属记录")
    file = models.FileField(upload_to=image_path, max_length=200)
    name = models.CharField("文件名", max_length=200)
    ext = models.CharField(max_length=8)
    mime = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(NamedInChinese):
        verbose_name = "正文图片"
        indexes = [models.Index(fields=["owner", "owner_id"], name="core_rtimage_owner")]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return f"{IMAGE_URL_PREFIX}{self.key}.{self.ext}"


IMAGE_URL_PREFIX = "/files/images/"
IMAGE_URL_PATTERN = re.compile(
    re.escape(IMAGE_URL_PREFIX)
    + r"(?P<key>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(?:png|jpg)"
)
