"""`gongkai api_token USERNAME [--name NAME]`: create an API token and print it (shown only once)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.models import ApiToken, User
from gongkai.accounts.services import TOKEN_DEFAULT_DAYS, api_token_create
from gongkai.core.actors import SYSTEM_CLI


def _describe(exc: ValidationError) -> str:
    """「用途：确保该变量包含不超过 100 字符…」: each message with the field it is about."""
    if not hasattr(exc, "error_dict"):
        return "；".join(exc.messages)
    parts: list[str] = []
    for field, messages in exc.message_dict.items():
        label = (
            ""
            if field == NON_FIELD_ERRORS
            else f"{getattr(ApiToken._meta.get_field(field), 'verbose_name', field)}："
        )
        parts.extend(f"{label}{message}" for message in messages)
    return "；".join(parts)


class Command(BaseCommand):
    help = "为工作人员创建 API 令牌，并在标准输出单独一行打印令牌（令牌只显示这一次，请妥善保存）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="工作人员的用户名")
        parser.add_argument("--name", default="", help="令牌用途，例如「统计脚本」")
        parser.add_argument(
            "--days", type=int, default=TOKEN_DEFAULT_DAYS, help="有效期天数（1 至 365，默认 90）"
        )

    def handle(self, *args: Any, username: str, name: str, days: int, **options: Any) -> None:
        user = User.objects.filter(username=username.strip()).first()
        if user is None:
            raise CommandError(f"用户「{username}」不存在。")
        if not user.is_active:
            raise CommandError(f"用户「{username}」已停用，不能为其创建 API 令牌。")
        try:
            raw = api_token_create(actor=SYSTEM_CLI, user=user, name=name.strip(), days=days)
        except ValidationError as exc:
            raise CommandError(_describe(exc)) from exc
        # Only the token on stdout, so that scripts can capture it: TOKEN=$(gongkai api_token lisi)
        self.stdout.write(raw)
