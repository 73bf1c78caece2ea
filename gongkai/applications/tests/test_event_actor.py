"""The 办理记录 names who acted: the staff member, or the applicant for what they did online (no user is behind
an online submission or an online 补正, so the column was blank)."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.applications.services import intake, steps
from gongkai.applications.services.public_correction import correction_submit_public
from gongkai.applications.tests.conftest import applicant, request_data
from gongkai.workdays.arithmetic import add_workdays

pytestmark = pytest.mark.django_db


def _actors(client, a) -> list[tuple[str, str]]:
    html = client.get(reverse("applications:detail", args=[a.pk])).content.decode()
    table = lxml.html.fromstring(html).xpath("//h2[text()='办理记录']/following-sibling::table[1]")[0]
    return [(tr[1].text_content(), tr[3].text_content()) for tr in table.xpath(".//tbody/tr")]


def test_an_online_submission_is_recorded_as_the_applicants(client, office, register):
    # given a citizen's online application, a 补正 asked by the clerk and sent back online
    a, _ = intake.application_submit_public(org=office["org"], applicant=applicant(), request=request_data())
    until = add_workdays(timezone.localdate(), 5)
    steps.correction_request(
        actor=office["clerk"], application=a, items="请写明文号", until=until, date=a.received_on
    )
    correction_submit_public(application=a, text="文号为某发〔2026〕1号。", uploads=[])
    # when the clerk reads its 办理记录
    client.force_login(office["clerk"])
    rows = _actors(client, a)
    # then the first row is the applicant's online submission, the clerk's step carries the clerk's name, and the
    # online 补正 is the applicant's again
    assert rows[0][1] == "申请人（网上提交）"
    assert str(office["clerk"]) in [actor for _, actor in rows]
    assert rows[-1][1] == "申请人（网上补正）"
    # and a registration by staff names the clerk who made it
    assert _actors(client, register())[0][1] == str(office["clerk"])
