"""The audit browser shows each change in Chinese (issue 18, defect 6: 「渠道：internet」)."""

from __future__ import annotations

from gongkai.core.audit_display import change_rows, object_label


def test_field_names_and_coded_values_are_translated():
    rows = dict(change_rows("applications.application", {
        "channel": [None, "internet"], "status": ["registered", "in_progress"],
        "event": [None, {"kind": "received", "date": "2026-01-14"}], "four_eyes": True,
    }))  # fmt: skip
    assert rows["申请渠道"] == "（空） → 互联网渠道"
    assert rows["状态"] == "已登记 → 办理中"
    assert rows["办理记录"].startswith("（空） → 事项：收到申请")
    assert "internet" not in str(rows) and "received" not in str(rows)


def test_unknown_keys_and_models_never_show_the_stored_name():
    assert change_rows("nosuch.model", {"zz_internal": 1}) == [("其他", "1")]
    assert object_label("applications.application") == "政府信息公开申请"
    assert object_label("nosuch.model") == "对象"


def test_digests_are_shown_short_and_marked_as_identifiers():
    rows = dict(change_rows("applications.organisationseal", {"sha256": [None, "a491f6d8" * 8]}))
    assert rows["摘要"] == '（空） → <span class="digest" translate="no">a491f6d8a491f6d8</span>'
    assert (
        dict(change_rows("applications.letterdelivery", {"clock": [None, "correction_until"]}))[
            "据此确定的期限"
        ]
        == "（空） → 补正期限"
    )


def test_a_link_to_an_organisation_reads_as_its_name(db):
    from gongkai.orgs.tests.factories import OrganisationFactory

    office = OrganisationFactory(name="样例县人民政府办公室")
    rows = dict(
        change_rows("orgs.organisation", {"handling_office": [None, office.pk], "parent": [999999, None]})
    )
    assert rows["办理申请的工作机构"] == "（本机关自行办理） → 样例县人民政府办公室"
    assert rows["上级机构"] == "（已删除的机构，编号 999999） → （无上级机构）"


def test_a_link_to_a_record_that_may_name_a_person_keeps_its_number(db):
    # an application's name may carry the applicant's: only organisations are shown by name
    rows = dict(change_rows("applications.letter", {"application": [None, 5]}))
    assert "5" in next(iter(rows.values()))


def test_the_audit_page_shows_a_handling_office_change_in_chinese(client, db):
    from gongkai.core.actors import SYSTEM_TEST
    from gongkai.orgs import services
    from gongkai.orgs.models import Level, OrgKind, Role
    from gongkai.orgs.tests.factories import OrganisationFactory, staff

    gov = OrganisationFactory(name="样例县人民政府", level=Level.COUNTY, kind=OrgKind.GOVERNMENT)
    office = OrganisationFactory(name="样例县人民政府办公室", parent=gov)
    services.org_set_handling_office(actor=SYSTEM_TEST, org=gov, office=office)
    client.force_login(staff(Role.OFFICE_ADMIN, gov))
    page = client.get("/admin/audit/", {"object_type": "orgs.organisation"}).content.decode()
    assert "<b>办理申请的工作机构</b>：（本机关自行办理） → 样例县人民政府办公室" in page
    assert "handling_office" not in page


def test_rich_text_is_shown_as_its_words_shortened_never_as_tags():
    # issue 18, defect 3: 「正文：<p>第一段内容。</p>…<table><thead><tr><th scope="col">」
    body = (
        "<p>第一段内容。</p><p>第二段&amp;内容。</p>"
        '<table><thead><tr><th scope="col">项目</th></tr></thead><tbody><tr><td>数值一</td></tr></tbody></table>'
        + "<p>" + "长" * 100 + "</p>"
    )  # fmt: skip
    rows = dict(change_rows("catalog.item", {"body": ["<p>旧</p>", body]}))
    text = rows["正文"]
    assert "<" not in text and "scope" not in text
    words = "第一段内容。 第二段&内容。 项目 数值一 " + "长" * 100
    assert text == f"已修改（约 {len(words)} 字）{words[:60]}……"
    created = dict(change_rows("catalog.item", {"body": "<p>第一段内容。</p>"}))
    assert created["正文"] == "（约 6 字）第一段内容。"
    cleared = dict(change_rows("catalog.item", {"body": ["<p>旧</p>", ""]}))
    assert cleared["正文"] == "已清空"
    # a report's sections (number → rich text) are shortened inside; a plain "a<b" is no HTML
    sections = change_rows("reports.report", {"sections": [{"1": "<p>旧</p>"}, {"1": "<p>一</p><p>二</p>"}]})
    assert "（约 1 字）旧 → " in sections[0][1] and sections[0][1].endswith("（约 3 字）一 二")
    assert "<" not in sections[0][1]
    assert dict(change_rows("catalog.item", {"summary": "a<b"}))["内容概述"] == "a<b"
