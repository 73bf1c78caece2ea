"""Several application nodes for the multi-node tests (core/tests/test_two_nodes.py): gunicorn as `make serve`
runs it (config/gunicorn.conf.py, production settings), on free loopback ports, sharing the test's PostgreSQL
database, one Redis database and one media folder, plus a Celery worker; and visitors that talk to them.

A visitor keeps one cookie jar for every node (cookies are per host, not per port: as behind a load balancer),
sends the site's ``Host`` to each (as the load balancer passes it on) and its own client address in
``X-Forwarded-For``, which the nodes believe from 127.0.0.1 only
(``GONGKAI_TRUSTED_PROXIES``), so the per-address limits and lockouts see distinct clients.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[3]
HOST = "127.0.0.1"
SECRET_KEY = "two-nodes-test-secret-key-" + "k" * 40  # the same on every node: sessions are signed with it
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_for(predicate: Callable[[], Any], what: str, limit: float = 90) -> Any:
    """Poll until predicate() is true (start-up and background work only; no speed is asserted)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Node:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(
                f"{self.name} exited ({self.process.returncode}):\n{self.log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(self.url("/robots.txt"), timeout=5) as r:  # noqa: S310 (loopback)
                return bool(r.status == 200)
        except (urllib.error.URLError, ConnectionError):
            return False


def node_env(*, database: Mapping[str, Any], redis_url: str, var: Path, audit_key: str) -> dict[str, str]:
    """The environment of every node and worker: one database, one Redis, one media folder, one secret."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DJANGO_", "REDIS_"))}
    host, port = database.get("HOST") or HOST, database.get("PORT") or 5432
    env.update(
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}",
        REDIS_URL=redis_url,
        GONGKAI_SECRET_KEY=SECRET_KEY,
        GONGKAI_AUDIT_KEY=audit_key,
        GONGKAI_ALLOWED_HOSTS=HOST,
        GONGKAI_TRUSTED_PROXIES=HOST,
        GONGKAI_VAR_DIR=str(var),
        GONGKAI_WORKERS="2",
        GONGKAI_THREADS="4",
        GONGKAI_LOG_LEVEL="WARNING",
        GONGKAI_AUDIT_ANCHOR_FILE="",
    )
    return env


@dataclass
class Cluster:
    """Nodes and workers started for one test; ``stop()`` ends them gracefully (SIGTERM), as systemd does."""

    env: dict[str, str]
    logs: Path
    nodes: list[Node] = field(default_factory=list)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start_nodes(self, count: int) -> list[Node]:
        for n in range(count):
            port, name = free_port(), f"node{len(self.nodes) + 1}"
            log = self.logs / f"{name}.log"
            env = {**self.env, "GONGKAI_BIND": f"{HOST}:{port}"}
            with log.open(
                "wb"
            ) as out:  # a file, not a pipe nobody reads (it could fill up and block the node)
                process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                )  # fmt: skip
            self.nodes.append(Node(name, port, process, log))
            del n
        for node in self.nodes:
            wait_for(node.answers, f"{node.name} to answer")
        return self.nodes

    def start_worker(self) -> None:
        log = (self.logs / f"worker{len(self.workers) + 1}.log").open("wb")
        cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-l", "WARNING"]
        cmd += ["--without-gossip", "--without-mingle", "-n", f"twonodes{len(self.workers)}@%h"]
        self.workers.append(
            subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        )

    def stop(self) -> None:
        """SIGTERM to every process, then wait: the nodes' workers finish their requests and flush at exit."""
        processes = [n.process for n in self.nodes] + self.workers
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in processes:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def errors_logged(self) -> list[str]:
        """Tracebacks and 5xx answers the nodes logged (gunicorn's access log goes to the same file)."""
        found = []
        for node in self.nodes:
            for line in node.log.read_text(errors="replace").splitlines():
                if "Traceback" in line or re.search(r'" 5\d\d ', line):
                    found.append(f"{node.name}: {line}")
        return found


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer to look at (Location), not to follow


class Visitor:
    """One client: its cookie jar (the same for every node) and its address."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.headers = {"Host": HOST, "X-Forwarded-For": address}
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(
        self,
        node: Node,
        path: str,
        *,
        data: bytes | None = None,
        headers: Mapping[str, str] = {},
        method: str = "",
    ) -> Reply:
        req = urllib.request.Request(  # noqa: S310 (loopback)
            node.url(path), data=data, headers={**self.headers, **headers}, method=method or None
        )
        try:
            with self.opener.open(req, timeout=120) as r:
                return Reply(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode())
        except urllib.error.HTTPError as e:
            return Reply(
                e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode(errors="replace")
            )

    def get(self, node: Node, path: str, **headers: str) -> Reply:
        return self.request(node, path, headers=headers)

    def post_form(
        self, node: Node, path: str, fields: Mapping[str, str], *, token_from: str | None = None
    ) -> Reply:
        """POST a form the way a browser does: the CSRF token from the form page (GET first, on this node)."""
        page = self.get(node, token_from or path)
        match = CSRF_FIELD.search(page.text)
        assert match, f"no CSRF token on {token_from or path} ({page.status})"
        body = urlencode({"csrfmiddlewaretoken": match.group(1), **fields}).encode()
        return self.request(
            node, path, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )

    def post_files(
        self, node: Node, path: str, fields: Mapping[str, str], files: list[tuple[str, str, bytes]]
    ) -> Reply:
        """POST multipart/form-data (``files``: field name, file name, content) with the form page's CSRF token."""
        match = CSRF_FIELD.search(self.get(node, path).text)
        assert match, f"no CSRF token on {path}"
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in {"csrfmiddlewaretoken": match.group(1), **fields}.items()
        ]
        for name, filename, content in files:
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            parts.append(
                head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(
            node, path, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def json(self, node: Node, method: str, path: str, token: str, payload: bytes | None = None) -> Reply:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        return self.request(node, path, data=payload, headers=headers, method=method)
