"""Loading a year's arrangement: preview, confirm, audit, reload, conflicts, and the recompute registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.core.services import audit_record
from gongkai.workdays.arithmetic import due_date, is_workday
from gongkai.workdays.models import CalendarRevision, CalendarYear, DayKind, DayOverride, YearOrigin
from gongkai.workdays.registry import CalendarChange, RecomputeResult, register_deadline_source
from gongkai.workdays.services import arrangement_load, arrangement_plan, seed_from_package

from .factories import arrangement_2027, csv_arrangement, d

pytestmark = pytest.mark.django_db


def _calendar_state() -> tuple:
    return (
        list(CalendarYear.objects.values_list("year", "source")),
        list(DayOverride.objects.values_list("date", "kind", "name", "source")),
        CalendarRevision.objects.get().token,
        AuditEntry.objects.count(),
    )


def test_preview_lists_the_changes_and_writes_nothing():
    # given the 2027 arrangement / when previewed
    before = _calendar_state()
    plan = arrangement_plan(arrangement=arrangement_2027())
    # then it is a new year, every day is an addition, the year's count drops from 261 to 253
    assert not plan.reload and len(plan.added) == len(arrangement_2027().days)
    assert plan.workdays_before == {2027: 261} and plan.workdays_after == {2027: 253}
    assert plan.changes[0].describe() == "新增：2027年1月1日（星期五） 放假（元旦）"
    assert _calendar_state() == before


def test_load_writes_each_day_with_an_audit_row(admin):
    # when a system administrator loads 2027
    result = arrangement_load(actor=admin, arrangement=arrangement_2027())
    # then the year is known, each day is stored and audited, and the year row is audited too
    year = CalendarYear.objects.get(year=2027)
    assert year.loaded_by == admin and year.origin == YearOrigin.STAFF
    assert DayOverride.objects.filter(arrangement=year).count() == result.created == 21
    created = AuditEntry.objects.filter(object_type="workdays.dayoverride", action=AuditAction.CREATE)
    assert created.count() == 21 and {e.actor_name for e in created} == {admin.username}
    entry = AuditEntry.objects.get(object_type="workdays.calendaryear", action=AuditAction.IMPORT)
    assert entry.changes["summary"]["added"] == 21 and entry.changes["summary"]["workdays"] == {
        "2027": [261, 253]
    }
    assert "新增 21 天" in result.summary()


def test_loading_the_same_file_twice_changes_nothing():
    arrangement_load(actor=SYSTEM_TEST, arrangement=arrangement_2027())
    before = _calendar_state()
    result = arrangement_load(actor=SYSTEM_TEST, arrangement=arrangement_2027())
    assert not result.plan.has_changes and result.plan.unchanged == 21
    assert "未作任何更改" in result.summary()
    assert _calendar_state() == before


def test_reloading_2020_with_the_original_notice_and_back():
    # given the seeded 2020 (春节 extended to 2/2, the 2/1 make-up day cancelled)
    original = csv_arrangement(
        "放假,元旦,2020-01-01,",
        "上班,春节,2020-01-19,",
        "放假,春节,2020-01-24,2020-01-30",
        "上班,春节,2020-02-01,",
        "放假,清明节,2020-04-04,2020-04-06",
        "上班,劳动节,2020-04-26,",
        "放假,劳动节,2020-05-01,2020-05-05",
        "上班,劳动节,2020-05-09,",
        "放假,端午节,2020-06-25,2020-06-27",
        "上班,端午节,2020-06-28,",
        "上班,国庆节,2020-09-27,",
        "放假,国庆节,2020-10-01,2020-10-08",
        "上班,国庆节,2020-10-10,",
        source="国务院办公厅关于2020年部分节假日安排的通知",
    )
    # when the original arrangement (before the extension) is previewed and loaded
    plan = arrangement_plan(arrangement=original)
    # then 1/31 and 2/2 lose their holiday, 2/1 becomes a make-up day again: 249 → 251 working days
    assert plan.reload
    assert [c.date for c in plan.removed] == [d("2020-01-31"), d("2020-02-02")]
    assert [(c.date, c.new[0]) for c in plan.changed if c.new and c.new[0] == DayKind.MAKEUP] == [
        (d("2020-02-01"), DayKind.MAKEUP)
    ]
    assert plan.workdays_after[2020] == 251 and plan.flipped_dates == {d("2020-01-31"), d("2020-02-01")}
    arrangement_load(actor=SYSTEM_TEST, arrangement=original)
    assert is_workday(d("2020-01-31")) and is_workday(d("2020-02-01"))
    assert (
        AuditEntry.objects.filter(object_type="workdays.dayoverride", action=AuditAction.DELETE).count() == 2
    )
    # and reloading the package's 2020 restores the extension
    seed_from_package(actor=SYSTEM_TEST, years=[2020])
    assert not is_workday(d("2020-01-31")) and not is_workday(d("2020-02-01"))
    assert due_date(d("2020-01-20"), 20).due == d("2020-02-25")


def test_seeding_again_from_the_package_is_a_no_op():
    before = _calendar_state()
    results = seed_from_package(actor=SYSTEM_TEST)
    assert len(results) == 23 and not any(r.plan.has_changes for r in results)
    assert _calendar_state() == before


def test_seeding_a_year_the_package_lacks_is_refused():
    with pytest.raises(ValidationError, match="没有2027年的数据"):
        seed_from_package(actor=SYSTEM_TEST, years=[2027])


def test_a_day_fixed_by_another_year_must_agree():
    # given 2027 (synthetically) marks Saturday 2027-12-25 as a holiday
    arrangement_load(
        actor=SYSTEM_TEST,
        arrangement=csv_arrangement("放假,元旦,2027-01-01,2027-01-03", "放假,测试,2027-12-25,"),
    )
    before = _calendar_state()
    # when a 2028 file says that day is a make-up day
    contradicting = csv_arrangement("上班,元旦,2027-12-25,", "放假,元旦,2028-01-01,", year=2028)
    # then the preview and the load refuse it in Chinese, and nothing changes
    with pytest.raises(ValidationError, match="已按2027年的安排记为放假（测试），本文件却记为调休上班"):
        arrangement_plan(arrangement=contradicting)
    with pytest.raises(ValidationError):
        arrangement_load(actor=SYSTEM_TEST, arrangement=contradicting)
    assert _calendar_state() == before
    # and a file that agrees keeps the day as it is
    agreeing = csv_arrangement("放假,元旦,2027-12-25,2028-01-01", year=2028)
    plan = arrangement_plan(arrangement=agreeing)
    assert len(plan.kept) == 1 and len(plan.added) == 7  # 12/26 … 2028-01-01


def test_a_stale_preview_is_refused(admin):
    plan = arrangement_plan(arrangement=arrangement_2027())
    arrangement_load(actor=SYSTEM_TEST, arrangement=csv_arrangement("放假,元旦,2027-01-01,"))
    before = _calendar_state()
    with pytest.raises(ValidationError, match="预览之后日历已被他人修改"):
        arrangement_load(actor=admin, arrangement=arrangement_2027(), expected_fingerprint=plan.fingerprint)
    assert _calendar_state() == before


def test_only_system_administrators_load(clerk):
    before = _calendar_state()
    with pytest.raises(PermissionDenied, match="只有系统管理员"):
        arrangement_load(actor=clerk, arrangement=arrangement_2027())
    assert _calendar_state() == before


def test_six_day_rule_is_a_warning_from_2025_on():
    # a full week, then Saturday and Sunday worked before a Monday holiday: 1/25–1/31 is 7 days in a row
    plan = arrangement_plan(
        arrangement=csv_arrangement("放假,春节,2027-02-01,2027-02-07", "上班,春节,2027-01-30,2027-01-31")
    )
    assert any("连续上班 7 天" in w for w in plan.warnings)
    assert not any("连续上班" in w for w in arrangement_plan(arrangement=arrangement_2027()).warnings)


# --- the registry: open deadlines are recomputed when a year is loaded ------------------------


class FakeDeadlines:
    """A test-only deadline source standing in for the applications app."""

    def __init__(self, received: list[str]) -> None:
        self.rows: dict[int, dict[str, Any]] = {}
        for i, day in enumerate(received, start=1):
            due = due_date(d(day), 20)
            self.rows[i] = {
                "received": d(day),
                "due": due.due,
                "provisional": due.provisional,
                "email": f"a{i}@x.cn",
            }

    def recompute(self, change: CalendarChange) -> RecomputeResult:
        changed = 0
        for pk, row in self.rows.items():
            new = due_date(row["received"], 20)
            if (new.due, new.provisional) == (row["due"], row["provisional"]):
                continue
            audit_record(
                actor=change.actor, action=AuditAction.UPDATE, object_type="test.deadline", object_id=str(pk),
                changes={"due": [row["due"], new.due], "provisional": [row["provisional"], new.provisional]},
            )  # fmt: skip
            change.notify(
                recipients=[row["email"]], subject="答复期限已更新", body=f"新的答复期限：{new.due}"
            )
            row.update(due=new.due, provisional=new.provisional)
            changed += 1
        return RecomputeResult(source="test", examined=len(self.rows), changed=changed)


def test_loading_a_year_recomputes_open_deadlines_audits_and_notifies(
    admin, django_capture_on_commit_callbacks
):
    # given three open deadlines: two provisional (into 2027), one well inside 2026
    store = FakeDeadlines(["2026-12-20", "2026-12-10", "2026-06-01"])
    assert [r["provisional"] for r in store.rows.values()] == [True, True, False]
    register_deadline_source("test", store.recompute)
    # when 2027 is loaded
    with django_capture_on_commit_callbacks(execute=True):
        result = arrangement_load(actor=admin, arrangement=arrangement_2027())
    # then every open deadline was examined and the two provisional ones were recomputed:
    # 12/20 → 2027-01-18 (元旦 1/1 now a holiday); 12/10 → 2027-01-08
    # (other registered sources, e.g. the applications app's, run too)
    assert RecomputeResult(source="test", examined=3, changed=2) in result.recomputed
    assert [(r["due"], r["provisional"]) for r in store.rows.values()] == [
        (d("2027-01-18"), False),
        (d("2027-01-08"), False),
        (d("2026-06-30"), False),  # 6/2–5 (4), 6/8–12 (9), 6/15–18 (13), 端午 6/19, 6/22–26 (18), 6/29, 6/30
    ]
    audited = AuditEntry.objects.filter(object_type="test.deadline")
    assert sorted(audited.values_list("object_id", flat=True)) == ["1", "2"]
    assert {e.actor_name for e in audited} == {admin.username}
    assert sorted(m.to[0] for m in mail.outbox) == ["a1@x.cn", "a2@x.cn"]
    assert "已重新计算「test」的未结期限 3 个，其中 2 个发生变化" in result.summary()
    assert result.plan.flipped_dates >= {d("2027-02-08"), d("2027-02-14")}


def test_a_failing_source_undoes_the_whole_load(django_capture_on_commit_callbacks):
    def broken(change: CalendarChange) -> RecomputeResult:
        change.notify(recipients=["a@x.cn"], subject="s", body="b")
        assert not is_workday(d("2027-02-08"))  # the source sees (and caches) the uncommitted calendar
        raise RuntimeError("数据库连接中断")

    register_deadline_source("broken", broken)
    before = _calendar_state()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="本次载入已撤销"),
    ):
        arrangement_load(actor=SYSTEM_TEST, arrangement=arrangement_2027())
    assert _calendar_state() == before and mail.outbox == []
    assert is_workday(d("2027-02-08"))  # the table went back to the committed calendar


def test_change_affects_only_counts_over_flipped_days():
    change = CalendarChange(years=(2027,), changed_dates=frozenset({d("2027-01-01")}), actor=SYSTEM_TEST)
    assert change.affects(d("2026-12-31"), d("2027-01-05"))
    assert not change.affects(d("2027-01-01"), d("2027-01-05"))
    assert not change.affects(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_skipping_a_year_is_allowed_with_a_warning():
    # given 2027 is not loaded / when 2028 is previewed / then staff are told the gap stays provisional
    plan = arrangement_plan(arrangement=csv_arrangement("放假,元旦,2028-01-01,2028-01-03"))
    assert any("2027年的安排尚未载入" in w for w in plan.warnings)
    assert not any("尚未载入" in w for w in arrangement_plan(arrangement=arrangement_2027()).warnings)
