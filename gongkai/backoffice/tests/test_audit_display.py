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
