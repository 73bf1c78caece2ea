"""Back-office pages: scoped lists, drafting through the form, scan results with positions, steps, checks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.catalog.models import Item, TypoEntry
from gongkai.catalog.vocab import Status, StatutoryItem
from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff

from .factories import draft_item, pdf_bytes, published_item

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"


def _login(client, user):
    client.force_login(user)
    return client


def test_list_shows_only_items_of_visible_organisations(client, org_tree):
    draft_item(org_tree["own"], title="本县信息")
    draft_item(org_tree["sibling"], title="邻县信息")
    html = _login(client, staff(Role.CLERK, org_tree["own"])).get(reverse("catalog:list")).content.decode()
    assert "本县信息" in html and "邻县信息" not in html


def test_detail_of_another_organisation_is_not_found(client, org_tree):
    item = draft_item(org_tree["sibling"])
    response = _login(client, staff(Role.CLERK, org_tree["own"])).get(
        reverse("catalog:detail", args=[item.pk])
    )
    assert response.status_code == 404


def test_clerk_drafts_through_the_form(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    response = _login(client, clerk).post(
        reverse("catalog:create"),
        {"org": org_tree["own"].pk, "title": "关于公布2026年度行政事业性收费目录的通知", "topic": "finance",
         "statutory_item": StatutoryItem.A20_08, "doc_kind": "policy", "method": "website",
         "disclosure": "proactive", "written_on": "2026-01-05", "body": "<p>正文</p>"},
    )  # fmt: skip
    item = Item.objects.get()
    assert response.status_code == 302 and item.status == Status.DRAFT and item.created_by == clerk
    assert item.publisher == org_tree["own"].name


def test_invalid_draft_shows_chinese_errors_and_saves_nothing(client, org_tree):
    response = _login(client, staff(Role.CLERK, org_tree["own"])).post(
        reverse("catalog:create"),
        {"org": org_tree["own"].pk, "title": "依申请公开的信息", "topic": "general", "doc_kind": "other",
         "method": "website", "disclosure": "on_request"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "必须写明理由" in response.content.decode()
    assert not Item.objects.exists()


def test_detail_shows_scan_hits_with_position_and_submit_is_refused(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    TypoEntry.objects.get_or_create(wrong="按排", defaults={"correct": "安排"})
    item = draft_item(org_tree["own"], body=f"<p>按排如下</p><p>身份证{ID}</p>")
    html = _login(client, clerk).get(reverse("catalog:detail", args=[item.pk])).content.decode()
    assert "正文 第2行第4字" in html and ID in html and "阻止发布" in html and "按排" in html
    response = client.post(reverse("catalog:step", args=[item.pk, "submit"]), follow=True)
    assert "发布前检查发现以下问题" in response.content.decode()
    assert Item.objects.get(pk=item.pk).status == Status.DRAFT


def test_reviewer_publishes_through_the_step_button(client, org_tree, django_capture_on_commit_callbacks):
    item = draft_item(org_tree["own"])
    from gongkai.catalog import workflow

    for step in ("submit", "secrecy_pass"):
        item = workflow.item_transition(actor=SYSTEM_TEST, item=item, step=step)
    reviewer = staff(Role.REVIEWER, org_tree["own"])
    _login(client, reviewer)
    html = client.get(reverse("catalog:detail", args=[item.pk])).content.decode()
    assert "审核通过并发布" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("catalog:step", args=[item.pk, "publish"]))
    assert Item.objects.get(pk=item.pk).status == Status.PUBLISHED


def test_attachment_upload_sniffs_type(client, org_tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    clerk = staff(Role.CLERK, org_tree["own"])
    item = draft_item(org_tree["own"])
    _login(client, clerk)
    client.post(
        reverse("catalog:attachment_upload", args=[item.pk]),
        {"file": SimpleUploadedFile("a.pdf", pdf_bytes())},
    )
    bad = client.post(reverse("catalog:attachment_upload", args=[item.pk]),
                      {"file": SimpleUploadedFile("b.pdf", b"not a pdf")}, follow=True)  # fmt: skip
    assert [a.ext for a in item.attachments.all()] == ["pdf"]
    assert "附件只能是" in bad.content.decode()


def test_checks_page_is_for_office_admins(client, org_tree):
    published_item(org_tree["own"])
    assert (
        _login(client, staff(Role.CLERK, org_tree["own"])).get(reverse("catalog:checks")).status_code == 403
    )
    html = (
        _login(client, staff(Role.OFFICE_ADMIN, org_tree["own"]))
        .get(reverse("catalog:checks"))
        .content.decode()
    )
    assert "空白栏目" in html and "本年制发件数" in html and "按时率" in html


def test_dictionary_is_maintained_by_office_admins(client, org_tree):
    _login(client, staff(Role.CLERK, org_tree["own"]))
    assert client.post(reverse("catalog:dictionary"), {"wrong": "x"}).status_code == 403
    _login(client, staff(Role.OFFICE_ADMIN, org_tree["own"]))
    client.post(
        reverse("catalog:dictionary"),
        {"wrong": "青山悬", "correct": "青山县", "kind": "typo", "severity": "block"},
    )
    assert TypoEntry.objects.filter(wrong="青山悬", severity="block").exists()


def test_reviewer_marks_a_published_item_amended(client, org_tree):
    item = published_item(org_tree["own"])
    _login(client, staff(Role.CLERK, org_tree["own"]))
    assert "标记为“已修改”" not in client.get(reverse("catalog:detail", args=[item.pk])).content.decode()
    client.post(reverse("catalog:amended", args=[item.pk]))
    assert Item.objects.get(pk=item.pk).validity == "valid"
    _login(client, staff(Role.REVIEWER, org_tree["own"]))
    assert "标记为“已修改”" in client.get(reverse("catalog:detail", args=[item.pk])).content.decode()
    client.post(reverse("catalog:amended", args=[item.pk]))
    assert Item.objects.get(pk=item.pk).validity == "amended"
