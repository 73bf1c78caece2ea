"""Tests for `gongkai api_token USERNAME [--name NAME]` (accounts/management/commands/api_token.py)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.accounts.models import ApiToken
from gongkai.accounts.services import api_token_user
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((), ""),
        (("--name", "统计脚本"), "统计脚本"),
    ],
)
def test_prints_just_the_new_token(org_tree, args, name):
    # given an active staff account
    user = staff(Role.CLERK, org_tree["own"], username="lisi")

    # when a token is created from the command line
    out, err = run("lisi", *args)

    # then stdout is exactly the token on one line, and it authenticates as that user
    assert re.fullmatch(r"gk_[A-Za-z0-9_-]{43}\n", out)
    assert err == ""
    raw = out.strip()
    assert api_token_user(raw) == user
    assert ApiToken.objects.get(user=user).name == name
    # and the system (the command line, no user) is recorded as having created it
    (entry,) = AuditEntry.objects.all()
    assert (entry.action, entry.actor_id, entry.actor_name) == (AuditAction.CREATE, None, "系统（命令行）")
    token = ApiToken.objects.get(user=user)
    assert entry.changes == {"user": "lisi", "name": name, "expires_at": token.expires_at.isoformat()}


def test_each_run_prints_a_new_token(org_tree):
    user = staff(Role.CLERK, org_tree["own"], username="lisi")
    first, _ = run("lisi")
    second, _ = run("lisi")
    assert first != second
    assert ApiToken.objects.filter(user=user).count() == 2


@pytest.mark.parametrize(
    ("given", "args", "message"),
    [
        (lambda: None, ("nobody",), "用户「nobody」不存在。"),
        # user names are matched exactly, as at login
        (lambda: UserFactory(username="lisi"), ("LISI",), "用户「LISI」不存在。"),
        (lambda: UserFactory(username="lisi", is_active=False), ("lisi",), "用户「lisi」已停用"),
        (lambda: UserFactory(username="lisi"), ("lisi", "--name", "用" * 101), "用途：确保"),
    ],
    ids=["unknown", "other-case", "inactive", "name-too-long"],
)
def test_refuses_with_a_chinese_message_and_creates_nothing(db, given, args, message):
    # given no such user / a deactivated user / a name longer than the field
    given()

    # when the command runs / then it fails with a clear message and writes nothing
    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args)
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.exists()
