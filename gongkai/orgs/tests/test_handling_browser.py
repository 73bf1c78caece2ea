"""Browser journey: a county 公开办管理员 hands the county government's applications to the 县政府办 in the
organisation form; the list and the page say so, and the audit browser shows the change in Chinese."""

from __future__ import annotations

import re

import pytest

from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.tests.factories import TEST_PASSWORD, OrganisationFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_names_the_handling_office_and_sees_it_everywhere(page, live_server, org_tree):
    county = org_tree["own"]
    office = OrganisationFactory(name="测试县人民政府办公室", parent=county)
    admin = staff(Role.OFFICE_ADMIN, county, username="gkb_handling")
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(admin.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    # the county government's form: choose the office as 办理申请的工作机构 and save
    page.goto(f"{live_server.url}/admin/orgs/{county.pk}/edit/")
    page.get_by_label("办理申请的工作机构").select_option(label="测试县人民政府办公室")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/admin/orgs/$"))
    assert Organisation.objects.get(pk=county.pk).handling_office_id == office.pk
    # the list and the page say who handles the applications
    assert "依申请公开由测试县人民政府办公室办理" in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/admin/orgs/{county.pk}/edit/")
    assert "依申请公开由测试县人民政府办公室办理。" in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/admin/orgs/{office.pk}/edit/")
    assert "本机关办理测试县人民政府的依申请公开。" in page.locator("main").inner_text()
    # the audit browser: the field by its Chinese name, the offices by name
    page.goto(f"{live_server.url}/admin/audit/")
    text = page.locator("main").inner_text()
    assert "办理申请的工作机构：（本机关自行办理） → 测试县人民政府办公室" in text
    assert "handling_office" not in text
