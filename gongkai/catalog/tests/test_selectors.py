"""Reads: 第二十六条 timeliness, 三同步, the site self-check, 表二 figures, 法定主动公开内容 sections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.catalog import selectors, self_check, workflow
from gongkai.catalog.vocab import DocKind, StatutoryItem, Validity
from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs.models import Level
from gongkai.orgs.tests.factories import OrganisationFactory
from gongkai.workdays.arithmetic import add_workdays, invalidate

from .factories import draft_item, published_item

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def fresh_calendar():
    invalidate()
    yield
    invalidate()


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=TZ)


def test_deadline_skips_the_national_day_holiday():
    # Given information formed on 2025-09-30, just before the 国庆 break (10月1日至8日放假, 10月11日补班)
    item = published_item(formed_on=dt.date(2025, 9, 30), published_at=at("2025-11-04"))
    # When its timeliness is computed
    t = selectors.item_timeliness(item)
    # Then the 20th working day is 4 November and publishing on it is on time
    assert t.deadline == dt.date(2025, 11, 4)
    assert t.on_time is True and t.label == "按时公开" and not t.provisional


@pytest.mark.parametrize("extra,on_time,late", [(0, True, 0), (1, False, 1), (5, False, 5)])
def test_publication_after_the_twentieth_working_day_is_late(extra, on_time, late):
    formed = dt.date(2025, 3, 3)
    published = add_workdays(formed, 20 + extra)
    item = published_item(formed_on=formed, published_at=at(published.isoformat()))
    t = selectors.item_timeliness(item)
    assert (t.on_time, t.late_workdays) == (on_time, late)


def test_org_timeliness_counts_per_organisation(org_tree):
    own, child = org_tree["own"], org_tree["child"]
    published_item(own, formed_on=dt.date(2025, 3, 3), published_at=at("2025-03-05"))
    published_item(own, formed_on=dt.date(2025, 1, 2), published_at=at("2025-06-30"))
    published_item(child, written_on=None, formed_on=None, published_at=at("2025-05-01"))
    rows = {r.org.pk: r for r in selectors.org_timeliness([own.pk, child.pk], 2025)}
    assert (rows[own.pk].on_time, rows[own.pk].late, rows[own.pk].rate) == (1, 1, 50.0)
    assert (rows[child.pk].undated, rows[child.pk].rate) == (1, None)


@pytest.mark.parametrize("lag_days,state", [(0, "同步"), (3, "同步"), (4, "滞后")])
def test_three_synchronisations(lag_days, state):
    policy = published_item(needs_interpretation=True, doc_kind=DocKind.POLICY, published_at=at("2025-05-06"))
    published_item(policy.org, doc_kind=DocKind.INTERPRETATION, interprets=policy, title="解读",
                   published_at=at("2025-05-06") + dt.timedelta(days=lag_days))  # fmt: skip
    s = selectors.interpretation_sync(policy)
    assert (s.state, s.lag_days) == (state, lag_days)


def test_policy_without_interpretation_is_missing():
    policy = published_item(needs_interpretation=True, doc_kind=DocKind.POLICY)
    assert selectors.interpretation_report([policy.org_id])[0].state == "缺失"


def test_table2_figures_per_organisation_year(org_tree):
    own = org_tree["own"]
    # Given normative documents published in 2024 and 2025, one of them repealed in 2025, and a regulation
    old = published_item(own, doc_kind=DocKind.NORMATIVE, published_at=at("2024-04-01"))
    published_item(own, doc_kind=DocKind.NORMATIVE, published_at=at("2025-04-01"))
    published_item(own, doc_kind=DocKind.REGULATION, published_at=at("2025-02-01"))
    published_item(own, doc_kind=DocKind.POLICY, published_at=at("2025-02-01"))
    draft_item(own, doc_kind=DocKind.NORMATIVE)
    workflow.item_transition(actor=SYSTEM_TEST, item=old, step="repeal", repealed_on=dt.date(2025, 7, 1))
    published_item(org_tree["sibling"], doc_kind=DocKind.NORMATIVE, published_at=at("2025-04-01"))
    # When the figures for 2025 and 2024 are read
    f2025 = selectors.regulation_figures([own.pk], 2025)
    f2024 = selectors.regulation_figures([own.pk], 2024)
    # Then (neutral keys: the report maps them to its 表二 labels)
    assert f2025 == {
        "regulation": {"issued": 1, "repealed": 0, "current": 1},
        "normative": {"issued": 1, "repealed": 1, "current": 1},
    }
    assert f2024["normative"] == {"issued": 1, "repealed": 0, "current": 1}


def test_self_check_finds_empty_stale_columns_broken_links_and_undated_items():
    org = OrganisationFactory(level=Level.TOWNSHIP)
    today = timezone.localdate()
    fresh = published_item(org, statutory_item=StatutoryItem.A20_07, published_at=timezone.now())
    published_item(
        org, statutory_item=StatutoryItem.A20_09, published_at=timezone.now() - dt.timedelta(days=400)
    )
    published_item(
        org, statutory_item=StatutoryItem.A20_02, published_at=timezone.now(),
        body=f'<p><a href="/gk/{org.code}/xxgk/{fresh.pk}/">有效</a><a href="/gk/{org.code}/xxgk/999999/">失效</a>'
             '<a href="/no-such-page/">不存在</a><a href="https://www.gov.cn/">外部</a></p>',
    )  # fmt: skip
    undated = published_item(org, statutory_item=StatutoryItem.A20_03)
    type(undated).objects.filter(pk=undated.pk).update(published_at=None)
    check = self_check.site_self_check(org, today=today, stale_days=90)
    assert "政府信息公开制度" in check.empty_columns
    assert not any("财政预算、决算信息" in c for c in check.empty_columns)
    assert any("（九）" in label for label, _ in check.stale_columns)
    assert sorted(h for _, h in check.broken_links) == [f"/gk/{org.code}/xxgk/999999/", "/no-such-page/"]
    assert [i.pk for i in check.undated_items] == [undated.pk]
    # township bodies also have the 第二十一条 township items
    assert any("宅基地使用情况审核" in c for c in check.empty_columns)


def test_statutory_sections_follow_the_level(org_tree):
    county_sections = selectors.statutory_sections(org_tree["own"])
    assert [s.article for s in county_sections][:2] == ["第二十条第（一）项", "第二十条第（二）项"]
    assert "市政建设" in [s.label for s in county_sections]
    assert len(county_sections) == 15 + 7


def test_public_lists_filter_by_item_year_validity(org_tree):
    own = org_tree["own"]
    a = published_item(own, statutory_item=StatutoryItem.A20_07, published_at=at("2024-05-01"))
    b = published_item(own, statutory_item=StatutoryItem.A20_01, published_at=at("2025-05-01"))
    workflow.item_transition(actor=SYSTEM_TEST, item=b, step="repeal")
    assert list(selectors.public_items(org_ids=[own.pk], statutory_item=StatutoryItem.A20_07)) == [a]
    assert list(selectors.public_items(org_ids=[own.pk], year=2025)) == [b]
    assert list(selectors.public_items(org_ids=[own.pk], validity=Validity.REPEALED)) == [b]
    assert selectors.public_years([own.pk]) == [2025, 2024]


def test_public_years_skip_empty_years_and_use_local_time(org_tree):
    # Given items published in 2021 and, by Beijing time, on New Year's Day 2025 (still 2024 in UTC)
    own = org_tree["own"]
    published_item(own, published_at=dt.datetime(2021, 6, 1, tzinfo=dt.UTC))
    published_item(own, published_at=dt.datetime(2024, 12, 31, 17, 0, tzinfo=dt.UTC))
    draft_item(own)
    # Then the years offered are those two, newest first: none for 2022–2024
    assert selectors.public_years([own.pk]) == [2025, 2021]
    assert selectors.public_years([org_tree["sibling"].pk]) == []
