"""Finding M3: the audit chain is keyed (HMAC, key outside the database) and anchored outside the database."""

from __future__ import annotations

import hashlib
import hmac
import importlib
import json
import os
import socket
import stat
from io import StringIO

import pytest
from cryptography.hazmat.primitives import hashes
from django.core.management import CommandError, call_command
from django.db import connection

from gongkai.core import chain
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import GENESIS_HASH, AuditAction, AuditEntry, AuditHead
from gongkai.core.services import (
    PERSONAL_FIELDS,
    REDACTED,
    audit_record,
    audit_verify,
    diff,
)

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table
HEAD_TABLE = AuditHead._meta.db_table


@pytest.fixture
def anchor_file(settings, tmp_path):
    """Anchors go to a fresh file of this test."""
    path = tmp_path / "audit-anchors.log"
    settings.GONGKAI_AUDIT_ANCHOR_FILE = str(path)
    return path


def record_chain(n: int) -> list[AuditEntry]:
    return [
        audit_record(
            actor=SYSTEM_TEST,
            action=AuditAction.UPDATE,
            object_type="tests.thing",
            object_id=str(i),
            object_repr=f"对象{i}",
            changes={"n": [i, i + 1]},
        )
        for i in range(n)
    ]


def raw_sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def move_head(entry_id: int, entry_hash: str) -> None:
    raw_sql(
        f"UPDATE {HEAD_TABLE} SET last_entry_id = %s, last_hash = %s WHERE id = 1", [entry_id, entry_hash]
    )


def rewrite_chain(*, alg: str, key: bytes | None, alter: dict[int, str]) -> None:
    """What someone with database write access can do with the project's code: alter rows, re-hash them all.

    ``key`` None with ``alg`` "sha256" is the old unkeyed scheme.
    """
    prev = GENESIS_HASH
    for entry in AuditEntry.objects.order_by("id"):
        entry.object_repr = alter.get(entry.id, entry.object_repr)
        entry.alg = alg
        if key is None:
            body = chain.canonical_json(entry.canonical())
            new_hash = hashlib.sha256(f"{prev}\n{body}".encode()).hexdigest()
        else:
            new_hash = chain.chain_hash(alg, prev, entry.canonical(), key=key)
        raw_sql(
            f"UPDATE {TABLE} SET object_repr = %s, alg = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [entry.object_repr, alg, prev, new_hash, entry.id],
        )
        prev = new_hash
    last = AuditEntry.objects.order_by("-id").first()
    move_head(last.id if last else 0, prev)


# --- the key -----------------------------------------------------------------------------------


def test_rows_are_hmac_keyed_with_the_configured_key(settings):
    # given the configured key
    entry = record_chain(1)[0]

    # then the stored hash is HMAC-SHA-256 under that key, not a plain hash anyone can recompute
    body = chain.canonical_json(entry.canonical())
    message = f"{GENESIS_HASH}\n{body}".encode()
    assert entry.alg == "hmac-sha256"
    assert entry.hash == hmac.new(settings.GONGKAI_AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()
    assert entry.hash != hashlib.sha256(message).hexdigest()


@pytest.mark.parametrize(
    ("alg", "key", "reason"),
    [
        ("hmac-sha256", b"a-key-guessed-by-the-attacker", "内容与哈希不符"),
        ("hmac-sm3", b"a-key-guessed-by-the-attacker", "内容与哈希不符"),
        ("sha256", None, "未知或不带密钥"),  # downgrade to the old unkeyed scheme
    ],
    ids=["hmac-sha256-wrong-key", "hmac-sm3-wrong-key", "unkeyed-sha256"],
)
def test_m3_recompute_chain_without_key_fails(alg, key, reason):
    # given an intact chain of four rows
    record_chain(4)
    assert audit_verify() == (4, None)

    # when someone with database access alters row 2 and recomputes every hash and the head with the
    # project's own code, but without the key
    rewrite_chain(alg=alg, key=key, alter={2: "篡改后重新计算全链"})

    # then the chain is internally consistent but fails at its first row, and the command exits non-zero
    checked, problem = audit_verify()
    assert problem is not None and (problem.entry_id, checked) == (1, 0)
    assert reason in str(problem)
    with pytest.raises(CommandError, match="审计日志校验失败：第 1 条"):
        call_command("audit_verify", stdout=StringIO())


def test_changing_the_key_breaks_verification(settings):
    # given a chain written under one key
    record_chain(2)

    # when verified under another / then it fails: the key must be kept (and backed up) as long as the log
    settings.GONGKAI_AUDIT_KEY = "another-key-of-sufficient-length"
    assert audit_verify()[1].entry_id == 1


@pytest.mark.parametrize("key", ["", "short"])
def test_a_missing_or_short_key_is_refused(settings, key):
    from django.core.exceptions import ImproperlyConfigured

    settings.GONGKAI_AUDIT_KEY = key
    with pytest.raises(ImproperlyConfigured, match="GONGKAI_AUDIT_KEY"):
        record_chain(1)


def test_key_file_is_created_once_and_private(tmp_path, monkeypatch):
    # given no key in the environment (the pattern of var/secret_key)
    from config.settings import base

    monkeypatch.setattr(base, "VAR_DIR", tmp_path)
    monkeypatch.delenv("GONGKAI_AUDIT_KEY", raising=False)

    # when the settings read the key twice
    first = base._kept_key("GONGKAI_AUDIT_KEY", "audit_key")
    second = base._kept_key("GONGKAI_AUDIT_KEY", "audit_key")

    # then one random key is kept in var/, readable by its owner only; the environment wins when set
    assert first == second and len(first) >= 50
    assert stat.S_IMODE(os.stat(tmp_path / "audit_key").st_mode) == 0o600
    monkeypatch.setenv("GONGKAI_AUDIT_KEY", "from-the-environment-key")
    assert base._kept_key("GONGKAI_AUDIT_KEY", "audit_key") == "from-the-environment-key"


# --- SM3 -----------------------------------------------------------------------------------------


def test_hmac_sm3_is_rfc2104_over_gbt32905_sm3():
    # SM3 itself: the GB/T 32905-2016 example A.1 ("abc")
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"abc")
    assert digest.finalize().hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"

    # HMAC-SM3 as chain_hash computes it equals RFC 2104 built by hand on SM3 (block size 64 bytes)
    def sm3(data: bytes) -> bytes:
        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize()

    key = b"test-audit-key-not-for-production"
    message = f"{GENESIS_HASH}\n{chain.canonical_json({'a': 1})}".encode()
    padded = key.ljust(64, b"\0")
    expected = sm3(bytes(b ^ 0x5C for b in padded) + sm3(bytes(b ^ 0x36 for b in padded) + message)).hex()
    assert chain.chain_hash("hmac-sm3", GENESIS_HASH, {"a": 1}, key=key) == expected
    if "sm3" in hashlib.algorithms_available:  # the system OpenSSL, an independent implementation
        assert hmac.new(key, message, "sm3").hexdigest() == expected


def test_m3_sm3_chain_verifies(settings):
    # given a chain begun with HMAC-SHA-256, then switched to HMAC-SM3 (GONGKAI_AUDIT_HASH=sm3)
    record_chain(2)
    settings.GONGKAI_AUDIT_HASH = "sm3"
    record_chain(3)

    # then each row records its algorithm, and the whole chain verifies
    assert list(AuditEntry.objects.order_by("id").values_list("alg", flat=True)) == [
        "hmac-sha256", "hmac-sha256", "hmac-sm3", "hmac-sm3", "hmac-sm3",
    ]  # fmt: skip
    assert audit_verify() == (5, None)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "共 5 条记录" in out.getvalue()

    # and altering an SM3 row is found
    raw_sql(f"UPDATE {TABLE} SET object_repr = %s WHERE id = 4", ["篡改"])
    assert audit_verify()[1].entry_id == 4


def test_unknown_hash_setting_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.GONGKAI_AUDIT_HASH = "md5"
    with pytest.raises(ImproperlyConfigured, match="sha256 或 sm3"):
        record_chain(1)


# --- anchors -------------------------------------------------------------------------------------


def anchor_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_verify_and_anchor_commands_append_one_json_line_each(anchor_file):
    # given a chain of three rows and an existing anchor file
    record_chain(3)
    anchor_file.write_text('{"id":0,"hash":"' + GENESIS_HASH + '","at":"2026-01-01T00:00:00+08:00"}\n')

    # when audit_verify, then audit_anchor (after another row) run
    out = StringIO()
    call_command("audit_verify", stdout=out)
    record_chain(1)
    call_command("audit_anchor", stdout=out)

    # then each appended one line: the head's id, hash and time; nothing earlier was rewritten
    lines = anchor_lines(anchor_file)
    assert [(a["id"], a.get("source")) for a in lines] == [
        (0, None),
        (3, "audit_verify"),
        (4, "audit_anchor"),
    ]
    assert lines[1]["hash"] == AuditEntry.objects.get(id=3).hash
    assert lines[2]["hash"] == AuditHead.objects.get(id=1).last_hash
    assert all(a["at"] for a in lines)
    assert "已锚定链头：第 3 条" in out.getvalue() and "已锚定链头：第 4 条" in out.getvalue()
    assert audit_verify() == (4, None)


@pytest.mark.parametrize("append_after", [0, 2], ids=["tail-deleted", "tail-deleted-then-new-rows"])
def test_m3_delete_tail_and_move_head_detected_through_anchor(anchor_file, append_after):
    # given a chain of four rows, anchored
    rows = record_chain(4)
    call_command("audit_anchor", stdout=StringIO())

    # when the last row is deleted and the head moved back to row 3 (consistent inside the database),
    # possibly with new rows written after it
    raw_sql(f"DELETE FROM {TABLE} WHERE id = %s", [rows[-1].id])
    move_head(rows[2].id, rows[2].hash)
    assert audit_verify(anchors=[]) == (3, None)  # without the anchor this is invisible
    record_chain(append_after)

    # then verification against the anchor fails, and both commands exit non-zero with a Chinese message
    _checked, problem = audit_verify()
    assert problem is not None
    if append_after:
        assert problem.entry_id == 4 and "外部锚点" in str(problem) and "不符" in str(problem)
    else:
        assert problem.entry_id is None and str(problem).startswith("审计日志校验失败：外部锚点：")
        assert "记录了第 4 条，实际最后一条为第 3 条" in str(problem)
    with pytest.raises(CommandError, match="审计日志校验失败"):
        call_command("audit_verify", stdout=StringIO())
    with pytest.raises(CommandError, match=r"审计日志校验失败.*未锚定"):
        call_command("audit_anchor", stdout=StringIO())
    assert len(anchor_lines(anchor_file)) == 1  # a failed run anchors nothing


def test_rewrite_with_the_key_is_still_caught_by_the_anchor(anchor_file, settings):
    # given an anchored chain
    record_chain(4)
    call_command("audit_verify", stdout=StringIO())

    # when someone holding the key as well rewrites row 2 and re-hashes everything
    rewrite_chain(alg="hmac-sha256", key=settings.GONGKAI_AUDIT_KEY.encode(), alter={2: "持有密钥者篡改"})

    # then the keyed chain is consistent, but the anchored row (4, whose hash covers row 2 through the
    # chain) no longer matches the anchor
    assert audit_verify(anchors=[]) == (4, None)
    checked, problem = audit_verify()
    assert (problem.entry_id, checked) == (4, 3)
    assert "外部锚点" in str(problem)


def test_anchor_refuses_a_head_that_does_not_point_at_the_last_row(anchor_file):
    rows = record_chain(3)
    move_head(rows[1].id, rows[1].hash)
    with pytest.raises(CommandError, match="链头指向第 2 条，实际最后一条为第 3 条"):
        call_command("audit_anchor", stdout=StringIO())
    assert not anchor_file.exists()


def test_an_unreadable_anchor_line_fails_verification(anchor_file):
    record_chain(1)
    anchor_file.write_text("这不是锚点\n")
    _checked, problem = audit_verify()
    assert problem is not None and "第 1 行无法解析" in str(problem)


def test_anchor_without_a_destination_is_refused(settings):
    # no file and no syslog configured (the test settings): audit_anchor says so; audit_verify only warns
    record_chain(1)
    with pytest.raises(CommandError, match="未配置外部锚点"):
        call_command("audit_anchor", stdout=StringIO())
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "未配置外部锚点" in out.getvalue()


def test_anchor_goes_to_syslog_when_configured(settings):
    # given a syslog receiver (UDP)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        receiver.settimeout(5)
        settings.GONGKAI_AUDIT_ANCHOR_SYSLOG = f"127.0.0.1:{receiver.getsockname()[1]}"
        rows = record_chain(2)

        # when anchored
        call_command("audit_anchor", "--quiet", stdout=StringIO())

        # then one authpriv message carries the anchor line
        message = receiver.recv(4096).decode()
    assert message.startswith("<85>gongkai-audit-anchor: ")
    anchor = json.loads(message.split(": ", 1)[1])
    assert (anchor["id"], anchor["hash"]) == (2, rows[-1].hash)


# --- the migration that keyed existing rows --------------------------------------------------------

migration = importlib.import_module("gongkai.core.migrations.0002_audit_hmac")


class _Editor:
    connection = connection


def make_legacy_chain(n: int) -> None:
    """Rows hashed as before M3 (plain SHA-256, no algorithm in the content)."""
    record_chain(n)
    prev = GENESIS_HASH
    for entry in AuditEntry.objects.order_by("id"):
        new_hash = migration._legacy_hash(entry, prev)
        raw_sql(f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new_hash, entry.id])
        prev = new_hash
    move_head(n, prev)


def test_migration_rekeys_an_intact_legacy_chain_and_back():
    from django.apps import apps

    make_legacy_chain(3)
    assert audit_verify()[1] is not None  # the unkeyed chain does not verify under the key

    migration.rekey(apps, _Editor())
    assert audit_verify() == (3, None)

    migration.unkey(apps, _Editor())
    legacy_head = AuditHead.objects.get(id=1).last_hash
    migration.rekey(apps, _Editor())
    assert audit_verify() == (3, None)
    assert legacy_head != AuditHead.objects.get(id=1).last_hash


def test_migration_refuses_a_broken_legacy_chain_unless_forced(monkeypatch):
    from django.apps import apps

    make_legacy_chain(3)
    raw_sql(f"UPDATE {TABLE} SET object_repr = %s WHERE id = 2", ["篡改"])
    with pytest.raises(RuntimeError, match=r"第 2 条内容与哈希不符.*GONGKAI_AUDIT_REKEY_FORCE"):
        migration.rekey(apps, _Editor())

    monkeypatch.setenv("GONGKAI_AUDIT_REKEY_FORCE", "1")
    migration.rekey(apps, _Editor())
    assert audit_verify() == (3, None)


# --- personal data never enters a row -----------------------------------------------------------


def test_diff_redacts_personal_fields():
    changes = diff({"id_number_tail": "002X", "applicant_name": "张三", "status": "a"},
                   {"id_number_tail": "1234", "applicant_name": "李四", "status": "b"})  # fmt: skip
    assert changes == {
        "applicant_name": [REDACTED, REDACTED],
        "id_number_tail": [REDACTED, REDACTED],
        "status": ["a", "b"],
    }
    assert "id_number" in PERSONAL_FIELDS and "phone_enc" in PERSONAL_FIELDS


def test_audit_record_redacts_personal_values_centrally(org_tree):
    # given changes that carry an applicant's personal values (a snapshot, a diff pair, nested)
    changes = {
        "id_number": "11010519491231002X",
        "phone": ["13800000000", "13900000000"],
        "email": "a@example.org",
        "event": [None, {"kind": "x", "address": "某路1号"}],
        "status": ["registered", "replied"],
    }

    # when recorded on an application, and the same contact fields on an organisation
    person = audit_record(actor=SYSTEM_TEST, action=AuditAction.UPDATE, object_type="applications.application",
                          object_id="1", changes=changes)  # fmt: skip
    office = audit_record(actor=SYSTEM_TEST, action=AuditAction.UPDATE, obj=org_tree["own"],
                          changes={"phone": ["", "0571-12345678"]})  # fmt: skip

    # then the application's row names the fields but holds none of the values; the office's phone stays
    stored = AuditEntry.objects.get(pk=person.pk).changes
    assert stored == {
        "id_number": REDACTED,
        "phone": [REDACTED, REDACTED],
        "email": REDACTED,
        "event": [None, {"kind": "x", "address": REDACTED}],
        "status": ["registered", "replied"],
    }
    assert AuditEntry.objects.get(pk=office.pk).changes == {"phone": ["", "0571-12345678"]}
    assert audit_verify() == (2, None)
