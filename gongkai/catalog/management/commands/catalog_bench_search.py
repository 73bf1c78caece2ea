"""Measure /search/ latency over a synthetic catalogue (inside a transaction that is rolled back)."""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

import jieba
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from gongkai.catalog.models import Item, SearchEntry
from gongkai.catalog.search.backends import get_backend
from gongkai.catalog.search.text import body_tokens, title_tokens
from gongkai.catalog.vocab import Status
from gongkai.core.actors import SYSTEM_CLI
from gongkai.orgs.codes import org_code_check_char
from gongkai.orgs.models import Level, OrgKind
from gongkai.orgs.services import org_create

WORDS = ("财政", "预算", "决算", "教育", "医疗", "社会", "保障", "就业", "扶贫", "安全", "生产", "环境", "保护",
         "食品", "药品", "规划", "统计", "收费", "采购", "建设", "项目", "应急", "预案", "招考", "土地", "征收",
         "房屋", "救助", "养老", "户籍", "农村", "补贴", "城乡", "低保", "公共", "服务", "文化", "法律")  # fmt: skip


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "全文检索性能测量：生成 N 条已发布信息（事务内，结束时回滚），逐一检索目标标题的每个二字词。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--items", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])
        n = options["items"]
        try:
            with transaction.atomic():
                self._run(rng, n)
                raise _Rollback
        except _Rollback:
            pass

    def _run(self, rng: random.Random, n: int) -> None:
        body = "99999998"
        org = org_create(actor=SYSTEM_CLI, name="性能测试机构（回滚）", code=body + org_code_check_char(body), parent=None,
                         level=Level.COUNTY, kind=OrgKind.OTHER)  # fmt: skip
        now = timezone.now()
        t0 = time.perf_counter()
        backend = get_backend()
        for start in range(0, n, 1000):
            batch = []
            for i in range(start, min(n, start + 1000)):
                title = "青山县" + "".join(rng.sample(WORDS, 4)) + "工作的通知"
                batch.append(Item(org=org, index_no=f"BENCH/{i:07d}", title=title, publisher=org.name,
                                  status=Status.PUBLISHED, published_at=now, body="<p>" + "".join(rng.choices(WORDS, k=80)) + "</p>"))  # fmt: skip
            items = Item.objects.bulk_create(batch)
            if connection.vendor != "postgresql":
                items = list(Item.objects.filter(org=org).order_by("-pk")[: len(batch)])
            entries = SearchEntry.objects.bulk_create(
                [
                    SearchEntry(
                        item=it,
                        org=org,
                        title_tokens=title_tokens(it.title),
                        tokens=body_tokens(it.body),
                        published_at=now,
                    )
                    for it in items
                ]
            )
            for e in entries:
                backend.index(e)
        build = time.perf_counter() - t0
        target = Item.objects.filter(org=org).order_by("pk").first()
        assert target is not None
        words = sorted({w for w in jieba.cut(target.title) if len(w) == 2})
        client = Client(HTTP_HOST="localhost")
        timings = []
        for w in words * 3:
            t = time.perf_counter()
            response = client.get("/search/", {"q": w})
            timings.append(time.perf_counter() - t)
            if response.status_code != 200:
                raise SystemExit(f"/search/?q={w} → {response.status_code}")
        timings.sort()
        self.stdout.write(
            f"{connection.vendor}: {n} items indexed in {build:.1f} s; /search/ over {len(timings)} requests "
            f"({len(words)} two-character title words): median {statistics.median(timings) * 1000:.0f} ms, "
            f"p95 {timings[int(len(timings) * 0.95) - 1] * 1000:.0f} ms, max {timings[-1] * 1000:.0f} ms"
        )
