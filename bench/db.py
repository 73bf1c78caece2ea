"""The benchmark databases: a SQLite file under var/ and PostgreSQL ``gk_bench`` (full: ``gk_bench_full``), rebuilt
when the dataset changes.

Never the demo or test databases: the names must contain ``bench`` (PostgreSQL: never ``test_*``). Override with
GONGKAI_BENCH_SQLITE (a path) and GONGKAI_BENCH_PG_URL.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VENDORS = ("sqlite", "postgresql")


def setup_in_process() -> None:
    """Django for the suites run in the calling process: var/bench.sqlite3 (never the demo database), migrated."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def database_url(vendor: str, size: str) -> str:
    if vendor == "sqlite":
        path = os.environ.get("GONGKAI_BENCH_SQLITE") or str(ROOT / "var" / f"bench-{size}.sqlite3")
        return f"sqlite:///{path}"
    # The full dataset has its own database, so a full run does not cost the next bench-small a reload.
    default = "postgres://postgres@127.0.0.1:5432/gk_bench" + ("_full" if size == "full" else "")
    return os.environ.get("GONGKAI_BENCH_PG_URL", default)


def _guard(url: str) -> None:
    name = Path(urlparse(url).path).name
    if "bench" not in name or name.startswith("test_"):
        raise SystemExit(f"refusing to touch {url}: benchmark databases must be named *bench* and not test_*")


def recreate(url: str) -> None:
    """Drop and create the benchmark database (empty; the caller migrates)."""
    _guard(url)
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        path = Path(parsed.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    import psycopg

    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        _tune(conn, name)


# The PostgreSQL settings README recommends for a deployment (SSD storage; bitmaps of frequent search words
# that fit in memory), applied to the benchmark database so it measures what a deployment runs.
PG_SETTINGS = {"random_page_cost": "1.1", "work_mem": "16MB"}


def _tune(conn: object, name: str) -> None:
    for key, value in PG_SETTINGS.items():
        conn.execute(f"ALTER DATABASE \"{name}\" SET {key} = '{value}'")  # type: ignore[attr-defined]


def ensure_exists(url: str) -> None:
    """Create the PostgreSQL database if it is missing (SQLite files appear by themselves)."""
    _guard(url)
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        Path(parsed.path).parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
        _tune(conn, name)


def schema_hash() -> str:
    """Changes when any migration or the generator changes: the stored dataset is then rebuilt from scratch."""
    h = hashlib.sha256()
    files = [*sorted(ROOT.glob("gongkai/*/migrations/*.py")), ROOT / "bench" / "generate.py"]
    for f in files:
        h.update(f.relative_to(ROOT).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def prepare(url: str, size_name: str, log: Callable[[str], None] = print) -> object:
    """Django is set up on ``url``: reuse the loaded dataset if it is the one wanted, else recreate and generate."""
    import time

    from django.core.management import call_command
    from django.db import connection

    from bench import generate as g

    size = g.FULL if size_name == "full" else g.SMALL
    key = schema_hash()
    try:
        ds = g.loaded(size, key)
    except Exception:  # noqa: BLE001 (a half-made or foreign database: rebuild it)
        ds = None
    if ds is not None:
        log(f"   dataset {size.name} already loaded ({ds.counts})")
        return ds
    started = time.perf_counter()
    connection.close()
    recreate(url)
    call_command("migrate", verbosity=0, interactive=False)
    log(f"   migrated in {time.perf_counter() - started:.1f} s; generating the {size.name} prefecture")
    ds = g.generate(size, key=key, log=log)
    log(f"   generated in {ds.seconds} s: {ds.counts}")
    return ds
