"""The demo year: every outcome present, open and overdue cases, remedies; idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.applications.demo import DEMO_ORGS, load_demo
from gongkai.applications.models import Application, Letter, RemedyCase
from gongkai.applications.vocab import Outcome
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import OrganisationFactory, staff

pytestmark = pytest.mark.django_db


def test_demo_year_covers_every_outcome_and_is_idempotent():
    # given the demo organisations and the office clerk jbr
    orgs = {
        key: OrganisationFactory(name=f"青山县演示机关{key}", review_body="青山县人民政府")
        for key in DEMO_ORGS
    }
    staff(Role.CLERK, orgs["office"], username="jbr")
    today = dt.date(2026, 11, 20)
    # when the demo is loaded twice
    lines = load_demo(orgs=orgs, today=today)
    again = load_demo(orgs=orgs, today=today)
    # then every 表三 outcome occurs, some are open, exactly one is overdue, two remedy cases exist
    qs = Application.objects.all()
    assert set(qs.exclude(outcome="").values_list("outcome", flat=True)) == set(Outcome.values)
    assert qs.filter(outcome="").count() == 5
    assert qs.filter(outcome="", reply_due__lt=today).count() == 1
    assert RemedyCase.objects.count() == 2
    assert Letter.objects.filter(kind="reply").count() == qs.exclude(outcome__in=["", "6.3"]).count()
    assert f"{qs.count()} 件申请" in lines[0]
    assert again == ["依申请公开：演示数据已存在，未重复生成。"]
    assert Application.objects.count() == qs.count()
