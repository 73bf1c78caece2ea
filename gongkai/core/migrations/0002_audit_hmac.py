"""Key the audit chain (finding M3): every existing row is re-hashed with HMAC under GONGKAI_AUDIT_KEY.

The unkeyed SHA-256 chain is verified first, so that re-keying does not launder earlier tampering: if it
is broken the migration stops and names the first bad row. After investigating, set
GONGKAI_AUDIT_REKEY_FORCE=1 to re-key anyway (the break can then no longer be seen in the chain; keep the
error message with the incident record). Reversing restores the unkeyed chain.

The row content below is frozen as it is at this migration (AuditEntry.canonical() may change later), and so is
the keyed hash (a copy of gongkai.core.chain as it was when this migration was written: a migration never imports
live code, whose later changes would silently change what it does). The chain format is versioned by its
algorithm name, so the live chain_hash must keep computing these two algorithms exactly this way; a test checks
that the copies agree (gongkai/core/tests/test_frozen_migrations.py).
"""

import hashlib
import hmac
import json
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations, models

GENESIS_HASH = "0" * 64
BATCH = 1000

# --- frozen copy of gongkai.core.chain -----------------------------------------------------------

HMAC_SHA256 = "hmac-sha256"
HMAC_SM3 = "hmac-sm3"
ALGORITHMS = {"sha256": HMAC_SHA256, "sm3": HMAC_SM3}
KEYED_ALGORITHMS = frozenset(ALGORITHMS.values())


def current_algorithm():
    """The algorithm new rows use (setting ``GONGKAI_AUDIT_HASH``: ``sha256``, the default, or ``sm3``)."""
    name = str(getattr(settings, "GONGKAI_AUDIT_HASH", "sha256") or "sha256").lower()
    if name not in ALGORITHMS:
        raise ImproperlyConfigured(f"GONGKAI_AUDIT_HASH 只能是 sha256 或 sm3，当前为「{name}」。")
    return ALGORITHMS[name]


def audit_key():
    key = str(getattr(settings, "GONGKAI_AUDIT_KEY", "") or "")
    if len(key) < 16:
        raise ImproperlyConfigured("未配置审计日志密钥 GONGKAI_AUDIT_KEY（至少 16 个字符）。")
    return key.encode()


def _hmac_sm3(key, message):
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import hmac as crypto_hmac

    try:
        mac = crypto_hmac.HMAC(key, hashes.SM3())
    except UnsupportedAlgorithm as exc:  # pragma: no cover - cryptography on an OpenSSL without SM3
        raise ImproperlyConfigured(
            "当前的 cryptography/OpenSSL 不支持 SM3，不能使用 GONGKAI_AUDIT_HASH=sm3。"
        ) from exc
    mac.update(message)
    return mac.finalize().hex()


def chain_hash(alg, prev_hash, content, *, key=None):
    """The hash of one row: keyed with ``alg`` over the previous hash and the row's canonical content."""
    message = f"{prev_hash}\n{_body(content)}".encode()
    key = audit_key() if key is None else key
    if alg == HMAC_SHA256:
        return hmac.new(key, message, hashlib.sha256).hexdigest()
    if alg == HMAC_SM3:
        return _hmac_sm3(key, message)
    raise ValueError(f"未知的审计哈希算法「{alg}」")


# --- the rows ------------------------------------------------------------------------------------


def _content(row, *, with_alg):
    content = {
        "id": row.pk,
        "created_at": row.created_at.isoformat(timespec="microseconds"),
        "actor_id": row.actor_id,
        "actor_name": row.actor_name,
        "org_id": row.org_id,
        "org_code": row.org_code,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "object_repr": row.object_repr,
        "action": row.action,
        "changes": row.changes,
        "ip": row.ip,
    }
    if with_alg:
        content["alg"] = row.alg
    return content


def _body(content):
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _legacy_hash(row, prev_hash):
    return hashlib.sha256(f"{prev_hash}\n{_body(_content(row, with_alg=False))}".encode()).hexdigest()


def _keyed_hash(row, prev_hash):
    return chain_hash(row.alg, prev_hash, _content(row, with_alg=True))


def _rewrite(apps, schema_editor, *, check, rehash, alg, what):
    """Walk the chain in id order: check each row under the old scheme, store its hash under the new one."""
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditHead = apps.get_model("core", "AuditHead")
    db = schema_editor.connection.alias
    force = os.environ.get("GONGKAI_AUDIT_REKEY_FORCE") == "1"

    def problem(message):
        if not force:
            raise RuntimeError(
                f"审计日志{what}前校验失败：{message}。未作转换；请先调查。"
                "确认后可设置环境变量 GONGKAI_AUDIT_REKEY_FORCE=1 重新运行迁移（转换后此前的篡改将无法再被发现）。"
            )

    old_prev = new_prev = GENESIS_HASH
    expected = 1
    last_id = 0
    while True:
        rows = list(AuditEntry.objects.using(db).filter(id__gt=last_id).order_by("id")[:BATCH])
        if not rows:
            break
        for row in rows:
            if row.id != expected:
                problem(f"第 {expected} 条记录缺失")
            elif row.prev_hash != old_prev:
                problem(f"第 {row.id} 条与上一条记录的链接不符")
            elif not check(row, old_prev):
                problem(f"第 {row.id} 条内容与哈希不符")
            old_prev = row.hash
            expected = row.id + 1
            row.alg = alg(row)
            row.prev_hash = new_prev
            row.hash = rehash(row, new_prev)
            new_prev = row.hash
        AuditEntry.objects.using(db).bulk_update(rows, ["alg", "prev_hash", "hash"])
        last_id = rows[-1].id
    head = AuditHead.objects.using(db).filter(id=1).first()
    if last_id == 0 and head is None:
        return
    if head is None or (head.last_entry_id, head.last_hash) != (last_id, old_prev):
        head_id = head.last_entry_id if head else 0
        problem(f"链头指向第 {head_id} 条，实际最后一条为第 {last_id} 条")
    AuditHead.objects.using(db).update_or_create(
        id=1, defaults={"last_entry_id": last_id, "last_hash": new_prev}
    )


def rekey(apps, schema_editor):
    algorithm = current_algorithm()
    _rewrite(
        apps,
        schema_editor,
        check=lambda row, prev: _legacy_hash(row, prev) == row.hash,
        rehash=_keyed_hash,
        alg=lambda row: algorithm,
        what="转换为带密钥的哈希链",
    )


def unkey(apps, schema_editor):
    _rewrite(
        apps,
        schema_editor,
        check=lambda row, prev: row.alg in KEYED_ALGORITHMS and _keyed_hash(row, prev) == row.hash,
        rehash=_legacy_hash,
        alg=lambda row: row.alg,
        what="恢复为不带密钥的哈希链",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="alg",
            field=models.CharField(default="hmac-sha256", max_length=16, verbose_name="哈希算法"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "新增"),
                    ("update", "修改"),
                    ("delete", "删除"),
                    ("transition", "状态变更"),
                    ("login", "登录"),
                    ("import", "导入"),
                    ("grant", "授权"),
                    ("revoke", "撤销授权"),
                    ("read", "查看"),
                    ("export", "导出"),
                    ("download", "下载"),
                    ("other", "其他"),
                ],
                max_length=20,
                verbose_name="操作",
            ),
        ),
        migrations.RunPython(rekey, unkey),
    ]
