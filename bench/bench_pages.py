"""Catalogue list and item pages and /search/ through gunicorn on loopback, against a trivial view on the same stack.

Two keep-alive client connections (the machine has 2 cores, shared with the server), a bounded number of
requests per page kind. Latency is client-side: request written → response read.
"""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import quote

from bench.generate import SEARCH_QUERIES, current
from bench.server import gunicorn, load
from bench.stats import median, p95


def _paths() -> dict[str, list[str]]:
    from gongkai.catalog.models import Item
    from gongkai.catalog.vocab import Status
    from gongkai.orgs.models import Organisation

    ds = current()
    rng = random.Random(7)
    city = Organisation.objects.get(code=ds.city_code)
    depts = list(Organisation.objects.filter(path__startswith=city.path, depth__gte=1).order_by("pk")
                 .values_list("code", flat=True))  # fmt: skip
    top = Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    candidates = rng.sample(range(1, top + 1), min(top, 1000))
    items = list(
        Item.objects.filter(pk__in=candidates, status=Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", "org__code")
    )[:200]
    return {
        "trivial": ["/bench/trivial/"],
        "list_city": [
            f"/gk/{city.code}/xxgk/",
            f"/gk/{city.code}/xxgk/?page=2",
            f"/gk/{city.code}/xxgk/?page=30",
        ],
        "list_org": [f"/gk/{code}/xxgk/" for code in rng.sample(depts, 20)],
        "item": [f"/gk/{code}/xxgk/{pk}/" for pk, code in items],
        "search": [f"/search/?q={quote(q)}" for q in SEARCH_QUERIES],
    }


def run(full: bool = False) -> dict[str, Any]:
    paths = _paths()
    n = {"trivial": 400, "list_city": 120, "list_org": 200, "item": 300, "search": 150}
    if full:
        n = {k: v * 2 for k, v in n.items()}
    out: dict[str, Any] = {}
    with gunicorn(warm=[paths["search"][0], paths["item"][0], paths["list_org"][0]]) as port:
        for kind, kind_paths in paths.items():
            r = load(port, kind_paths, requests=n[kind], concurrency=2, max_seconds=40 if full else 6)
            lat = r.latencies or [float("nan")]
            out[kind] = {"median_s": median(lat), "p95_s": p95(lat), "requests": len(r.latencies),
                         "errors": len(r.errors), "first_errors": r.errors[:3],
                         "rps": len(r.latencies) / r.seconds if r.seconds else 0.0}  # fmt: skip
    return out
