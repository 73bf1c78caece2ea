"""The CLI: `gongkai workdays_due` (acceptance checks use it) and `gongkai workdays_load`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core.models import AuditEntry
from gongkai.workdays.models import CalendarYear, DayOverride

from .factories import CSV_2027

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("received", "days", "due", "provisional"),
    [
        ("2026-02-10", "20", "2026-03-16", False),
        ("2026-02-10", "7", "2026-02-26", False),
        ("2020-01-20", "20", "2020-02-25", False),
        ("2025-09-26", "40", "2025-11-27", False),
        ("2026-12-20", "20", "2027-01-18", True),
        ("2026-03-02", "0", "2026-03-02", False),
    ],
)
def test_due_json(received, days, due, provisional):
    data = json.loads(run("workdays_due", "--received", received, "--days", days, "--json"))
    assert data["due"] == due and data["provisional"] is provisional
    assert data["steps"] and all(isinstance(s, str) for s in data["steps"])
    assert data["steps"][0].startswith("收到申请之日")


def test_due_text_is_a_readable_chinese_explanation():
    text = run("workdays_due", "--received", "2026-12-20", "--days", "20")
    assert text.startswith("期限：2027-01-18（暂定）")
    assert "计算过程：" in text and "2027年的节假日安排尚未公布" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--received", "2026-13-01", "--days", "20"], "格式不正确或不存在"),
        (["--received", "20260210", "--days", "20"], "请按 YYYY-MM-DD 填写"),
        (["--received", "2026-02-10", "--days", "-3"], "不能为负数"),
        (["--received", "2026-02-10", "--days", "x"], "不是整数"),
        (["--days", "20"], "请填写收到申请之日"),
        (["--received", "2026-02-10"], "请填写工作日天数"),
    ],
)
def test_due_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        run("workdays_due", *args)


def test_due_bad_input_exits_non_zero_with_a_plain_chinese_message():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    proc = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "workdays_due", "--received", "2026-02-30", "--days", "20"],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode != 0
    assert (
        proc.stderr.strip()
        == "错误: 收到申请之日（--received）「2026-02-30」格式不正确或不存在，请按 YYYY-MM-DD 填写，例如 2026-02-10。"
    )


@pytest.fixture
def csv_2027(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    return path


def test_load_dry_run_previews_and_changes_nothing(csv_2027):
    before = AuditEntry.objects.count()
    text = run("workdays_load", str(csv_2027), "--dry-run")
    assert (
        "2027年工作日：261 天 → 253 天" in text and "新增：2027年2月14日（星期日） 调休上班（春节）" in text
    )
    assert "未作任何更改" in text
    assert not CalendarYear.objects.filter(year=2027).exists() and AuditEntry.objects.count() == before


def test_load_without_confirmation_changes_nothing(csv_2027):
    with pytest.raises(CommandError, match="未确认"):
        run("workdays_load", str(csv_2027))
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_load_with_yes_loads_and_audits(csv_2027, admin):
    text = run("workdays_load", str(csv_2027), "--yes", "--user", admin.username, "--source", "测试通知")
    assert "已载入2027年节假日安排：新增 21 天" in text
    assert CalendarYear.objects.get(year=2027).source == "测试通知"
    assert (
        AuditEntry.objects.filter(object_type="workdays.dayoverride", actor_name=admin.username).count() == 21
    )
    assert "完全一致" in run("workdays_load", str(csv_2027), "--yes", "--source", "测试通知")
    # a different source alone is a change: the year's notice is updated and audited
    assert "依据：国务院办公厅关于2027年部分节假日安排的通知（原为：测试通知）" in run(
        "workdays_load", str(csv_2027), "--yes"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("类型,名称,开始日期,结束日期\n放假,春节,2027-02-06,2027-02-13\n上班,春节,2027-02-07,", "互相矛盾"),
        ("类型,名称,开始日期,结束日期\n放假,元旦,2027-01-01,\n上班,春节,2027-02-08,", "只能是周六或周日"),
        ("类型,名称,开始日期,结束日期\n放假,元旦,2027-01-32,", "无效"),
    ],
)
def test_load_refuses_a_self_contradicting_file(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("workdays_load", str(path), "--yes")
    assert not DayOverride.objects.filter(arrangement__year=2027).exists()


def test_load_refuses_a_clerk_and_a_missing_file(csv_2027, clerk):
    with pytest.raises(CommandError, match="只有系统管理员"):
        run("workdays_load", str(csv_2027), "--yes", "--user", clerk.username)
    with pytest.raises(CommandError, match="找不到文件"):
        run("workdays_load", str(csv_2027.with_name("none.csv")))
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_seed_command_is_idempotent():
    before = AuditEntry.objects.count()
    text = run("workdays_seed", "--year", "2025", "--year", "2026")
    assert text.count("完全一致") == 2 and AuditEntry.objects.count() == before
    with pytest.raises(CommandError, match="没有2027年的数据"):
        run("workdays_seed", "--year", "2027")
