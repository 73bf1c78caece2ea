"""Write a backup archive (a zip file): ``db/<app.model>.jsonl`` per table, ``files/<stored name>`` per stored
file, and ``manifest.json`` (row counts, file sizes and SHA-256, the audit head, the audit key id, the migration
state). The rows are read in one transaction (on PostgreSQL a repeatable-read snapshot), so counts, rows and
the audit head agree with each other; each table and each file is streamed, never held in memory whole."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .. import chain
from ..models import GENESIS_HASH, AuditHead
from . import FORMAT, FORMAT_VERSION, MANIFEST, codec, scope

Progress = Callable[[str], None]
COPY_CHUNK = 1 << 20


def applied_migrations(using: str = "default") -> dict[str, list[str]]:
    """``{app: [migration names]}`` applied on the database, sorted."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def audit_head(using: str = "default") -> dict[str, Any]:
    head = AuditHead.objects.using(using).filter(id=1).first()
    if head is None:
        return {"last_entry_id": 0, "last_hash": GENESIS_HASH}
    return {"last_entry_id": head.last_entry_id, "last_hash": head.last_hash}


class _HashingWriter(io.RawIOBase):
    """Counts and hashes what passes through to the archive member."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = bytes(data)
        self.sha256.update(view)
        self.size += len(view)
        self.target.write(view)
        return len(view)


def _snapshot(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def _write_table(archive: zipfile.ZipFile, model: Any, using: str) -> dict[str, Any]:
    rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000)
    count = 0
    with archive.open(f"db/{scope.label(model)}.jsonl", "w", force_zip64=True) as member:
        out = _HashingWriter(member)
        for line in codec.encode_rows(model, rows):
            out.write(line.encode())
            count += 1
    return {"table": scope.label(model), "rows": count, "sha256": out.sha256.hexdigest()}


def _stored_files(models: list[Any], using: str) -> list[tuple[str, Any]]:
    """(stored name, field) of every file a row points at, each name once, in a stable order."""
    seen: dict[str, Any] = {}
    for model in models:
        for field in scope.file_fields(model):
            names = (
                model._base_manager.using(using)
                .exclude(**{field.name: ""})
                .values_list(field.name, flat=True)
            )
            for name in names.order_by(field.name).iterator():
                seen.setdefault(name, field)
    return sorted(seen.items())


def _write_file(archive: zipfile.ZipFile, name: str, field: Any) -> dict[str, Any]:
    with (
        field.storage.open(name, "rb") as source,
        archive.open(f"files/{name}", "w", force_zip64=True) as member,
    ):
        out = _HashingWriter(member)
        while chunk := source.read(COPY_CHUNK):
            out.write(chunk)
    return {"name": name, "field": f"{scope.label(field.model)}.{field.name}", "size": out.size,
            "sha256": out.sha256.hexdigest()}  # fmt: skip


def write_backup(
    path: Path | str, *, using: str = "default", progress: Progress | None = None
) -> dict[str, Any]:
    """Write the archive to ``path`` and return its manifest. A file a row names but the storage lacks is
    listed under ``missing`` (and reported), not silently left out."""
    say = progress or (lambda message: None)
    models = scope.backed_up_models()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "source_vendor": connections[using].vendor,
        "audit_key_id": chain.audit_key_id(),
        "audit_alg": chain.current_algorithm(),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        outermost = not connections[using].in_atomic_block
        with transaction.atomic(using=using):
            if outermost:  # (inside a caller's transaction, that transaction is the snapshot)
                _snapshot(using)
            manifest["migrations"] = applied_migrations(using)
            manifest["audit_head"] = audit_head(using)
            tables = []
            for n, model in enumerate(models, start=1):
                tables.append(_write_table(archive, model, using))
                say(f"数据表 {n}/{len(models)}：{tables[-1]['table']}，{tables[-1]['rows']} 行")
            stored = _stored_files(models, using)
        manifest["tables"] = tables
        files, missing = [], []
        for n, (name, field) in enumerate(stored, start=1):
            if not field.storage.exists(name):
                missing.append(name)
                say(f"文件缺失：{name}")
                continue
            files.append(_write_file(archive, name, field))
            if n % 50 == 0 or n == len(stored):
                say(f"文件 {n}/{len(stored)}")
        manifest["files"] = files
        manifest["missing_files"] = missing
        archive.writestr(MANIFEST, codec.json_dumps(manifest, indent=1))
    return manifest
