"""Back-office pages: the calendar, a year, the calculator, and loading a year (preview, confirm)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.models import AuditEntry
from gongkai.workdays.models import CalendarYear, DayOverride

from .factories import CSV_2027

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("workdays:calendar"))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_calendar_lists_years_and_warns_about_the_next_one(client, clerk):
    client.force_login(clerk)
    html = client.get(reverse("workdays:calendar")).content.decode()
    assert "工作日历" in html and "2026年" in html and "248 天" in html
    assert "2027年的节假日安排尚未载入" in html
    assert "载入新年度安排" not in html  # a clerk cannot load


def test_calculator_shows_the_date_next_to_its_steps(client, clerk):
    client.force_login(clerk)
    html = client.get(reverse("workdays:calendar"), {"received": "2026-02-10", "days": "20"}).content.decode()
    assert "期限：2026年3月16日" in html
    assert "节假日：春节 2026年2月15日至2月23日放假" in html
    assert "暂定" not in html.split("期限计算器")[1]


def test_calculator_marks_a_2027_date_provisional(client, clerk):
    client.force_login(clerk)
    html = client.get(reverse("workdays:calendar"), {"received": "2026-12-20", "days": "20"}).content.decode()
    assert "期限：2027年1月18日" in html and "暂定" in html
    assert "该期限涉及2027年，该年度的节假日安排尚未载入" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"received": "2026-02-30", "days": "20"}, "格式不正确或不存在"),
        ({"received": "2026-02-10", "days": "-1"}, "不能为负数"),
        ({"received": "2026-02-10", "days": "二十"}, "不是整数"),
    ],
)
def test_calculator_rejects_bad_input_in_chinese(client, clerk, query, message):
    client.force_login(clerk)
    html = client.get(reverse("workdays:calendar"), query).content.decode()
    assert message in html and "计算过程" not in html


def test_year_page_shows_ranges_make_up_days_and_their_notices(client, clerk):
    client.force_login(clerk)
    html = client.get(reverse("workdays:year", args=[2020])).content.decode()
    assert "2020年1月24日至1月30日" in html and "2020年1月31日至2月2日" in html
    assert "国务院办公厅关于延长2020年春节假期的通知" in html
    assert "249 天" in html
    assert "尚未载入" in client.get(reverse("workdays:year", args=[2027])).content.decode()


def test_clerks_cannot_load_a_year(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("workdays:load")).status_code == 403
    assert (
        client.post(reverse("workdays:load_confirm"), {"payload": "{}", "fingerprint": "x"}).status_code
        == 403
    )


def test_admin_previews_then_confirms_a_year(admin_client, admin):
    # given the upload form
    assert admin_client.get(reverse("workdays:load")).status_code == 200
    # when a system administrator uploads the 2027 file
    upload = SimpleUploadedFile("2027.csv", CSV_2027.encode(), content_type="text/csv")
    preview = admin_client.post(
        reverse("workdays:load"), {"file": upload, "source": "国办发明电〔2026〕测试号"}
    )
    html = preview.content.decode()
    # then a preview lists the changes and nothing is stored yet
    assert "预览：2027年节假日安排" in html and "新增：2027年1月1日（星期五） 放假（元旦）" in html
    assert "261 天 → " in html and "253 天" in html
    assert not CalendarYear.objects.filter(year=2027).exists()
    # when they confirm what was previewed
    confirm = {"payload": preview.context["confirm"].initial["payload"],
               "fingerprint": preview.context["confirm"].initial["fingerprint"]}  # fmt: skip
    response = admin_client.post(reverse("workdays:load_confirm"), confirm)
    # then the year is loaded, audited, and the year page says so
    assert response.status_code == 302 and response["Location"] == reverse("workdays:year", args=[2027])
    assert CalendarYear.objects.get(year=2027).source == "国办发明电〔2026〕测试号"
    assert DayOverride.objects.filter(arrangement__year=2027).count() == 21
    assert (
        AuditEntry.objects.filter(object_type="workdays.dayoverride", actor_name=admin.username).count() == 21
    )
    page = admin_client.get(response["Location"]).content.decode()
    assert "已载入2027年节假日安排：新增 21 天" in page and "尚未载入" not in page


def test_admin_sees_every_problem_of_a_bad_file_and_nothing_changes(admin_client):
    before = AuditEntry.objects.count()
    text = "类型,名称,开始日期,结束日期\n放假,春节,2027-02-06,2027-02-13\n上班,春节,2027-02-13,\n上班,春节,2027-02-08,"
    html = admin_client.post(reverse("workdays:load"), {"text": text}).content.decode()
    assert "互相矛盾" in html and "调休上班日只能是周六或周日" in html
    assert not CalendarYear.objects.filter(year=2027).exists() and AuditEntry.objects.count() == before


def test_a_tampered_confirmation_is_refused(admin_client):
    upload = SimpleUploadedFile("2027.csv", CSV_2027.encode())
    preview = admin_client.post(reverse("workdays:load"), {"file": upload})
    confirm = {"payload": preview.context["confirm"].initial["payload"], "fingerprint": "0" * 32}
    response = admin_client.post(reverse("workdays:load_confirm"), confirm, follow=True)
    assert "预览之后日历已被他人修改" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_upload_and_paste_together_are_refused(admin_client):
    upload = SimpleUploadedFile("2027.csv", CSV_2027.encode())
    html = admin_client.post(reverse("workdays:load"), {"file": upload, "text": CSV_2027}).content.decode()
    assert "请只上传文件或只粘贴内容" in html
