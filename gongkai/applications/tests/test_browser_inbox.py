"""Browser journey (issue 17): the 县政府办's clerk — the county government's 政府信息公开工作机构 — finds a
citizen's online application to the county government in the inbox, takes it (指定经办人), replies and issues
the reply letter, which is issued in the name of the county government."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from gongkai.applications.models import Application, Status
from gongkai.applications.services.intake import application_submit_public
from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs import services as org_services
from gongkai.orgs.models import Level, OrgKind, Role
from gongkai.orgs.tests.factories import TEST_PASSWORD, OrganisationFactory, staff
from gongkai.workdays.arithmetic import invalidate

from .conftest import applicant, request_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _calendar():
    invalidate()  # transactional tests flush the calendar tables
    yield
    invalidate()


def test_office_clerk_from_inbox_to_issued_reply(page, live_server):
    gov = OrganisationFactory(name="样例县人民政府", level=Level.COUNTY, kind=OrgKind.GOVERNMENT)
    office = OrganisationFactory(name="样例县人民政府办公室", short_name="县政府办", parent=gov)
    org_services.org_set_handling_office(actor=SYSTEM_TEST, org=gov, office=office)
    clerk = staff(Role.CLERK, office, username="office_clerk", full_name="李经办")
    a, _ = application_submit_public(
        org=gov, applicant=applicant(), request=request_data(info_title="县政府常务会议纪要"),
        today=timezone.localdate(),
    )  # fmt: skip

    # the clerk logs in: the workbench counts one new application
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(clerk.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.locator("#inbox-new").inner_text() == "1"
    # the inbox lists it under 新收
    page.get_by_role("link", name="打开收件箱").first.click()
    new = page.locator("section#new")
    assert "样例县人民政府" in new.inner_text()
    new.get_by_role("link", name=a.tracking_code).click()
    page.wait_for_url(re.compile(rf"/admin/applications/{a.pk}/$"))
    assert page.locator("#status").inner_text() == "已登记"
    # 指定经办人: the clerk takes it
    page.locator("summary", has_text="指定经办人").click()
    page.locator("#id_assign-assignee").select_option(str(clerk.pk))
    page.get_by_role("button", name="指定经办人").click()
    assert page.locator("#status").inner_text() == "办理中"
    # 答复: 予以公开
    page.locator("summary", has_text=re.compile(r"^答复$")).click()
    page.locator("#id_reply-outcome").select_option("1")
    page.get_by_role("button", name="答复", exact=True).click()
    assert page.locator("#status").inner_text() == "已答复"
    # the reply letter is issued, in the county government's name
    page.get_by_role("link", name="政府信息公开申请答复告知书").click()
    page.get_by_label("我已核对文书内容，确认出具（出具后不能再修改）").check()
    page.once("dialog", lambda dialog: dialog.accept())  # the browser asks once more: 出具 is irreversible
    page.get_by_role("button", name="出具", exact=True).click()
    assert "出具，不能再修改" in page.content()
    letter = Application.objects.get(pk=a.pk).letters.get(kind="reply")
    assert letter.is_issued and letter.signatory == "样例县人民政府"
    # and the inbox no longer lists it as new
    page.goto(f"{live_server.url}/admin/applications/inbox/")
    assert page.locator("#count-new .n").inner_text() == "0"
    a.refresh_from_db()
    assert a.status == Status.REPLIED and a.assignee == clerk
