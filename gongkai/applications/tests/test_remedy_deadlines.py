"""The agency's own deadline in a 行政复议 (书面答复, 行政复议法第四十八条) or 行政诉讼 (答辩, 行政诉讼法第六十七条).

Dates are on the seeded 2026 calendar: 春节 2/15–2/23 (2/14 Sat and 2/28 Sat worked), 国庆 10/1–10/7
(9/20 Sun and 10/10 Sat worked).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from gongkai.applications.clocks.remedy import remedy_answer, review_answer_due, suit_defence_due
from gongkai.applications.models import RemedyCase
from gongkai.applications.reminders import due_by_assignee
from gongkai.applications.selectors import due_soon_and_overdue, remedy_answer_of
from gongkai.applications.services.remedies import remedy_create, remedy_update
from gongkai.applications.vocab import RemedyKind, RemedyResult
from gongkai.core.models import AuditEntry
from gongkai.workdays.arithmetic import get_table

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


# --- the rules, on the working-day calendar ---------------------------------------------------------------


def test_review_answer_counts_ten_working_days_across_national_day():
    # 9/28 Mon received: 9/29, 9/30, (国庆 10/1–10/7), 10/8, 10/9, 10/10 Sat 调休, 10/12–10/16
    due = review_answer_due(get_table(), D("2026-09-28"))
    assert due.due == D("2026-10-16") and not due.provisional
    text = "\n".join(due.steps)
    assert "行政复议法第四十八条" in text and "第八十八条第二款" in text
    assert "国庆节" in text and "不计入" in text and "调休上班" in text
    assert "第 10 个工作日为2026年10月16日（星期五）" in text


def test_review_answer_across_spring_festival_and_simple_procedure():
    table = get_table()
    # 2/12 Thu: 2/13, 2/14 Sat 调休, (春节 2/15–2/23), 2/24–2/27, 2/28 Sat 调休, 3/2–3/4
    assert review_answer_due(table, D("2026-02-12")).due == D("2026-03-04")
    # 简易程序: 5 working days (第五十四条): 2/13, 2/14, 2/24, 2/25, 2/26
    simple = review_answer_due(table, D("2026-02-12"), simple=True)
    assert simple.due == D("2026-02-26") and "第五十四条" in simple.steps[0]


def test_suit_defence_is_fifteen_calendar_days():
    due = suit_defence_due(get_table(), D("2026-03-02"))
    assert due.due == D("2026-03-17")
    assert "行政诉讼法第六十七条第一款" in due.steps[0] and "顺延" not in "".join(due.steps)


def test_suit_defence_ending_in_spring_festival_moves_to_the_next_working_day():
    # 2/1 + 15 days = 2/16, a 春节 holiday: the period ends on the first day after (民事诉讼法第八十五条第三款)
    due = suit_defence_due(get_table(), D("2026-02-01"))
    assert due.due == D("2026-02-24")
    text = "\n".join(due.steps)
    assert "第 15 日为2026年2月16日（星期一）" in text and "春节放假日" in text
    assert "民事诉讼法第八十五条第三款" in text and "顺延至2026年2月24日（星期二）" in text
    # the prudent day is the working day before the 15th day
    assert "可于2026年2月14日（星期六，原第 15 日前最后一个工作日）或之前提交" in text


def test_suit_defence_ending_in_national_day_and_on_a_makeup_saturday():
    table = get_table()
    assert suit_defence_due(table, D("2026-09-17")).due == D("2026-10-08")  # 10/2 holiday -> 10/8
    # the 15th day is 2/14, a Saturday worked (调休上班): not a 休假日, no move
    assert suit_defence_due(table, D("2026-01-30")).due == D("2026-02-14")
    # an ordinary Sunday moves to Monday
    sunday = suit_defence_due(table, D("2026-03-07"))
    assert sunday.due == D("2026-03-23") and "休息日（星期日）" in "".join(sunday.steps)


def test_answer_pending_submitted_and_overdue():
    table = get_table()
    pending = remedy_answer(table, RemedyKind.SUIT_DIRECT, received=None)
    assert pending.pending and pending.label == "诉讼答辩" and "待确认" in pending.steps[0]
    late = remedy_answer(table, RemedyKind.REVIEW, received=D("2026-03-02"), today=D("2026-03-20"))
    assert late.label == "复议答复" and late.overdue and "第七十条" in late.warnings[0]
    kept = remedy_answer(
        table,
        RemedyKind.REVIEW,
        received=D("2026-03-02"),
        submitted_on=D("2026-03-10"),
        today=D("2026-04-01"),
    )
    assert kept.on_time and not kept.overdue and "在期限内" in kept.steps[-1]


# --- the service ---------------------------------------------------------------------------------------------


def _case(office, **kw):
    params = dict(actor=office["clerk"], org=office["org"], kind=RemedyKind.REVIEW, filed_on=D("2026-03-01"))
    params.update(kw)
    return remedy_create(**params)


def test_create_with_copy_received_is_audited(office):
    case = _case(office, copy_received_on=D("2026-03-02"))
    entry = AuditEntry.objects.filter(object_id=str(case.pk)).latest("id")
    assert "copy_received_on" in entry.changes
    remedy_update(actor=office["clerk"], case=case, answer_submitted_on=D("2026-03-10"))
    entry = AuditEntry.objects.filter(object_id=str(case.pk)).latest("id")
    assert "answer_submitted_on" in entry.changes


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"copy_received_on": D("2026-02-27")}, "copy_received_on", "不能早于收到（立案）日期"),
        ({"copy_received_on": dt.date.today() + dt.timedelta(days=3)}, "copy_received_on", "不能晚于今天"),
        ({"answer_submitted_on": D("2026-03-05")}, "answer_submitted_on", "请先填写收到"),
        (
            {"copy_received_on": D("2026-03-05"), "answer_submitted_on": D("2026-03-04")},
            "answer_submitted_on",
            "不能早于收到副本之日",
        ),
        (
            {"kind": RemedyKind.SUIT_DIRECT, "simple_procedure": True},
            "simple_procedure",
            "简易程序只适用于行政复议",
        ),
    ],
)
def test_validation_messages(office, fields, field, message):
    with pytest.raises(ValidationError) as exc:
        _case(office, **fields)
    assert message in " ".join(exc.value.message_dict[field])
    assert not RemedyCase.objects.exists()


# --- reminders, dashboard, views, API ---------------------------------------------------------------------


def test_due_summary_and_reminders_list_the_answer(office):
    review = _case(office, copy_received_on=D("2026-03-02"), case_number="某复字〔2026〕1号")  # due 3/16
    _case(
        office, kind=RemedyKind.SUIT_DIRECT, filed_on=D("2026-03-05"), copy_received_on=D("2026-03-05")
    )  # 3/20
    _case(office, copy_received_on=None)  # 待确认: no deadline
    _case(office, copy_received_on=D("2026-03-02"), answer_submitted_on=D("2026-03-09"))  # answered
    summary = due_soon_and_overdue(office["clerk"], today=D("2026-03-17"))
    assert [(i.what, i.due, i.overdue) for i in summary.remedy_answers] == [
        ("复议答复", D("2026-03-16"), True),
        ("诉讼答辩", D("2026-03-20"), False),
    ]
    assert due_soon_and_overdue(office["outsider"], today=D("2026-03-17")).remedy_answers == []
    lines = due_by_assignee(today=D("2026-03-17"))[office["clerk"].email]
    assert any("「复议答复」" in line and "已逾期" in line and "某复字〔2026〕1号" in line for line in lines)
    assert any("「诉讼答辩」" in line and "即将到期" in line for line in lines)
    call_command("remind_due", "--date", "2026-03-17")
    assert len(mail.outbox) == 1 and "「复议答复」期限为 2026-03-16" in mail.outbox[0].body
    # a closed case is no longer reminded
    remedy_update(actor=office["clerk"], case=review, result=RemedyResult.UPHELD, closed_on=D("2026-03-17"))
    assert len(due_soon_and_overdue(office["clerk"], today=D("2026-03-17")).remedy_answers) == 1


def test_remedy_pages_show_the_deadline_and_explanation(client, office):
    case = _case(
        office, kind=RemedyKind.SUIT_DIRECT, filed_on=D("2026-02-01"), copy_received_on=D("2026-02-01")
    )
    pending = _case(office)
    client.force_login(office["clerk"])
    listing = client.get(reverse("applications:remedies")).content.decode()
    assert "2026-02-24" in listing and "「诉讼答辩」" in listing and "待确认" in listing
    page = client.get(reverse("applications:remedy_edit", args=[case.pk])).content.decode()
    assert "2026年2月24日" in page and "民事诉讼法第八十五条第三款" in page
    assert "待确认" in client.get(reverse("applications:remedy_edit", args=[pending.pk])).content.decode()
    dashboard = client.get(reverse("applications:dashboard")).content.decode()
    assert "「诉讼答辩」" in dashboard and "remedy-answer" in dashboard


def test_remedy_form_saves_the_copy_day_and_reports_errors(client, office):
    client.force_login(office["clerk"])
    data = {"org": office["org"].pk, "kind": "review", "filed_on": "2026-03-01", "result": "pending"}
    r = client.post(reverse("applications:remedy_new"), {**data, "copy_received_on": "2026-02-20"})
    assert r.status_code == 200 and "收到副本之日不能早于收到（立案）日期" in r.content.decode()
    r = client.post(reverse("applications:remedy_new"), {**data, "copy_received_on": "2026-03-02"})
    assert r.status_code == 302
    assert RemedyCase.objects.get().copy_received_on == D("2026-03-02")


def test_api_remedy_answer_fields(client, office):
    client.force_login(office["clerk"])
    payload = {"org_code": office["org"].code, "kind": "review", "filed_on": "2026-09-27"}
    r = client.post(
        "/api/applications/remedies",
        {**payload, "copy_received_on": "2026-09-28"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["answer_label"] == "复议答复" and out["answer_due"] == "2026-10-16"
    assert out["answer_state"] == "已逾期" and any("国庆节" in s for s in out["answer_steps"])
    r = client.post("/api/applications/remedies", payload, content_type="application/json")
    assert r.json()["answer_due"] is None and r.json()["answer_state"] == "待确认"
    due = client.get("/api/applications/due").json()
    assert [d["what"] for d in due if d.get("remedy_id")] == ["复议答复"]


def test_application_page_and_workbench_show_the_answer(client, office, register):
    a = register("2026-02-10")
    _case(office, application=a, kind=RemedyKind.REVIEW, copy_received_on=D("2026-03-02"))
    client.force_login(office["clerk"])
    detail = client.get(reverse("applications:detail", args=[a.pk])).content.decode()
    assert "「复议答复」期限 2026-03-16（已逾期）" in detail
    workbench = client.get(reverse("backoffice:dashboard")).content.decode()
    assert 'id="stat-remedy-answers">1<' in workbench


def test_demo_remedies_record_the_copy_and_the_answer():
    from gongkai.applications.demo import DEMO_ORGS, load_demo
    from gongkai.orgs.models import Role
    from gongkai.orgs.tests.factories import OrganisationFactory, staff

    orgs = {
        k: OrganisationFactory(name=f"青山县演示机关{k}", review_body="青山县人民政府") for k in DEMO_ORGS
    }
    staff(Role.CLERK, orgs["office"], username="jbr")
    load_demo(orgs=orgs, today=D("2026-11-20"))
    for case in RemedyCase.objects.all():
        answer = remedy_answer_of(case, today=D("2026-11-20"))
        assert answer.due is not None and answer.on_time, case


def test_a_review_dated_before_the_reply_it_challenges_is_refused(office, register):
    # issue 18, defect 8: a 复议 received before the reply it challenges was accepted
    from gongkai.applications.services import replies

    a = register("2026-03-02")
    replies.application_reply(actor=office["clerk"], application=a, outcome="1", date=D("2026-03-20"))
    a.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        _case(office, application=a, filed_on=D("2026-03-10"))
    assert "不能早于所关联申请的答复日期（2026-03-20）" in exc.value.message_dict["filed_on"][0]
    assert not RemedyCase.objects.exists()
    case = _case(office, application=a, filed_on=D("2026-03-25"))
    with pytest.raises(ValidationError):
        remedy_update(actor=office["clerk"], case=case, filed_on=D("2026-03-19"))
