"""Production settings (`make serve`, the systemd units of docs/deploy.md): the base settings, but every
secret and the host names must come from the environment — the server refuses to start otherwise, with
a Chinese message naming what is missing (never a key generated into var/ behind the operator's back)."""

from __future__ import annotations

import os
import sys

REQUIRED = {
    "GONGKAI_SECRET_KEY": "会话与签名密钥（至少 50 个随机字符）",
    "GONGKAI_AUDIT_KEY": "审计日志哈希链密钥",
    "GONGKAI_ALLOWED_HOSTS": "网站域名（逗号分隔）",
    "DATABASE_URL": "数据库地址（生产环境请使用 PostgreSQL）",
}


def _check_environment() -> None:
    missing = [f"{name}（{what}）" for name, what in REQUIRED.items() if not os.environ.get(name, "").strip()]
    if missing:
        sys.exit(
            "错误：生产环境缺少必需的环境变量，服务未启动："
            + "；".join(missing)
            + "。请在环境文件中设置后重试（见 docs/deploy.md）。"
        )
    if len(os.environ["GONGKAI_SECRET_KEY"]) < 50:
        sys.exit("错误：GONGKAI_SECRET_KEY 太短（至少 50 个字符），服务未启动。")


_check_environment()

from .base import *  # noqa: E402, F403

DEBUG = False

# The portal footer shows only what the deployment's environment states: never the demo's 备案号 or 标识码.
globals().update({name: os.environ.get(name, "") for name in DEMO_SITE_FOOTER})  # noqa: F405
