"""200 concurrent public submissions of the /ysqgk/ form to gunicorn: failures, lost (acknowledged but not in the
database), and p95 of the POST.

Each client first GETs the form (CSRF cookie and token), then all POST together behind a barrier. Success is
the form's redirect to its done page; the database must then hold exactly one new application per success.
Submissions go to the generated intake office, outside the city tree, so the report benchmark is unaffected.
"""

from __future__ import annotations

import http.client
import re
import threading
import time
from typing import Any
from urllib.parse import urlencode

from bench.generate import current
from bench.server import HOST, gunicorn
from bench.stats import median, p95

_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _prepare(conn: http.client.HTTPConnection, port: int, path: str, n: int) -> tuple[str, dict[str, str]]:
    """GET the form: the CSRF cookie and token, and the filled-in form body."""
    conn.request("GET", path, headers={"Host": HOST})
    r = conn.getresponse()
    body = r.read()
    cookie = next(
        (
            v.split(";")[0]
            for k, v in r.getheaders()
            if k.lower() == "set-cookie" and v.startswith("csrftoken=")
        ),
        "",
    )
    m = _TOKEN.search(body)
    if r.status != 200 or not m or not cookie:
        raise RuntimeError(f"form GET {r.status}, token {'found' if m else 'missing'}")
    form = urlencode({
        "csrfmiddlewaretoken": m.group(1).decode(), "applicant_type": "natural", "name": f"并发测试{n:03d}",
        "id_type": "resident_id", "id_number": "11010519491231002X", "phone": f"1390000{n:04d}", "email": f"c{n}@example.com", "address": "云岭市测试路1号",
        "info_title": f"关于并发测试第{n}号的政府信息", "info_description": "基准测试", "delivery_form": "electronic",
        "delivery_method": "email", "agree": "on", "website": "",
    })  # fmt: skip
    headers = {"Host": HOST, "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
               "Referer": f"http://{HOST}:{port}{path}"}  # fmt: skip
    return form, headers


def _submit(
    port: int, path: str, n: int, barrier: threading.Barrier, out: dict[str, Any], lock: threading.Lock
) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    prepared: tuple[str, dict[str, str]] | None = None
    try:
        try:
            prepared = _prepare(conn, port, path, n)
        except Exception as exc:  # noqa: BLE001 (counted as a failure; the others still go)
            with lock:
                out["errors"].append(f"GET: {exc!r}")
        barrier.wait(timeout=120)  # everyone posts at once
        if prepared is None:
            return
        form, headers = prepared
        # A new connection for the POST, as a browser opens one when the server has closed an idle keep-alive
        # connection: the wait at the barrier can outlast gunicorn's keep-alive (the GETs of 200 clients take
        # seconds), and a POST on a connection the server closed failed with BrokenPipe — the client's error,
        # not the server's (63 of 200 on SQLite in a quiet run, 2026-12-07).
        conn.close()
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        t = time.perf_counter()
        conn.request("POST", path, body=form, headers=headers)
        r = conn.getresponse()
        r.read()
        elapsed = time.perf_counter() - t
        with lock:
            if r.status == 302 and "/done/" in (r.getheader("Location") or ""):
                out["ok"] += 1
                out["latencies"].append(elapsed)
            else:
                out["errors"].append(f"HTTP {r.status}")
    except Exception as exc:  # noqa: BLE001 (every failure is counted, none may pass silently)
        with lock:
            out["errors"].append(repr(exc))
    finally:
        conn.close()


def run(full: bool = False, clients: int = 200) -> dict[str, Any]:
    from gongkai.applications.models import Application

    ds = current()
    before = Application.objects.filter(org__code=ds.intake_code).count()
    path = f"/ysqgk/{ds.intake_code}/"
    out: dict[str, Any] = {"ok": 0, "errors": [], "latencies": []}
    lock = threading.Lock()
    with gunicorn(warm=[path]) as port:
        barrier = threading.Barrier(clients)
        threads = [
            threading.Thread(target=_submit, args=(port, path, i, barrier, out, lock)) for i in range(clients)
        ]
        started = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - started
    stored = Application.objects.filter(org__code=ds.intake_code).count() - before
    lat = out["latencies"] or [float("nan")]
    return {
        "clients": clients, "acknowledged": out["ok"], "failed": len(out["errors"]),
        "lost": max(0, out["ok"] - stored), "unacknowledged_stored": max(0, stored - out["ok"]),
        "stored": stored, "median_s": median(lat), "p95_s": p95(lat), "wall_s": wall,
        "first_errors": out["errors"][:5],
    }  # fmt: skip
