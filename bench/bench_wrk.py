"""Public pages from the shared page cache under load, with wrk (Debian's) as the client: one node and two.

Two gunicorns (bench settings, 2 workers × 4 threads each, as bench/server.py starts one) share the benchmark
database and one Redis database (``GONGKAI_BENCH_REDIS_URL``, default redis://127.0.0.1:6379/12, flushed), with
the page cache on. Every run is a fixed time of wrk against the same stack, so the ratios compare like with like:

- the trivial view (``/bench/trivial/``, all middleware, no template, no cache) on one node and on both;
- cached pages on one node, per kind: lists (the city's pages 1, 2, 30 and 20 departments' lists), item pages
  (200), 专栏 pages (home, 指南, 制度, 法定主动公开内容, 年报, 依申请公开 of 20 organisations);
- all cached pages on both nodes at once (one wrk each; histograms merged exactly);
- the cold path with the cache on: one request at a time, every generation bumped before it (a miss: render,
  compress, store), so its latency is today's rendering plus what the cache adds.

The copies are made before timing (one GET of each path); page views are counted as usual (the visit buffer).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.bench_pages import _paths as page_paths
from bench.server import HOST, get, nodes
from bench.stats import median, p95

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "wrk.lua"
REDIS_URL = os.environ.get("GONGKAI_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
COLUMN_PAGES = ("", "zhinan/", "zhidu/", "fdzdgknr/", "nianbao/", "ysqgk/")


def _paths() -> dict[str, list[str]]:
    from gongkai.orgs.models import Organisation

    base = page_paths()
    rng = random.Random(11)
    codes = list(Organisation.objects.filter(is_active=True).order_by("pk").values_list("code", flat=True))
    columns = [
        f"/gk/{code}/{slug}" for code in rng.sample(codes, min(20, len(codes))) for slug in COLUMN_PAGES
    ]
    return {
        "trivial": base["trivial"],
        "list": base["list_city"] + base["list_org"],
        "item": base["item"],
        "column": ["/", *columns],
    }


def _wrk(port: int, paths: Sequence[str], seconds: int, connections: int) -> subprocess.Popen[str]:
    """Start one wrk (one thread: the machine has 2 cores, shared with the servers) against ``port``."""
    handle = tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False)  # noqa: SIM115 (read by wrk)
    handle.write("\n".join(paths) + "\n")
    handle.close()
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(SCRIPT),
           f"http://{HOST}:{port}", "--", handle.name, HOST]  # fmt: skip
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # noqa: S603


def _result(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, _ = proc.communicate(timeout=600)
    line = next((x for x in out.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{out[-2000:]}")
    return dict(json.loads(line[4:]))


def _load(ports: Sequence[int], paths: Sequence[str], seconds: int, connections: int) -> dict[str, Any]:
    """wrk against every port at once (``connections`` each); throughput summed, latencies merged."""
    results = [_result(p) for p in [_wrk(port, paths, seconds, connections) for port in ports]]
    histogram: dict[int, int] = {}
    for r in results:
        for value, count in r["histogram"]:
            histogram[value] = histogram.get(value, 0) + count
    ordered = sorted(histogram.items())
    total = sum(c for _, c in ordered)

    def percentile(p: float) -> float:
        rank, seen = max(1, round(p / 100 * total)), 0
        for value, count in ordered:
            seen += count
            if seen >= rank:
                return value / 1e6
        return float("nan")

    errors = sum(sum(r["errors"].values()) for r in results)
    requests = sum(r["requests"] for r in results)
    seconds_run = max(r["duration_us"] for r in results) / 1e6
    return {"median_s": percentile(50), "p95_s": percentile(95), "requests": requests, "errors": errors,
            "rps": requests / seconds_run if seconds_run else 0.0,
            "bytes_per_request": sum(r["bytes"] for r in results) / requests if requests else 0}  # fmt: skip


def _cold(port: int, paths: Sequence[str], n: int) -> dict[str, Any]:
    """One request at a time on a keep-alive connection: after a bump of every generation (a miss: the page is
    rendered and kept), and, interleaved, the same page for a visitor with a session (rendered, never kept: the
    path without the cache), so the cost the cache adds to a cold page is measured in the same run."""
    from django.core.cache.backends.redis import RedisCache

    from gongkai.core.pagecache import EVERYTHING
    from gongkai.core.pagecache.generations import KEEP_SECONDS, key

    cache = RedisCache(REDIS_URL, {})  # the nodes' cache, with their key prefix and version (the defaults)
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    timed: dict[str, list[float]] = {"miss": [], "live": []}
    errors = 0
    for i in range(n):
        path = paths[i % len(paths)]
        for kind in ("miss", "live"):
            if kind == "miss":
                cache.set(key(EVERYTHING), time.time_ns(), KEEP_SECONDS)
            headers = {"Cookie": "sessionid=benchmark-visitor"} if kind == "live" else {}
            t = time.perf_counter()
            status, _ = get(port, path, conn=conn, headers=headers)
            timed[kind].append(time.perf_counter() - t)
            errors += status != 200
    conn.close()
    return {"median_s": median(timed["miss"]), "p95_s": p95(timed["miss"]), "live_median_s": median(timed["live"]),
            "live_p95_s": p95(timed["live"]), "requests": 2 * n, "errors": errors}  # fmt: skip


def _page_cache_bytes() -> dict[str, float]:
    """What the kept copies take in Redis (the pages only; generations are a few bytes each)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    sizes = [client.memory_usage(k) or 0 for k in client.scan_iter(match=":1:gongkai:page:*", count=1000)]
    pages = [s for s in sizes if s > 200]
    return {"copies": len(pages), "mean_bytes": sum(pages) / len(pages) if pages else 0.0}


def run(full: bool = False) -> dict[str, Any]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: run scripts/ensure-bench-deps.sh (make bench does)")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    paths = _paths()
    seconds = 15 if full else 6
    cold_n = 120 if full else 60
    env = {"REDIS_URL": REDIS_URL, "GONGKAI_PAGE_CACHE": "1"}
    out: dict[str, Any] = {"seconds_each": seconds}
    with nodes(1, warm=[paths["item"][0], paths["list"][0]], env=env) as (a,):
        for kind in ("list", "item", "column"):
            for path in paths[kind]:  # the copies exist before timing; a first view per path is a miss
                get(a, path)
        out["trivial_one"] = _load([a], paths["trivial"], seconds, 4)
        for kind in ("list", "item", "column"):
            out[f"cached_{kind}_one"] = _load([a], paths[kind], seconds, 4)
        mix = paths["list"] + paths["item"] + paths["column"]
        out["cached_one"] = _load([a], mix, seconds, 4)
        out["memory"] = _page_cache_bytes()
        for kind in ("list", "item"):
            out[f"cold_{kind}"] = _cold(a, paths[kind], cold_n)
    # Two nodes on the same two cores: one worker each, as many processes as the one node had. The copies are
    # already in Redis (the cold runs retired them all: a first view per path renders again before timing).
    with nodes(2, warm=[paths["item"][0], paths["list"][0]], env=env, workers=1) as (b, c):
        for path in mix:
            get(b, path)
        out["trivial_two"] = _load([b, c], paths["trivial"], seconds, 4)
        out["cached_two"] = _load([b, c], mix, seconds, 4)
    return out
