"""Shared by the management commands that read a file named on the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError


def read_file_argument(path: Path) -> bytes:
    """The bytes of ``path``, or a CommandError saying in Chinese why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
