"""A provisional deadline (it reaches a year whose holiday arrangement is not loaded) is marked 「（暂定）」 wherever
staff read it, as the application's detail page does: the inbox, the 期限提醒 page and the 复议/诉讼 list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.applications.selectors import remedy_answer_of
from gongkai.applications.services.machine import refresh_deadlines
from gongkai.applications.tests.factories import RemedyCaseFactory
from gongkai.applications.vocab import RemedyKind

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.fixture
def deadlines(register):
    """Two new applications: one whose 20 working days reach 2027 (not loaded: provisional), one counted on known
    days only (received 2026-11-20, due 2026-12-18)."""
    provisional = register("2026-11-20")
    # moved (a receipt day cannot lie in the future) to 2026-12-21: its period runs into the unknown 2027
    Application.objects.filter(pk=provisional.pk).update(received_on=D("2026-12-21"))
    provisional.events.update(date=D("2026-12-21"))
    provisional.refresh_from_db()
    refresh_deadlines(provisional)
    provisional.save()
    settled = register("2026-11-20")
    assert provisional.deadline_provisional and provisional.reply_due == D("2027-01-19")
    assert not settled.deadline_provisional and settled.reply_due == D("2026-12-18")
    return provisional, settled


def test_the_inbox_marks_a_provisional_reply_date(client, office, deadlines):
    client.force_login(office["clerk"])
    html = client.get(reverse("applications:inbox")).content.decode()
    # both are 新收, with their 答复期限: only the one reaching 2027 is 暂定
    assert '<span class="date">2027-01-19（暂定）</span>' in html
    assert '<span class="date">2026-12-18</span>' in html and "2026-12-18（暂定）" not in html


def test_the_deadline_page_marks_a_provisional_date(client, office, deadlines, monkeypatch):
    # on 15 January 2027 the provisional one is due within 5 working days, the other is overdue
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D("2027-01-15"))
    client.force_login(office["clerk"])
    html = client.get(reverse("applications:dashboard")).content.decode()
    assert '<td class="date">2027-01-19（暂定）</td>' in html
    assert '<td class="date">2026-12-18</td>' in html


def test_the_remedy_list_marks_a_provisional_answer_date(client, office):
    # given a 复议 whose copy was received on 2026-12-28 (its 10 working days reach 2027) and one in March 2026
    late = RemedyCaseFactory(org=office["org"], kind=RemedyKind.REVIEW, filed_on=D("2026-12-20"),
                             copy_received_on=D("2026-12-28"))  # fmt: skip
    early = RemedyCaseFactory(org=office["org"], kind=RemedyKind.REVIEW, filed_on=D("2026-03-01"),
                              copy_received_on=D("2026-03-02"))  # fmt: skip
    late_due, early_due = remedy_answer_of(late).due, remedy_answer_of(early).due
    assert late_due.provisional and not early_due.provisional
    # when the clerk lists the cases
    client.force_login(office["clerk"])
    html = client.get(reverse("applications:remedies")).content.decode()
    # then the answer date reaching 2027 says 暂定, the other does not
    assert f"{late_due.due:%Y-%m-%d}（暂定）" in html
    assert f"{early_due.due:%Y-%m-%d}" in html and f"{early_due.due:%Y-%m-%d}（暂定）" not in html
