"""Rebuild the catalogue's full-text index from the published items."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.catalog.search_sync import search_reindex


class Command(BaseCommand):
    help = "重建主动公开信息的全文检索索引（更换检索后端或恢复数据后运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        n = search_reindex()
        self.stdout.write(self.style.SUCCESS(f"已索引 {n} 条已发布信息。"))
