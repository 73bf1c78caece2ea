"""`make serve` smoke test: gunicorn with config/gunicorn.conf.py and the production settings starts on a free
loopback port and answers /healthz; without the secrets it refuses to start, saying why in Chinese."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = Path(sys.executable).with_name("gunicorn")

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed in this environment")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DJANGO_", "REDIS_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        PYTHONPATH=str(ROOT),
        GONGKAI_VAR_DIR=str(tmp_path / "var"),
        GONGKAI_WORKERS="1",
        GONGKAI_THREADS="2",
    )
    env.update(extra)
    return env


def _production_env(tmp_path: Path, port: int) -> dict[str, str]:
    return _env(
        tmp_path,
        GONGKAI_BIND=f"127.0.0.1:{port}",
        GONGKAI_SECRET_KEY="s" * 60,
        GONGKAI_AUDIT_KEY="test-audit-key-for-the-serve-smoke-test",
        GONGKAI_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    )


def test_gunicorn_serves_healthz_with_production_settings(tmp_path):
    port = _free_port()
    cmd = [str(GUNICORN), "-c", "config/gunicorn.conf.py"]
    with subprocess.Popen(
        cmd, cwd=ROOT, env=_production_env(tmp_path, port), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as server:
        try:
            body, status = None, None
            deadline = time.monotonic() + 60  # waiting for start-up only; nothing about speed is asserted
            while time.monotonic() < deadline and server.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                        status, body = response.status, json.loads(response.read())
                    break
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.3)
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            assert status == 200, body
            assert body == {
                "status": "ok",
                "checks": {
                    "database": {"ok": True},
                    "cache": {"ok": True},
                    "storage": {"ok": True},
                    "jobs": {"ok": True, "mode": "eager"},
                },
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert server.returncode == 0  # a clean shutdown on SIGTERM


def test_production_settings_refuse_to_start_without_the_secrets(tmp_path):
    env = _env(tmp_path, GONGKAI_ALLOWED_HOSTS="gk.example.gov.cn")
    done = subprocess.run(
        [str(GUNICORN), "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{_free_port()}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )
    output = (done.stdout + done.stderr).decode()
    assert done.returncode != 0
    assert "生产环境缺少必需的环境变量，服务未启动" in output
    assert "GONGKAI_SECRET_KEY" in output and "GONGKAI_AUDIT_KEY" in output and "DATABASE_URL" in output
    assert "GONGKAI_ALLOWED_HOSTS" not in output  # set: not named
    assert not (tmp_path / "var" / "secret_key").exists()  # no key was made up in its place
