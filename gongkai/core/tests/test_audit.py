"""Tests for the append-only, hash-chained audit log (core.models.AuditEntry, core.services)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.context import request_context
from gongkai.core.models import GENESIS_HASH, AuditAction, AuditEntry, AuditHead
from gongkai.core.services import REDACTED, SECRET_FIELDS, audit_record, audit_verify, diff
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import OrganisationFactory, staff

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


def record_chain(n: int) -> list[AuditEntry]:
    """``n`` audit rows written through the service, as any other service would."""
    return [
        audit_record(
            actor=SYSTEM_TEST,
            action=AuditAction.UPDATE,
            object_type="tests.thing",
            object_id=str(i),
            object_repr=f"对象{i}",
            changes={"n": [i, i + 1], "说明": "测试"},
        )
        for i in range(n)
    ]


def raw_sql(statement: str, params: list) -> None:
    """Tamper with the table behind the model's back, as someone with database access could."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


# --- what a row records ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_ip", "stored_ip"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::1"),
        # Non-canonical spellings are stored canonically; the hash must cover what is stored.
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("::FFFF:192.0.2.1", "::ffff:192.0.2.1"),
        ("fe80::1%eth0", "fe80::1"),
        # Not an address (a misconfigured proxy): recorded as unknown rather than failing the write.
        ("unknown", None),
        ("", None),
        (None, None),
    ],
)
def test_audit_record_writes_who_where_what_and_when(given_ip, stored_ip):
    # given a clerk of one organisation acting on another object, from a client address
    org = OrganisationFactory(name="测试县人民政府")
    actor = staff(Role.CLERK, org, username="zhangsan")
    target = OrganisationFactory(name="被修改的机构")
    before = timezone.now()

    # when the service records the change
    with request_context(ip=given_ip):
        entry = audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=target,
            org=org,
            changes={"name": ["旧名称", "被修改的机构"]},
        )

    # then the stored row says who, in which organisation, did what to which object, from where
    row = AuditEntry.objects.get(pk=entry.pk)
    assert row.actor_id == actor.pk
    assert row.actor_name == "zhangsan"
    assert row.org_id == org.pk
    assert row.org_code == org.code
    assert row.object_type == "orgs.organisation"
    assert row.object_id == str(target.pk)
    assert row.object_repr == "被修改的机构"
    assert row.action == AuditAction.UPDATE
    assert row.changes == {"name": ["旧名称", "被修改的机构"]}
    assert row.ip == stored_ip
    assert before <= row.created_at <= timezone.now()
    # and the row verifies as stored (the hash covers the stored values, not the given ones)
    assert audit_verify() == (1, None)


def test_audit_record_without_actor_or_request_is_the_system():
    # given no request context and a system actor (a CLI or scheduled job)
    # when a row is recorded
    entry = audit_record(
        actor=SYSTEM_TEST, action=AuditAction.IMPORT, object_type="tests.thing", object_repr="导入"
    )

    # then it is attributed to the system job by its label, with no user, organisation or client address
    row = AuditEntry.objects.get(pk=entry.pk)
    assert (row.actor_id, row.actor_name, row.org_id, row.org_code, row.ip) == (
        None,
        "系统（测试）",
        None,
        "",
        None,
    )


def test_audit_record_keeps_changes_json_exact():
    # given values that are not JSON types (dates, decimals, nested containers)
    changes = {
        "date": dt.date(2026, 3, 1),
        "amount": decimal.Decimal("12.50"),
        "nested": {"list": (1, "二", None)},
    }

    # when recorded
    entry = audit_record(
        actor=SYSTEM_TEST, action=AuditAction.OTHER, object_type="tests.thing", changes=changes
    )

    # then they are stored as exact JSON and the chain still verifies after a round trip
    row = AuditEntry.objects.get(pk=entry.pk)
    assert row.changes == {"date": "2026-03-01", "amount": "12.50", "nested": {"list": [1, "二", None]}}
    assert audit_verify() == (1, None)


@pytest.mark.parametrize("field", sorted(SECRET_FIELDS))
def test_diff_redacts_secret_fields(field):
    # given a secret field that changed beside an ordinary one
    before = {field: "old-secret-value", "full_name": "张三"}
    after = {field: "new-secret-value", "full_name": "张三丰"}

    # when diffed
    changes = diff(before, after)

    # then the secret is recorded as changed but neither value appears
    assert changes == {field: [REDACTED, REDACTED], "full_name": ["张三", "张三丰"]}
    assert "secret-value" not in json.dumps(changes, ensure_ascii=False)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ({"a": 1}, {"a": 1}, {}),
        ({"a": 1}, {"a": 2}, {"a": [1, 2]}),
        ({"a": 1}, {}, {"a": [1, None]}),
        ({}, {"b": "新"}, {"b": [None, "新"]}),
        ({"a": 1, "b": 2}, {"a": 1, "b": 3}, {"b": [2, 3]}),
    ],
)
def test_diff_lists_only_changed_fields(before, after, expected):
    assert diff(before, after) == expected


# --- the chain ---------------------------------------------------------------------------------


def test_rows_chain_with_contiguous_ids_and_the_head_pins_the_tail():
    # given an empty log
    assert not AuditEntry.objects.exists()

    # when three rows are recorded
    rows = record_chain(3)

    # then ids are contiguous from 1, each row links to the previous hash, and the head points at the last
    stored = list(AuditEntry.objects.order_by("id"))
    assert [r.id for r in stored] == [1, 2, 3]
    assert [r.prev_hash for r in stored] == [GENESIS_HASH, stored[0].hash, stored[1].hash]
    assert all(r.hash == r.compute_hash(r.prev_hash) for r in stored)
    assert len({r.hash for r in stored}) == 3
    head = AuditHead.objects.get(id=1)
    assert (head.last_entry_id, head.last_hash) == (rows[-1].id, rows[-1].hash)


def test_saving_an_existing_row_is_refused():
    # given a recorded row
    entry = record_chain(1)[0]

    # when someone changes it through the model
    entry.object_repr = "改过的"
    with pytest.raises(RuntimeError, match="只能追加"):
        entry.save()

    # then the stored row is unchanged
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "对象0"


def test_deleting_a_row_is_refused():
    # given a recorded row
    entry = record_chain(1)[0]

    # when someone deletes it through the model
    with pytest.raises(RuntimeError, match="只能追加"):
        entry.delete()

    # then it is still there
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("n", [0, 1, 5])
def test_verify_passes_on_an_intact_chain(n):
    # given an intact chain of n rows
    record_chain(n)

    # when verified / then every row is checked and there is no problem
    assert audit_verify() == (n, None)


def test_verify_reads_the_chain_in_chunks():
    # given more rows than one chunk
    record_chain(7)

    # when verified with a small chunk size / then the whole chain is still checked
    assert audit_verify(chunk_size=2) == (7, None)


# --- tampering ---------------------------------------------------------------------------------
# Each case tampers with a chain of four rows (ids 1-4) and says which row verification must name
# first, and whether the problem is found in a row or only at the head (a removed or altered tail).


def alter_object_repr_of_middle_row(rows: list[AuditEntry]) -> None:
    raw_sql(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["篡改后的对象", rows[1].id])


def alter_actor_name_of_middle_row(rows: list[AuditEntry]) -> None:
    raw_sql(f"UPDATE {TABLE} SET actor_name = %s WHERE id = %s", ["冒名者", rows[1].id])


def alter_action_of_middle_row(rows: list[AuditEntry]) -> None:
    raw_sql(f"UPDATE {TABLE} SET action = %s WHERE id = %s", [AuditAction.DELETE.value, rows[1].id])


def alter_ip_of_middle_row(rows: list[AuditEntry]) -> None:
    raw_sql(f"UPDATE {TABLE} SET ip = %s WHERE id = %s", ["198.51.100.9", rows[1].id])


def alter_changes_json_of_middle_row(rows: list[AuditEntry]) -> None:
    raw_sql(
        f"UPDATE {TABLE} SET changes = %s WHERE id = %s",
        [json.dumps({"n": [1, 999], "说明": "测试"}, ensure_ascii=False), rows[1].id],
    )


def delete_middle_row(rows: list[AuditEntry]) -> None:
    raw_sql(f"DELETE FROM {TABLE} WHERE id = %s", [rows[1].id])


def delete_last_row(rows: list[AuditEntry]) -> None:
    raw_sql(f"DELETE FROM {TABLE} WHERE id = %s", [rows[-1].id])


def _rehash_with_new_repr(entry_id: int) -> None:
    entry = AuditEntry.objects.get(pk=entry_id)
    entry.object_repr = "篡改后重新计算哈希"
    new_hash = entry.compute_hash(entry.prev_hash)
    raw_sql(
        f"UPDATE {TABLE} SET object_repr = %s, hash = %s WHERE id = %s",
        [entry.object_repr, new_hash, entry_id],
    )


def alter_middle_row_and_recompute_its_hash(rows: list[AuditEntry]) -> None:
    _rehash_with_new_repr(rows[1].id)


def alter_last_row_and_recompute_its_hash(rows: list[AuditEntry]) -> None:
    _rehash_with_new_repr(rows[-1].id)


TAMPERING = [
    # tamper,                                   first bad row, found at
    (alter_object_repr_of_middle_row, 2, "row"),
    (alter_actor_name_of_middle_row, 2, "row"),
    (alter_action_of_middle_row, 2, "row"),
    (alter_ip_of_middle_row, 2, "row"),
    (alter_changes_json_of_middle_row, 2, "row"),
    (delete_middle_row, 2, "row"),
    (delete_last_row, 4, "head"),
    # the tampered row is self-consistent now, so the break shows at the next row's link
    (alter_middle_row_and_recompute_its_hash, 3, "row"),
    (alter_last_row_and_recompute_its_hash, 4, "head"),
]


@pytest.mark.parametrize(("tamper", "bad_id", "found_at"), TAMPERING, ids=[t[0].__name__ for t in TAMPERING])
def test_tampering_is_detected_naming_the_first_bad_row(
    tamper: Callable[[list[AuditEntry]], None], bad_id: int, found_at: str
):
    # given an intact chain of four rows
    rows = record_chain(4)
    assert audit_verify() == (4, None)

    # when it is tampered with directly in the database
    tamper(rows)

    # then verification fails and names the first bad row
    checked, problem = audit_verify()
    assert problem is not None
    if found_at == "row":
        assert problem.entry_id == bad_id
        assert checked == bad_id - 1
        assert str(problem).startswith(f"审计日志校验失败：第 {bad_id} 条：")
    else:
        assert problem.entry_id is None
        assert f"链头指向第 {bad_id} 条" in str(problem)


# --- property: any chain verifies; any altered row is found ------------------------------------

# PostgreSQL cannot store NUL in text or jsonb, so no input can contain it; everything else goes.
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=8,
)
RECORDS = st.lists(
    st.fixed_dictionaries(
        {
            "action": st.sampled_from(AuditAction.values),
            "object_id": st.integers(min_value=0, max_value=10**9).map(str),
            "object_repr": TEXT,
            "changes": st.dictionaries(TEXT, JSON_VALUES, max_size=4),
        }
    ),
    min_size=1,
    max_size=6,
)
TAMPERABLE = {
    "object_repr": lambda row: row.object_repr + "改",
    "object_id": lambda row: row.object_id + "9",
    "actor_name": lambda row: row.actor_name + "改",
    "changes": lambda row: json.dumps({"篡改": row.changes}, ensure_ascii=False),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=RECORDS, data=st.data())
def test_any_chain_verifies_and_any_altered_row_is_found(db, records, data):
    # Each example runs in its own savepoint, rolled back at the end, so it starts from an empty log.
    with transaction.atomic():
        # given any sequence of recorded changes
        for rec in records:
            audit_record(actor=SYSTEM_TEST, object_type="tests.thing", **rec)
        assert audit_verify() == (len(records), None)

        # when any one row's stored content is changed
        victim = data.draw(st.integers(min_value=1, max_value=len(records)), label="row id")
        field = data.draw(st.sampled_from(sorted(TAMPERABLE)), label="field")
        row = AuditEntry.objects.get(pk=victim)
        raw_sql(f"UPDATE {TABLE} SET {field} = %s WHERE id = %s", [TAMPERABLE[field](row), victim])

        # then verification stops at exactly that row
        checked, problem = audit_verify()
        assert problem is not None
        assert (problem.entry_id, checked) == (victim, victim - 1)
        transaction.set_rollback(True)
