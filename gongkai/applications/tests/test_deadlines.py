"""Deadlines: recomputed when a calendar year is loaded; reminders; the dashboard selector."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.applications.models import Application
from gongkai.applications.selectors import due_soon_and_overdue
from gongkai.applications.services.machine import refresh_deadlines
from gongkai.applications.services.steps import application_assign
from gongkai.core.actors import SYSTEM_TEST
from gongkai.workdays.registry import CalendarChange, deadline_sources, recompute_open_deadlines
from gongkai.workdays.services import arrangement_load
from gongkai.workdays.tests.factories import arrangement_2027

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def test_applications_register_as_deadline_source():
    assert "applications" in deadline_sources()


def test_loading_2027_recomputes_a_provisional_deadline(register):
    # given an application received 2026-11-20 whose 20 working days are known (no 2027 days)…
    a = register("2026-11-20")
    assert a.reply_due == D("2026-12-18") and not a.deadline_provisional
    # …moved (receipt dates cannot lie in the future) to 2026-12-21: its period runs into unknown 2027
    Application.objects.filter(pk=a.pk).update(received_on=D("2026-12-21"))
    a.events.update(date=D("2026-12-21"))
    a.refresh_from_db()
    refresh_deadlines(a)
    a.save()
    # (元旦 1/1 is a rest day even before 2027 is loaded: the law fixes its date)
    assert a.deadline_provisional and a.reply_due == D("2027-01-19")
    # when the 2027 arrangement (元旦 1/1–1/3) is loaded
    arrangement_load(arrangement=arrangement_2027(), actor=SYSTEM_TEST)
    # then the open application's deadline was recomputed and is no longer provisional
    a.refresh_from_db()
    assert not a.deadline_provisional and a.reply_due == D("2027-01-19")


def test_recompute_source_counts(register):
    register("2026-03-02")
    results = recompute_open_deadlines(
        CalendarChange(years=(2026,), changed_dates=frozenset(), actor=SYSTEM_TEST)
    )
    assert [(r.source, r.examined, r.changed) for r in results if r.source == "applications"] == [
        ("applications", 1, 0)
    ]


def test_due_soon_and_overdue_is_scoped(register, office):
    register("2026-02-10")
    assert len(due_soon_and_overdue(office["clerk"]).overdue) == 1
    assert due_soon_and_overdue(office["outsider"]).count == 0
    soon = due_soon_and_overdue(office["clerk"], today=D("2026-03-10"))
    assert len(soon.due_soon) == 1 and not soon.overdue


def test_remind_due_mails_assignees(register, office):
    a = register("2026-02-10")
    application_assign(actor=office["clerk"], application=a, assignee=office["clerk"])
    call_command("remind_due", "--date", "2026-03-20")
    assert len(mail.outbox) == 1
    assert a.tracking_code in mail.outbox[0].body and "已逾期" in mail.outbox[0].body
    assert mail.outbox[0].to == [office["clerk"].email]


def test_remind_due_refuses_a_bad_date_in_chinese():
    # a mistyped --date is a plain Chinese error like the other daily commands', not a ValueError traceback
    with pytest.raises(CommandError, match="--date 应为 YYYY-MM-DD 格式的日期"):
        call_command("remind_due", "--date", "2026-03-32")
    assert mail.outbox == []


def test_remind_due_mails_the_org_when_nobody_is_assigned(office):
    from gongkai.applications.services.intake import application_submit_public

    from .conftest import applicant, request_data

    a, _ = application_submit_public(
        org=office["org"], applicant=applicant(), request=request_data(), today=D("2026-02-10")
    )
    call_command("remind_due", "--date", "2026-03-20")
    assert [m.to for m in mail.outbox] == [
        [office["clerk"].email]
    ]  # the clerk; not the reviewer, not other orgs
    assert "尚未指定经办人" in mail.outbox[0].body and a.tracking_code in mail.outbox[0].body
