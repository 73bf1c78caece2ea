"""Restore a backup archive into an empty database (scope.py says what empty means).

Order: read the manifest; the audit key of this deployment (environment) must be the one the backup was made
with; migrate; the migration state must equal the backup's; the database must be empty; check that no stored
file would be overwritten with other content; then, in one transaction, replace the seeded tables and load
every table (foreign keys checked at the end), reset the sequences (PostgreSQL), and compare the row counts;
then put the files and compare their hashes; last, walk the audit chain and compare its head with the backup's.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, transaction

from .. import chain
from ..services import audit_verify
from . import FORMAT, FORMAT_VERSION, MANIFEST, BackupError, codec, rebuild_after_restore, scope
from .writer import COPY_CHUNK, applied_migrations, audit_head

Progress = Callable[[str], None]


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError("备份文件中没有可读的清单（manifest.json），不是本平台的备份或已损坏。") from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError("备份文件的格式或版本不受支持。")
    return manifest


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError as exc:
        raise BackupError(f"备份中的数据表「{label}」在当前版本中不存在，请用制作备份时的版本恢复。") from exc


def _check_preconditions(manifest: dict[str, Any], using: str) -> None:
    if manifest["audit_key_id"] != chain.audit_key_id():
        raise BackupError(
            "当前的审计日志密钥（环境变量 GONGKAI_AUDIT_KEY）与制作备份时的不同，恢复后审计链将无法校验。"
            f"请设置制作备份时的密钥（密钥标识 {manifest['audit_key_id']}）后再恢复。"
        )
    if applied_migrations(using) != manifest["migrations"]:
        raise BackupError("备份的数据库结构（迁移状态）与当前版本不同：请用制作备份时的版本恢复，再升级。")
    if full := scope.non_empty_tables(using):
        raise BackupError(
            "目标数据库不是空库，拒绝恢复（已有数据的表：" + "、".join(full[:8]) + ("等" if len(full) > 8 else "")
            + "）。请换用新建的空数据库。"
        )  # fmt: skip


def _field(entry: dict[str, Any]) -> Any:
    app_model, _, name = entry["field"].rpartition(".")
    return _model(app_model)._meta.get_field(name)


def _stored_sha256(storage: Any, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as fh:
        while chunk := fh.read(COPY_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check_files_free(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The files still to put; a stored file of the same name must have the same content."""
    todo = []
    for entry in manifest["files"]:
        storage = _field(entry).storage
        if not storage.exists(entry["name"]):
            todo.append(entry)
        elif _stored_sha256(storage, entry["name"]) != entry["sha256"]:
            raise BackupError(f"文件存储中已有同名而内容不同的文件：{entry['name']}，拒绝覆盖。")
    return todo


def _insert(model: Any, objs: list[Any], using: str) -> None:
    """Insert rows as they are (raw: no auto_now, no signals), like loaddata, but in batches."""
    fields = model._meta.local_concrete_fields
    batch = max(1, connections[using].ops.bulk_batch_size(fields, objs))
    for start in range(0, len(objs), batch):
        model._base_manager.using(using)._insert(
            objs[start : start + batch], fields=fields, raw=True, using=using
        )


def _load_table(archive: zipfile.ZipFile, label: str, using: str) -> int:
    model = _model(label)
    if model._meta.parents:  # pragma: no cover - no multi-table inheritance in the platform
        raise BackupError(f"数据表「{label}」使用多表继承，暂不支持恢复。")
    count = 0
    with archive.open(f"db/{label}.jsonl") as member:
        lines = io.TextIOWrapper(member, encoding="utf-8")
        for chunk in codec.chunked(codec.decode_rows(lines), codec.CHUNK):
            _insert(model, chunk, using)
            count += len(chunk)
    return count


def _load_database(archive: zipfile.ZipFile, manifest: dict[str, Any], using: str, say: Progress) -> None:
    connection = connections[using]
    tables = manifest["tables"]
    with transaction.atomic(using=using):
        for model in reversed(scope.backed_up_models()):
            if scope.label(model) in scope.SEEDED_BY_MIGRATIONS:
                model._base_manager.using(using).all().delete()
        with connection.constraint_checks_disabled():
            for n, table in enumerate(tables, start=1):
                loaded = _load_table(archive, table["table"], using)
                if loaded != table["rows"]:
                    raise BackupError(
                        f"数据表「{table['table']}」读入 {loaded} 行，清单记载 {table['rows']} 行。"
                    )
                say(f"数据表 {n}/{len(tables)}：{table['table']}，{loaded} 行")
        models = [_model(t["table"]) for t in tables]
        connection.check_constraints(table_names=[m._meta.db_table for m in models])
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        counts = {t["table"]: _model(t["table"])._base_manager.using(using).count() for t in tables}
        wrong = [
            label
            for label, rows in counts.items()
            if rows != next(t["rows"] for t in tables if t["table"] == label)
        ]
        if wrong:
            raise BackupError("恢复后行数与清单不符：" + "、".join(wrong))
    ContentType.objects.clear_cache()


def _put_files(archive: zipfile.ZipFile, todo: list[dict[str, Any]], say: Progress) -> None:
    for n, entry in enumerate(todo, start=1):
        storage = _field(entry).storage
        with archive.open(f"files/{entry['name']}") as member:
            name = storage.save(entry["name"], File(member, name=entry["name"]))
        if name != entry["name"]:
            raise BackupError(f"文件存储把 {entry['name']} 存成了 {name}，恢复中止。")
        if n % 50 == 0 or n == len(todo):
            say(f"文件 {n}/{len(todo)}")


def _verify(manifest: dict[str, Any], using: str) -> dict[str, Any]:
    bad = [
        e["name"] for e in manifest["files"] if _stored_sha256(_field(e).storage, e["name"]) != e["sha256"]
    ]
    if bad:
        raise BackupError("恢复后文件的 SHA-256 与清单不符：" + "、".join(bad[:5]))
    checked, problem = audit_verify(anchors=())
    if problem is not None:
        raise BackupError(f"恢复后审计链校验未通过：{problem}")
    if audit_head(using) != manifest["audit_head"]:
        raise BackupError("恢复后审计链头与备份记载的不同。")
    return {"audit_rows": checked, "files": len(manifest["files"]), "tables": len(manifest["tables"])}


def restore_backup(
    path: Path | str, *, using: str = "default", migrate: bool = True, progress: Progress | None = None
) -> dict[str, Any]:
    """Restore the archive at ``path``; return what was checked. Raises BackupError, with nothing loaded
    when a precondition fails."""
    say = progress or (lambda message: None)
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        if migrate:
            say("迁移数据库结构……")
            call_command("migrate", database=using, interactive=False, verbosity=0)
        _check_preconditions(manifest, using)
        todo = _check_files_free(manifest)
        _load_database(archive, manifest, using, say)
        _put_files(archive, todo, say)
    rebuild_after_restore()
    result = _verify(manifest, using)
    say(
        f"恢复完成：{result['tables']} 张表，{result['files']} 个文件，审计链 {result['audit_rows']} 条校验通过。"
    )
    return result
