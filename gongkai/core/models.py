"""The append-only, hash-chained audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from .chain import HMAC_SHA256, chain_hash
from .fields import NamedInChinese, record_reference

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    TRANSITION = "transition", "状态变更"
    LOGIN = "login", "登录"
    IMPORT = "import", "导入"
    GRANT = "grant", "授权"
    REVOKE = "revoke", "撤销授权"
    READ = "read", "查看"
    EXPORT = "export", "导出"
    DOWNLOAD = "download", "下载"
    OTHER = "other", "其他"


class AuditEntry(models.Model):
    """One write, as recorded by the service that made it. Rows are never updated or deleted.

    ``hash`` = HMAC (keyed with ``GONGKAI_AUDIT_KEY``, algorithm ``alg``) over the previous row's hash
    and this row's canonical content, so altering or removing a row breaks the chain and nobody
    without the key can recompute it; :class:`AuditHead` pins the last row and external anchors
    (core/chain.py) pin the head, so that removing the tail is detected too.
    """

    created_at = models.DateTimeField("时间", db_index=True)
    actor = record_reference(settings.AUTH_USER_MODEL, "操作人")
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    org = record_reference("orgs.Organisation", "机构")
    org_code = models.CharField("机构代码", max_length=18, blank=True)
    object_type = models.CharField("对象类型", max_length=100, db_index=True)
    object_id = models.CharField("对象标识", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    action = models.CharField("操作", max_length=20, choices=AuditAction.choices)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    ip = models.GenericIPAddressField("客户端IP", null=True, blank=True)
    alg = models.CharField("哈希算法", max_length=16, default=HMAC_SHA256)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta(NamedInChinese):
        verbose_name = "审计日志"
        ordering = ["-id"]
        indexes = [models.Index(fields=["org", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("审计日志只能追加，不能删除。")

    def canonical(self) -> dict[str, Any]:
        """The content that the hash covers (everything but the hashes themselves)."""
        return {
            "id": self.pk,
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "org_id": self.org_id,
            "org_code": self.org_code,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "action": self.action,
            "changes": self.changes,
            "ip": self.ip,
            "alg": self.alg,
        }

    def compute_hash(self, prev_hash: str) -> str:
        return chain_hash(self.alg, prev_hash, self.canonical())


class AuditHead(models.Model):
    """Singleton row pointing at the last audit entry and its hash (detects a removed tail)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_entry_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta(NamedInChinese):
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return f"#{self.last_entry_id} {self.last_hash[:12]}"


# A picture in clerks' rich text lives with its package (image_path: the upload path its migration names).
from .images.models import RichTextImage, image_path  # noqa: E402
from .jobs.models import Job, JobStatus  # noqa: E402 — the background-job record lives with its package

__all__ = ["AuditAction", "AuditEntry", "AuditHead", "Job", "JobStatus", "RichTextImage", "image_path"]
