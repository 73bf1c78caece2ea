"""Issue 17: staff choose which issued letter a 复议 / 诉讼 challenges (default: the last 答复告知书); the choice
is checked on the server and drives the remedy page, the applicant's filing period and the evidence bundle."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as live_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.applications import letters
from gongkai.applications.evidence.build import evidence_bundle_build
from gongkai.applications.models import Letter, RemedyCase
from gongkai.applications.selectors import challenged_letter_of
from gongkai.applications.services import delivery, remedies, replies, steps
from gongkai.applications.vocab import LetterKind, RemedyKind
from gongkai.core.actors import SYSTEM_TEST

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db


def issue(application, kind) -> Letter:
    letter = application.letters.filter(kind=kind).latest("id")
    return letters.letter_issue(actor=SYSTEM_TEST, letter=letter)


@pytest.fixture
def two_letters(register, office):
    """An application with an issued 补正告知书 (dated 3/3, received 3/5) and an issued 答复告知书 (dated 3/20,
    received 3/23)."""
    clerk = office["clerk"]
    a = register("2026-03-02")
    steps.correction_request(
        actor=clerk, application=a, items="请写明项目名称", days=10, date=D("2026-03-03")
    )
    correction = issue(a, LetterKind.CORRECTION)
    delivery.letter_delivery_record(actor=clerk, letter=correction, method="email", sent_on=D("2026-03-03"),
                                    received_on=D("2026-03-05"))  # fmt: skip
    steps.correction_receive(actor=clerk, application=a, date=D("2026-03-09"))
    replies.application_reply(actor=clerk, application=a, outcome="1", date=D("2026-03-20"))
    reply = issue(a, LetterKind.REPLY)
    delivery.letter_delivery_record(actor=clerk, letter=reply, method="email", sent_on=D("2026-03-20"),
                                    received_on=D("2026-03-23"))  # fmt: skip
    return {"a": a, "correction": correction, "reply": reply}


def review(office, a, **kw) -> RemedyCase:
    params = dict(
        actor=office["clerk"], org=a.org, kind=RemedyKind.REVIEW, filed_on=D("2026-04-01"), application=a
    )
    params.update(kw)
    return remedies.remedy_create(**params)


def test_by_default_the_case_challenges_the_last_issued_reply(two_letters, office):
    case = review(office, two_letters["a"])
    assert case.challenged_letter == two_letters["reply"]
    challenged = challenged_letter_of(case)
    assert challenged is not None and challenged.letter == two_letters["reply"]
    assert challenged.period is not None and challenged.period.due == D("2026-05-22")  # 3/23 + 60 days


def test_a_chosen_letter_drives_the_filing_period(two_letters, office):
    case = review(office, two_letters["a"], challenged_letter=two_letters["correction"])
    challenged = challenged_letter_of(case)
    assert challenged is not None and challenged.letter == two_letters["correction"]
    # received 3/5 + 60 days = 5/4, a working day in 2026 (劳动节 5/1–5/5 is off): moved to 5/6
    assert challenged.period is not None and challenged.period.due == D("2026-05-06")


def test_a_letter_of_another_application_or_a_draft_is_refused(two_letters, office, register):
    other = register("2026-03-02")
    steps.correction_request(
        actor=office["clerk"], application=other, items="请写明", days=10, date=D("2026-03-03")
    )
    foreign = issue(other, LetterKind.CORRECTION)
    with pytest.raises(ValidationError) as exc:
        review(office, two_letters["a"], challenged_letter=foreign)
    assert "须是所关联申请的文书" in str(exc.value)
    draft = letters.letter_draft(
        actor=office["clerk"], application=two_letters["a"], kind=LetterKind.EXTENSION
    )
    with pytest.raises(ValidationError) as exc:
        review(office, two_letters["a"], challenged_letter=draft)
    assert "须是已出具的文书" in str(exc.value)


def test_a_review_dated_before_the_challenged_letter_is_refused(two_letters, office):
    with pytest.raises(ValidationError) as exc:
        review(
            office, two_letters["a"], filed_on=D("2026-03-02"), challenged_letter=two_letters["correction"]
        )
    assert exc.value.message_dict["filed_on"] == [
        "收到（立案）日期（2026-03-02）早于被申请复议的文书「政府信息公开申请补正告知书」的成文日期（2026-03-03）"
        "：行政复议针对的是已出具的文书，请核对日期或所选文书。"
    ]


def test_the_form_offers_the_issued_letters_in_chinese_and_saves_the_choice(two_letters, office, client):
    a = two_letters["a"]
    case = review(office, a)
    client.force_login(office["clerk"])
    url = reverse("applications:remedy_edit", args=[case.pk])
    page = client.get(url).content.decode()
    select = page.split('name="challenged_letter"', 1)[1].split("</select>", 1)[0]
    assert "默认：最后一份已出具的答复告知书" in select
    assert f"政府信息公开申请补正告知书（{two_letters['correction'].number}，2026年3月3日）" in select
    assert "2026年3月20日" in select
    data = {"org": a.org.pk, "kind": "review", "filed_on": "2026-04-01", "result": "pending",
            "application_code": a.tracking_code, "challenged_letter": two_letters["correction"].pk}  # fmt: skip
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.challenged_letter == two_letters["correction"]
    page = client.get(url).content.decode()
    section = page.split('id="challenged"', 1)[1].split("</section>", 1)[0]
    assert "政府信息公开申请补正告知书" in section and "2026年5月6日" in section


def test_the_form_refuses_a_letter_of_another_application(two_letters, office, client, register):
    a, other = two_letters["a"], register("2026-03-02")
    steps.correction_request(
        actor=office["clerk"], application=other, items="请写明", days=10, date=D("2026-03-03")
    )
    foreign = issue(other, LetterKind.CORRECTION)
    case = review(office, a)
    client.force_login(office["clerk"])
    data = {"org": a.org.pk, "kind": "review", "filed_on": "2026-04-01", "result": "pending",
            "application_code": a.tracking_code, "challenged_letter": foreign.pk}  # fmt: skip
    response = client.post(reverse("applications:remedy_edit", args=[case.pk]), data)
    assert response.status_code == 200
    assert "所选文书不是所关联申请已出具的文书" in response.content.decode()
    case.refresh_from_db()
    assert case.challenged_letter == two_letters["reply"]


def test_the_evidence_bundle_explains_the_period_of_the_chosen_letter(two_letters, office):
    case = review(office, two_letters["a"], challenged_letter=two_letters["correction"])
    bundle = evidence_bundle_build(actor=office["clerk"], case=case)
    from gongkai.applications.tests.test_evidence import flat, page_texts

    with bundle.pdf.open("rb") as fh:
        text = flat("".join(page_texts(fh.read())))
    assert "2026年5月6日" in text and "2026年3月5日" in text


def test_the_data_migration_sets_existing_cases_to_the_last_reply(two_letters, office):
    case = review(office, two_letters["a"], challenged_letter=two_letters["correction"])
    RemedyCase.objects.filter(pk=case.pk).update(challenged_letter=None)
    migration = importlib.import_module(
        "gongkai.applications.migrations.0011_remedy_challenged_letter_and_issued_pdf"
    )
    migration.set_challenged_letters(live_apps, None)
    case.refresh_from_db()
    assert case.challenged_letter == two_letters["reply"]


def test_the_api_takes_and_shows_the_challenged_letter(two_letters, office, register, client):
    from gongkai.accounts.services import api_token_create

    a = two_letters["a"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=SYSTEM_TEST, user=office['clerk'])}"}
    body = {
        "org_code": a.org.code,
        "kind": "review",
        "filed_on": "2026-04-01",
        "application_code": a.tracking_code,
    }
    default = client.post("/api/applications/remedies", body, content_type="application/json", **auth)
    assert default.status_code == 201 and default.json()["challenged_letter_id"] == two_letters["reply"].pk
    chosen = client.post("/api/applications/remedies", body | {"challenged_letter_id": two_letters["correction"].pk},
                         content_type="application/json", **auth)  # fmt: skip
    assert chosen.status_code == 201 and chosen.json()["challenged_letter"].startswith(
        "政府信息公开申请补正告知书（"
    )
    other = register("2026-03-02")
    steps.correction_request(
        actor=office["clerk"], application=other, items="请写明", days=10, date=D("2026-03-03")
    )
    foreign = issue(other, LetterKind.CORRECTION)
    refused = client.post("/api/applications/remedies", body | {"challenged_letter_id": foreign.pk},
                          content_type="application/json", **auth)  # fmt: skip
    assert refused.status_code == 400 and "challenged_letter_id" in refused.json()["errors"]


def test_a_case_cannot_be_linked_to_another_organisations_application(two_letters, office, org_tree, client):
    """Red-team finding: staff with rights over two organisations edited a case and linked it to the other
    organisation's application, whose clerk could then read that file and its evidence bundle. The service
    refuses such a link on every path; the form keeps a registered case's organisation."""
    from gongkai.applications.tests.factories import ApplicationFactory

    case = review(office, two_letters["a"])
    foreign = ApplicationFactory(org=org_tree["own"])  # the county: county_admin may act on both
    admin = office["county_admin"]
    with pytest.raises(ValidationError, match="同一机关"):
        remedies.remedy_update(actor=admin, case=case, application=foreign)
    client.force_login(admin)
    response = client.post(
        reverse("applications:remedy_edit", args=[case.pk]),
        {"org": org_tree["own"].pk, "kind": RemedyKind.REVIEW, "filed_on": "2026-04-01", "result": "pending",
         "application_code": foreign.tracking_code},
    )  # fmt: skip
    assert response.status_code == 200 and "没有编号为" in response.content.decode()
    case.refresh_from_db()
    assert case.org == office["org"] and case.application == two_letters["a"]
