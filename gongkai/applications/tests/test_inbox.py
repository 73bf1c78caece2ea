"""The handling office's inbox and reach: an online application to the county government is seen, listed and
handled by the 县政府办's clerk (its 政府信息公开工作机构), not by an unrelated clerk; the inbox buckets; the
workbench counts; letters stay in the name of the organisation applied to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.applications.inbox import inbox
from gongkai.applications.letters import letter_draft
from gongkai.applications.models import Application, Status
from gongkai.applications.services import steps
from gongkai.applications.services.intake import application_register, application_submit_public
from gongkai.applications.tests.factories import ApplicationFactory, RemedyCaseFactory
from gongkai.applications.vocab import LetterKind, RemedyKind
from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs import services as org_services
from gongkai.orgs.models import Level, OrgKind, Role
from gongkai.orgs.tests.factories import OrganisationFactory, staff
from gongkai.workdays.arithmetic import add_workdays

from .conftest import applicant, request_data

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)  # a Friday


@pytest.fixture
def county():
    """青山县人民政府 handled by its 县政府办; a finance bureau handling its own; their clerks."""
    gov = OrganisationFactory(name="样例县人民政府", level=Level.COUNTY, kind=OrgKind.GOVERNMENT)
    office = OrganisationFactory(name="样例县人民政府办公室", parent=gov)
    finance = OrganisationFactory(name="样例县财政局", parent=gov)
    gov = org_services.org_set_handling_office(actor=SYSTEM_TEST, org=gov, office=office)
    return {
        "gov": gov,
        "office": office,
        "finance": finance,
        "clerk": staff(Role.CLERK, office, username="office_clerk"),
        "finance_clerk": staff(Role.CLERK, finance, username="finance_clerk"),
    }


@pytest.fixture
def online(county):
    application, _ = application_submit_public(
        org=county["gov"], applicant=applicant(), request=request_data(info_title="县政府常务会议纪要"),
        today=add_workdays(TODAY, -2),
    )  # fmt: skip
    return application


def _bucket(buckets, key):
    return next(b for b in buckets if b.key == key)


def _codes(bucket):
    return {r.application.tracking_code for r in bucket.rows if r.application is not None}


# --- who reaches the application ----------------------------------------------------------------


def test_office_clerk_sees_the_governments_online_application(client, county, online):
    client.force_login(county["clerk"])
    # in the list (with the applicant's name: the office handles it) …
    listing = client.get("/admin/applications/").content.decode()
    assert online.tracking_code in listing and "张三" in listing
    # … on its page, and in the inbox as 新收 and 未指定经办人
    assert client.get(f"/admin/applications/{online.pk}/").status_code == 200
    buckets = inbox(county["clerk"], today=TODAY)
    assert online.tracking_code in _codes(_bucket(buckets, "new"))
    assert online.tracking_code in _codes(_bucket(buckets, "unassigned"))
    page = client.get("/admin/applications/inbox/").content.decode()
    assert online.tracking_code in page and "样例县人民政府" in page


def test_unrelated_clerk_does_not(client, county, online):
    client.force_login(county["finance_clerk"])
    assert online.tracking_code not in client.get("/admin/applications/").content.decode()
    assert client.get(f"/admin/applications/{online.pk}/").status_code == 404
    assert online.tracking_code not in client.get("/admin/applications/inbox/").content.decode()
    assert all(b.count == 0 for b in inbox(county["finance_clerk"], today=TODAY))
    with pytest.raises(PermissionDenied):
        steps.application_assign(
            actor=county["finance_clerk"], application=online, assignee=county["finance_clerk"]
        )


def test_office_clerk_takes_it_and_letters_are_in_the_governments_name(client, county, online):
    clerk = county["clerk"]
    # the assign form offers the office's clerk, and the step takes it into 办理中
    client.force_login(clerk)
    response = client.post(
        f"/admin/applications/{online.pk}/do/assign/", {"assign-assignee": clerk.pk}, follow=True
    )
    assert response.status_code == 200
    online.refresh_from_db()
    assert online.assignee == clerk and online.status == Status.IN_PROGRESS
    # a letter drafted by the office's clerk is issued in the name of the government applied to
    letter = letter_draft(actor=clerk, application=online, kind=LetterKind.CORRECTION)
    assert letter.signatory == "样例县人民政府"
    assert letter.number.startswith("样例县人民政府依申请")


def test_the_governments_own_clerk_keeps_access(client, county, online):
    own = staff(Role.CLERK, county["gov"], username="gov_clerk")
    client.force_login(own)
    assert client.get(f"/admin/applications/{online.pk}/").status_code == 200


def test_staff_registration_for_the_handled_government(county):
    a = application_register(
        actor=county["clerk"], org=county["gov"], channel="in_person", applicant=applicant(),
        request=request_data(), submitted_on=add_workdays(TODAY, -1), today=TODAY,
    )  # fmt: skip
    assert a.org == county["gov"] and a.assignee == county["clerk"]
    with pytest.raises(PermissionDenied):
        application_register(
            actor=county["finance_clerk"], org=county["gov"], channel="in_person", applicant=applicant(),
            request=request_data(), submitted_on=add_workdays(TODAY, -1), today=TODAY,
        )  # fmt: skip


# --- the buckets ---------------------------------------------------------------------------------


def test_buckets(county, online):
    gov, clerk = county["gov"], county["clerk"]
    make = lambda **kw: ApplicationFactory(org=gov, assignee=clerk, **kw)  # noqa: E731
    correcting = make(status=Status.AWAITING_CORRECTION, correction_until=TODAY + dt.timedelta(days=5))
    soon = make(reply_due=add_workdays(TODAY, 3))
    late = make(reply_due=TODAY - dt.timedelta(days=2))
    calm = make(reply_due=add_workdays(TODAY, 15))
    closed = make(replied=True)
    case = RemedyCaseFactory(
        org=gov, kind=RemedyKind.REVIEW, application=closed, copy_received_on=add_workdays(TODAY, -8)
    )
    other = ApplicationFactory(org=county["finance"], status=Status.REGISTERED)

    buckets = inbox(clerk, today=TODAY)

    assert [b.label for b in buckets] == [
        "新收",
        "未指定经办人",
        "待补正",
        "申请人已补正，待处理",
        "即将到期",
        "已逾期",
        "复议/诉讼答复将到期",
    ]
    assert _codes(_bucket(buckets, "new")) == {online.tracking_code}
    assert _codes(_bucket(buckets, "unassigned")) == {online.tracking_code}
    assert _codes(_bucket(buckets, "correction")) == {correcting.tracking_code}
    assert soon.tracking_code in _codes(_bucket(buckets, "due-soon"))
    assert calm.tracking_code not in _codes(_bucket(buckets, "due-soon"))
    assert _codes(_bucket(buckets, "overdue")) == {late.tracking_code}
    remedy = _bucket(buckets, "remedy")
    assert [r.case for r in remedy.rows] == [case] and remedy.rows[0].what == "复议答复"
    assert other.tracking_code not in set().union(*(_codes(b) for b in buckets))
    assert all(b.count == len(b.rows) for b in buckets)


def _corrected_online(county, application, **kwargs):
    """The office asks for a 补正 and the applicant sends it from the status page (``kwargs``: the step's
    date and the one for the 补正)."""
    from gongkai.applications.services.public_correction import correction_submit_public

    steps.correction_request(
        actor=county["clerk"], application=application, items="请写明文号。",
        until=TODAY + dt.timedelta(days=10), date=add_workdays(TODAY, -1),
    )  # fmt: skip
    return correction_submit_public(application=application, text="文号为样府发〔2025〕3号。", today=TODAY)


def test_an_online_correction_waits_in_its_own_bucket_until_staff_act(client, county, online):
    clerk = county["clerk"]
    # given the applicant answered the office's 补正 online
    corrected = _corrected_online(county, online)
    assert corrected.status == Status.IN_PROGRESS
    # then it is in 「申请人已补正，待处理」 (and no longer 待补正), with its restarted reply period
    buckets = inbox(clerk, today=TODAY)
    bucket = _bucket(buckets, "corrected")
    assert bucket.label == "申请人已补正，待处理" and _codes(bucket) == {online.tracking_code}
    assert bucket.rows[0].due == corrected.reply_due == add_workdays(TODAY, 20)
    assert _codes(_bucket(buckets, "correction")) == set()
    # and the workbench counts it, and the inbox page lists it under its heading
    client.force_login(clerk)
    assert 'id="inbox-corrected">1<' in client.get("/admin/").content.decode()
    page = client.get("/admin/applications/inbox/").content.decode()
    section = page.split('id="corrected"', 1)[1].split("</section>", 1)[0]
    assert "申请人已补正，待处理" in section and online.tracking_code in section
    # and no other organisation's clerk sees it
    assert _bucket(inbox(county["finance_clerk"], today=TODAY), "corrected").count == 0
    # when a clerk acts on it (here: takes it), it leaves the bucket
    steps.application_assign(actor=clerk, application=corrected, assignee=clerk)
    assert _bucket(inbox(clerk, today=TODAY), "corrected").count == 0
    assert 'id="inbox-corrected">0<' in client.get("/admin/").content.decode()


def test_a_correction_recorded_by_staff_is_not_waiting(county, online):
    from gongkai.applications.services.machine import take

    # a 补正 handed in at the counter is recorded by the clerk, who is already acting on it
    steps.correction_request(
        actor=county["clerk"], application=online, items="请写明文号。",
        until=TODAY + dt.timedelta(days=10), date=add_workdays(TODAY, -1),
    )  # fmt: skip
    online.refresh_from_db()
    take(online, "corrected", actor=county["clerk"], date=TODAY, note="窗口补交")
    assert Application.objects.get(pk=online.pk).status == Status.IN_PROGRESS
    assert _bucket(inbox(county["clerk"], today=TODAY), "corrected").count == 0


def test_counts_are_complete_when_rows_are_cut(county, online):
    ApplicationFactory(org=county["gov"], status=Status.REGISTERED)
    new = _bucket(inbox(county["clerk"], today=TODAY, limit=1), "new")
    assert new.count == 2 and len(new.rows) == 1


def test_workbench_shows_the_counts(client, county, online):
    client.force_login(county["clerk"])
    page = client.get("/admin/").content.decode()
    assert 'id="inbox-new">1<' in page and 'id="inbox-unassigned">1<' in page
    assert 'id="inbox-correction">0<' in page


def test_inbox_needs_login(client):
    response = client.get("/admin/applications/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_application_still_counts_for_the_government(county, online):
    # statistics and the annual report stay with the organisation applied to
    assert Application.objects.filter(org=county["gov"]).count() == 1
    assert not Application.objects.filter(org=county["office"]).exists()


def test_reminders_of_an_unassigned_application_go_to_the_handling_office(county):
    from gongkai.applications.reminders import due_by_assignee

    late = ApplicationFactory(org=county["gov"], reply_due=TODAY - dt.timedelta(days=1))
    out = due_by_assignee(today=TODAY)
    assert any(late.tracking_code in line for line in out.get(county["clerk"].email, []))
    assert county["finance_clerk"].email not in out
