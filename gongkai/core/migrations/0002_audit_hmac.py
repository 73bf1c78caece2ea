"""Key the audit chain (finding M3): every existing row is re-hashed with HMAC under GONGKAI_AUDIT_KEY.

The unkeyed SHA-256 chain is verified first, so that re-keying does not launder earlier tampering: if it
is broken the migration stops and names the first bad row. After investigating, set
GONGKAI_AUDIT_REKEY_FORCE=1 to re-key anyway (the break can then no longer be seen in the chain; keep the
error message with the incident record). Reversing restores the unkeyed chain.

The row content below is frozen as it is at this migration (AuditEntry.canonical() may change later).
"""

import hashlib
import json
import os

from django.db import migrations, models

GENESIS_HASH = "0" * 64
BATCH = 1000


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
    from gongkai.core.chain import chain_hash

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
    from gongkai.core.chain import current_algorithm

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
    from gongkai.core.chain import KEYED_ALGORITHMS

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
