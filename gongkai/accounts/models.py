"""Staff accounts and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from gongkai.core.fields import NamedInChinese


class User(AbstractUser):
    """A staff account. What it may do is given by its memberships (orgs.Membership)."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    must_change_password = models.BooleanField(
        "须修改密码", default=False, help_text="密码由他人重置后，本人下次登录时须先修改密码。"
    )

    class Meta(NamedInChinese):
        verbose_name = "用户"

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=8)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    expires_at = models.DateTimeField("有效期至")

    class Meta(NamedInChinese):
        verbose_name = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def status_label(self) -> str:
        from django.utils import timezone

        if self.revoked_at is not None:
            return "已吊销"
        if self.expires_at <= timezone.now():
            return "已过期"
        return "有效"

    @staticmethod
    def generate() -> str:
        return "gk_" + secrets.token_urlsafe(32)
