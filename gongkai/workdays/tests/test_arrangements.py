"""Reading an arrangement file: CSV and JSON, and every way a file can contradict itself."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from gongkai.workdays.arrangements import Arrangement, parse_arrangement
from gongkai.workdays.models import DayKind

from .factories import CSV_2027, d

JSON_2027 = {
    "year": 2027,
    "source": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
    "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}],
    "workdays": [{"name": "春节", "date": "2027-02-14"}],
}


def test_csv_ranges_are_expanded_day_by_day():
    arrangement = parse_arrangement(CSV_2027)
    assert arrangement.year == 2027
    assert arrangement.source == "国务院办公厅关于2027年部分节假日安排的通知"
    assert len(arrangement.holidays()) == 3 + 8 + 3 + 5
    assert [(x.date, x.name) for x in arrangement.makeups()] == [
        (d("2027-02-14"), "春节"),
        (d("2027-04-25"), "劳动节"),
    ]


def test_json_with_source_and_gbk_csv_are_read():
    arrangement = parse_arrangement(json.dumps(JSON_2027, ensure_ascii=False).encode(), filename="2027.json")
    assert arrangement.source.endswith("（测试）") and len(arrangement.days) == 4
    gbk = parse_arrangement(CSV_2027.encode("gbk"), filename="2027.csv", source="某通知")
    assert gbk.source == "某通知" and len(gbk.days) == len(parse_arrangement(CSV_2027).days)


def test_a_december_day_belongs_to_the_next_years_notice():
    # the 2019 notice fixed 2018-12-29 (worked) and 2018-12-30/31 (off)
    arrangement = parse_arrangement(
        "类型,名称,开始日期,结束日期\n上班,元旦,2018-12-29,\n放假,元旦,2018-12-30,2019-01-01"
    )
    assert arrangement.year == 2019 and arrangement.days[0].kind == DayKind.MAKEUP


def test_the_normalised_form_round_trips():
    arrangement = parse_arrangement(CSV_2027)
    assert Arrangement.from_json(arrangement.to_json()) == arrangement


HEADER = "类型,名称,开始日期,结束日期\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "文件是空的"),
        (
            HEADER + "放假,春节,2027-02-06,2027-02-13\n上班,春节,2027-02-13,",
            "既被列为放假（春节，第 2 行），又被列为调休上班（春节，第 3 行），互相矛盾",
        ),
        (
            HEADER + "放假,元旦,2027-01-01,2027-01-03\n上班,春节,2027-02-08,",
            "2027-02-08 是星期一，本来就是工作日，调休上班日只能是周六或周日",
        ),
        (HEADER + "放假,春节,2027-02-31,", "日期「2027-02-31」无效"),
        (HEADER + "放假,春节,2027/02/06,", "请按 YYYY-MM-DD 填写"),
        (HEADER + "放假,春节,2027-02-13,2027-02-06", "结束日期 2027-02-06 早于开始日期 2027-02-13"),
        (HEADER + "放假,春节,2027-01-01,2027-03-01", "超过 31 天"),
        (HEADER + "放假,,2027-01-01,", "缺少节日名称"),
        (HEADER + "休息,元旦,2027-01-01,", "类型「休息」无法识别"),
        (
            HEADER + "放假,元旦,2027-01-01,2027-01-03\n放假,元旦,2027-01-03,2027-01-04",
            "2027-01-03 在第 2 行和第 3 行重复出现",
        ),
        (HEADER + "上班,春节,2027-02-14,", "只有调休上班日，没有放假安排"),
        (
            HEADER + "放假,国庆节,2026-10-01,2026-10-07\n放假,元旦,2027-01-01,",
            "2026-10-01 不属于2027年的安排",
        ),
        ("名称,日期\n元旦,2027-01-01", "表头缺少「类型」列"),
        ('{"year": 2027, "holidays": [', "JSON 格式错误"),
        (
            '{"year": 2027, "holidays": [{"name": "元旦", "start": "2027-13-01"}]}',
            "holidays 第 1 项：日期「2027-13-01」无效",
        ),
        ('{"year": 2027, "days": []}', "无法识别的字段：days"),
        ('{"year": 2026, "holidays": [{"name": "元旦", "start": "2027-01-01"}]}', "不属于2026年的安排"),
    ],
)
def test_bad_files_are_refused_with_every_problem_in_chinese(text, message):
    with pytest.raises(ValidationError) as info:
        parse_arrangement(text)
    assert any(message in m for m in info.value.messages), info.value.messages


def test_all_problems_are_listed_not_just_the_first():
    text = HEADER + "放假,春节,2027-02-31,\n上班,春节,2027-02-08,\n休息,元旦,2027-01-01,"
    with pytest.raises(ValidationError) as info:
        parse_arrangement(text)
    assert len(info.value.messages) == 3


def test_the_year_typed_by_staff_must_match_the_file():
    with pytest.raises(ValidationError, match="与填写的年度（2028）不一致"):
        parse_arrangement(json.dumps(JSON_2027), year=2028)
    with pytest.raises(ValidationError, match="不属于2028年的安排"):
        parse_arrangement(CSV_2027, year=2028)


def test_a_tampered_confirmation_payload_is_refused():
    with pytest.raises(ValidationError, match="已损坏"):
        Arrangement.from_json('{"year": 2027}')
    tampered = json.loads(parse_arrangement(CSV_2027).to_json())
    tampered["days"].append(["2027-02-08", "makeup", "春节", ""])  # a Monday
    with pytest.raises(ValidationError, match="调休上班日只能是周六或周日"):
        Arrangement.from_json(json.dumps(tampered, ensure_ascii=False))
