"""Backup and restore (issue 21): the demo county backed up, restored into fresh databases by the real
commands in a separate process, row counts, file hashes and the audit
chain equal; refusals; "empty"."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from gongkai.applications.models import Attachment
from gongkai.applications.tests.factories import ApplicationFactory
from gongkai.backoffice.demo import load_demo
from gongkai.catalog.models import TypoEntry
from gongkai.core import chain
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.backup import BackupError, scope
from gongkai.core.backup.reader import restore_backup
from gongkai.core.backup.writer import write_backup
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.orgs.tests.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parents[3]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256)) * 40


def _gongkai(args: list[str], *, database_url: str, var: Path) -> subprocess.CompletedProcess[str]:
    """Run the `gongkai` command as an operator would: production settings, its own database and var/."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GONGKAI_", "PYTEST"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": database_url,
        "GONGKAI_VAR_DIR": str(var),
        "GONGKAI_AUDIT_KEY": settings.GONGKAI_AUDIT_KEY,
        "GONGKAI_SECRET_KEY": settings.SECRET_KEY,
        "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args], env=env, capture_output=True, text=True, timeout=600
    )


def _attach():
    app = ApplicationFactory(org=OrganisationFactory())
    Attachment.objects.create(
        application=app, file=ContentFile(PDF, name="材料.pdf"), name="材料.pdf", content_type="application/pdf",
        extension=".pdf", size=len(PDF), sha256=hashlib.sha256(PDF).hexdigest(),
    )  # fmt: skip


@pytest.fixture
def demo_backup(db, tmp_path, django_capture_on_commit_callbacks):
    """The demo county (with its 电子印章 images), with one stored attachment, backed up through the command."""
    with django_capture_on_commit_callbacks(execute=True):  # the search index, as in production
        load_demo()
    _attach()
    path = tmp_path / "demo.zip"
    call_command("backup", "--to", str(path), "--quiet")
    return path


@pytest.fixture
def small_backup(db, tmp_path):
    """One organisation, one application with a stored attachment, one audit row: without the demo's seconds."""
    _attach()
    audit_record(actor=SYSTEM_TEST, action="other", object_type="test", object_repr="一行")
    path = tmp_path / "small.zip"
    call_command("backup", "--to", str(path), "--quiet")
    return path


def _manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def _sqlite_counts(file: Path, manifest: dict) -> dict[str, int]:
    from django.apps import apps

    with sqlite3.connect(file) as db:
        return {
            t["table"]: db.execute(
                f'SELECT COUNT(*) FROM "{apps.get_model(t["table"])._meta.db_table}"'
            ).fetchone()[0]
            for t in manifest["tables"]
        }


def test_backup_holds_every_table_the_files_the_head_and_the_key_id_never_the_key(small_backup):
    demo_backup = small_backup
    manifest = _manifest(demo_backup)
    counts = {t["table"]: t["rows"] for t in manifest["tables"]}
    assert counts["core.auditentry"] == AuditEntry.objects.count() == 2  # the row above and the backup's own
    assert counts["applications.application"] == 1 and counts["orgs.organisation"] == 1
    assert "sessions.session" not in counts and counts["auth.permission"] > 0
    assert manifest["audit_head"]["last_entry_id"] == AuditEntry.objects.order_by("-id").first().id
    assert manifest["audit_key_id"] == chain.audit_key_id() and len(manifest["audit_key_id"]) == 16
    (file,) = manifest["files"]
    assert (
        file["sha256"] == hashlib.sha256(PDF).hexdigest() and file["field"] == "applications.attachment.file"
    )
    raw = demo_backup.read_bytes()
    assert settings.GONGKAI_AUDIT_KEY.encode() not in raw
    with zipfile.ZipFile(demo_backup) as archive:
        assert archive.read(f"files/{file['name']}") == PDF
        assert settings.GONGKAI_AUDIT_KEY.encode() not in b"".join(
            archive.read(n) for n in archive.namelist()
        )
    # the backup is an audited export
    assert AuditEntry.objects.filter(object_type="backup", action="export").exists()


def test_demo_restores_into_a_fresh_sqlite_database_exactly(demo_backup, tmp_path):
    """SQLite pass: SQLite → SQLite; PostgreSQL pass: PostgreSQL → SQLite."""
    manifest = _manifest(demo_backup)
    target, var = tmp_path / "restored.sqlite3", tmp_path / "var"
    url = f"sqlite:///{target}"
    restored = _gongkai(["restore", str(demo_backup)], database_url=url, var=var)
    assert restored.returncode == 0, restored.stderr
    assert "审计链" in restored.stdout and "数据表" in restored.stderr  # progress on stderr
    # exact: the backup's rows and nothing else (the restore itself goes to the operational log)
    expected = {t["table"]: t["rows"] for t in manifest["tables"]}
    assert _sqlite_counts(target, manifest) == expected
    assert "运行日志" in restored.stdout and "restored backup" in restored.stderr
    head = manifest["audit_head"]
    with sqlite3.connect(target) as db:
        last = db.execute("SELECT id FROM core_auditentry ORDER BY id DESC LIMIT 1").fetchone()
    assert last == (head["last_entry_id"],)
    # the attachment and the demo's 电子印章 images (issue 17), each restored byte for byte
    fields = {f["field"] for f in manifest["files"]}
    assert "applications.attachment.file" in fields and "applications.organisationseal.image" in fields
    for file in manifest["files"]:
        assert hashlib.sha256((var / "media" / file["name"]).read_bytes()).hexdigest() == file["sha256"]
    verified = _gongkai(["audit_verify", "--no-anchor"], database_url=url, var=var)
    assert verified.returncode == 0, verified.stderr
    # and once more: a restored database is not empty any more
    again = _gongkai(["restore", str(demo_backup)], database_url=url, var=var)
    assert again.returncode == 1 and "不是空库" in again.stderr


def test_audit_row_option_chains_the_restore_after_the_backups_head(small_backup, tmp_path):
    """`--audit-row`: the restore is also written to the audit chain, one row after the backup's head."""
    manifest = _manifest(small_backup)
    target, var = tmp_path / "restored.sqlite3", tmp_path / "var"
    url = f"sqlite:///{target}"
    restored = _gongkai(["restore", str(small_backup), "--quiet", "--audit-row"], database_url=url, var=var)
    assert restored.returncode == 0, restored.stderr
    expected = {t["table"]: t["rows"] for t in manifest["tables"]}
    expected["core.auditentry"] += 1
    assert _sqlite_counts(target, manifest) == expected
    head = manifest["audit_head"]
    with sqlite3.connect(target) as db:
        last = db.execute(
            "SELECT id, prev_hash, object_type, object_repr, action FROM core_auditentry ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert last == (head["last_entry_id"] + 1, head["last_hash"], "backup", "恢复 全库备份", "import")
    assert f"审计日志（第 {head['last_entry_id'] + 1} 条）" in restored.stdout
    verified = _gongkai(["audit_verify", "--no-anchor"], database_url=url, var=var)
    assert verified.returncode == 0, verified.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL pass only: needs a second database")
def test_sqlite_county_moves_to_a_fresh_postgresql_database(demo_backup, tmp_path):
    """PostgreSQL pass: the demo goes to SQLite, is backed up there, and restored into a fresh PostgreSQL."""
    var = tmp_path / "var"
    sqlite_url = f"sqlite:///{tmp_path / 'county.sqlite3'}"
    assert _gongkai(["restore", str(demo_backup)], database_url=sqlite_url, var=var).returncode == 0
    from_sqlite = tmp_path / "from-sqlite.zip"
    made = _gongkai(["backup", "--to", str(from_sqlite), "--quiet"], database_url=sqlite_url, var=var)
    assert made.returncode == 0, made.stderr
    manifest = _manifest(from_sqlite)
    assert manifest["source_vendor"] == "sqlite"
    params = connection.settings_dict
    name = f"{params['NAME']}_restore"
    admin = f"postgresql://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/postgres"
    with psycopg.connect(admin, autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}"')
        pg.execute(f'CREATE DATABASE "{name}"')
    pg_url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/{name}"
    try:
        restored = _gongkai(
            ["restore", str(from_sqlite), "--quiet"], database_url=pg_url, var=tmp_path / "pg"
        )
        assert restored.returncode == 0, restored.stderr
        assert (
            _gongkai(["audit_verify", "--no-anchor"], database_url=pg_url, var=tmp_path / "pg").returncode
            == 0
        )
        with psycopg.connect(pg_url.replace("postgres://", "postgresql://", 1)) as pg:
            audit_rows = pg.execute("SELECT COUNT(*) FROM core_auditentry").fetchone()[0]
            next_letter = pg.execute("SELECT nextval('applications_letter_id_seq')").fetchone()[0]
            letters = pg.execute("SELECT MAX(id) FROM applications_letter").fetchone()[0]
        counts = {t["table"]: t["rows"] for t in manifest["tables"]}
        assert audit_rows == counts["core.auditentry"]  # exactly the backup's rows
        assert next_letter == letters + 1  # sequences reset: the next row does not collide
    finally:
        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db
def test_a_freshly_migrated_database_is_empty_and_a_real_row_makes_it_not():
    """The definition of empty (scope.py): only the tables migrations fill may hold rows."""
    assert scope.non_empty_tables() == []
    for seeded in (
        "contenttypes.contenttype",
        "auth.permission",
        "workdays.calendaryear",
        "catalog.typoentry",
    ):
        from django.apps import apps

        assert apps.get_model(seeded).objects.exists(), seeded
    TypoEntry.objects.create(wrong="测试错词", correct="测试")
    assert scope.non_empty_tables() == []  # a seeded table: replaced wholesale by the backup's rows
    OrganisationFactory()
    assert scope.non_empty_tables() == ["orgs.organisation"]


def test_restore_refuses_a_non_empty_database_before_loading_anything(small_backup):
    before = AuditEntry.objects.count()
    with pytest.raises(BackupError, match="不是空库"):
        restore_backup(small_backup, migrate=False)
    assert AuditEntry.objects.count() == before


def test_restore_refuses_another_audit_key(small_backup):
    with (
        override_settings(GONGKAI_AUDIT_KEY="another-key-of-enough-length"),
        pytest.raises(BackupError, match="审计日志密钥"),
    ):
        restore_backup(small_backup, migrate=False)


def test_restore_refuses_something_that_is_not_a_backup(tmp_path, db):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(BackupError, match="清单"):
        restore_backup(path, migrate=False)


@pytest.mark.django_db
def test_datetimes_keep_their_microseconds(tmp_path):
    """The audit hash covers created_at to the microsecond; Django's JSON encoder would cut it."""
    entry = audit_record(actor=SYSTEM_TEST, action="other", object_type="test", object_repr="微秒")
    entry.refresh_from_db()
    write_backup(tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        lines = archive.read("db/core.auditentry.jsonl").decode().splitlines()
    written = {json.loads(line)["pk"]: json.loads(line)["fields"]["created_at"] for line in lines}
    assert dt.datetime.fromisoformat(written[entry.pk]) == entry.created_at
