"""Tests for `gongkai audit_verify` (core/management/commands/audit_verify.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.core.services import audit_record

pytestmark = pytest.mark.django_db


def record_chain(n: int) -> None:
    for i in range(n):
        audit_record(
            actor=SYSTEM_TEST, action=AuditAction.CREATE, object_type="tests.thing", object_id=str(i)
        )


@pytest.mark.parametrize("n", [0, 3])
def test_intact_chain_passes_and_says_how_many_rows(n):
    # given an intact chain
    record_chain(n)
    out = StringIO()

    # when the command runs
    call_command("audit_verify", stdout=out)

    # then it reports success with the row count
    assert f"审计日志完整：共 {n} 条记录" in out.getvalue()


@pytest.mark.parametrize(
    ("statement", "bad_id"),
    [
        (f"UPDATE {AuditEntry._meta.db_table} SET object_id = 'x' WHERE id = 2", 2),
        (f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = 2", 2),
        (f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = 3", 3),
    ],
    ids=["altered-middle", "deleted-middle", "deleted-last"],
)
def test_tampered_chain_fails_naming_the_row(statement, bad_id):
    # given a chain of three rows, tampered with in the database
    record_chain(3)
    with connection.cursor() as cursor:
        cursor.execute(statement)
    out = StringIO()

    # when the command runs / then it fails (non-zero exit from the console script) naming the row
    with pytest.raises(CommandError, match=f"第 {bad_id} 条") as excinfo:
        call_command("audit_verify", stdout=out)
    assert str(excinfo.value).startswith("审计日志校验失败")
    assert "审计日志完整" not in out.getvalue()
