"""A gunicorn serving the project (bench settings) on 127.0.0.1, and a small threaded HTTP load generator.

Loopback only: the client refuses any host but 127.0.0.1.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
WORKERS, THREADS = 2, 4  # 2 cores: one process per core, a few threads each (gthread)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _database_url() -> str:
    return os.environ["DATABASE_URL"]


@contextmanager
def gunicorn(*, warm: Sequence[str] = (), env: Mapping[str, str] | None = None) -> Iterator[int]:
    """Start gunicorn on a free loopback port with the current DATABASE_URL; yield the port; stop it."""
    with nodes(1, warm=warm, env=env) as ports:
        yield ports[0]


@contextmanager
def nodes(
    count: int, *, warm: Sequence[str] = (), env: Mapping[str, str] | None = None, workers: int = WORKERS
) -> Iterator[list[int]]:
    """``count`` gunicorns on free loopback ports, the same database (and whatever ``env`` adds, e.g. one
    REDIS_URL): application nodes as a load balancer would see them. Yield their ports; stop them all."""
    connection.close()  # the servers open their own connections
    ports = [_free_port() for _ in range(count)]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": _database_url(),
        **(env or {}),
    }
    log = ROOT / "var" / "bench-gunicorn.log"
    procs: list[subprocess.Popen[bytes]] = []
    try:
        with log.open("ab") as out:
            for port in ports:
                procs.append(subprocess.Popen(  # noqa: S603 (our own venv's gunicorn)
                    [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"{HOST}:{port}",
                     "--workers", str(workers), "--threads", str(THREADS), "--worker-class", "gthread",
                     "--backlog", "2048", "--timeout", "120", "--log-level", "warning"],
                    cwd=ROOT, env=env, stdout=out, stderr=out,
                ))  # fmt: skip
        for proc, port in zip(procs, ports, strict=True):
            _wait_until_up(proc, port, log)
        for port in ports:
            for path in warm:  # load jieba, templates and connections in every worker before timing
                for _ in range(workers * THREADS):
                    get(port, path)
        yield ports
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_until_up(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({proc.returncode}); see {log}")
        try:
            status, _ = get(port, "/bench/trivial/")
            if status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer within 60 s; see {log}")
        time.sleep(0.2)


def get(
    port: int,
    path: str,
    *,
    conn: http.client.HTTPConnection | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, bytes]:
    own = conn is None
    c = conn or http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        c.request("GET", path, headers={"Host": HOST, **(headers or {})})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        if own:
            c.close()


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def load(
    port: int, paths: Sequence[str], *, requests: int, concurrency: int = 2, max_seconds: float = 30
) -> Load:
    """GET ``paths`` round-robin, ``requests`` in all, from ``concurrency`` keep-alive connections; stop early
    after ``max_seconds``. A response other than 200 is an error (its latency is not counted)."""
    result = Load()
    lock = threading.Lock()
    counter = iter(range(requests))
    stop_at = time.monotonic() + max_seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            while time.monotonic() < stop_at:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                path = paths[i % len(paths)]
                t = time.perf_counter()
                try:
                    status, _ = get(port, path, conn=conn)
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=60)
                    with lock:
                        result.errors.append(f"{path}: {exc!r}")
                    continue
                elapsed = time.perf_counter() - t
                with lock:
                    if status == 200:
                        result.latencies.append(elapsed)
                    else:
                        result.errors.append(f"{path}: HTTP {status}")
        finally:
            conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    result.seconds = time.perf_counter() - started
    return result
