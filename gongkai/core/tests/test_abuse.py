"""The public-form limiter holds under concurrent submissions from one address (issue 22: on several nodes the
old read-then-count let simultaneous submissions all pass)."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from gongkai.core import abuse


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def _request(address: str = "203.0.113.7"):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_concurrent_reservations_never_exceed_the_limit(monkeypatch):
    monkeypatch.setattr(abuse, "RATE_LIMIT", (5, 3600))
    start, results = threading.Barrier(24), []

    def submit() -> None:
        start.wait()
        results.append(abuse.reserve_submission(_request()))

    threads = [threading.Thread(target=submit) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 5
    assert abuse.rate_limited(_request())
    assert not abuse.rate_limited(_request("203.0.113.8"))  # another address keeps its own slots


def test_a_released_slot_can_be_taken_again(monkeypatch):
    monkeypatch.setattr(abuse, "RATE_LIMIT", (2, 3600))
    assert abuse.reserve_submission(_request()) and abuse.reserve_submission(_request())
    assert not abuse.reserve_submission(_request())
    abuse.release_submission(_request())  # e.g. the service refused the submission
    assert abuse.reserve_submission(_request())
    assert not abuse.reserve_submission(_request())


@pytest.mark.django_db
def test_api_submissions_share_the_limit_and_a_refused_one_gives_its_slot_back(client, monkeypatch):
    from gongkai.applications.models import Application
    from gongkai.orgs.tests.factories import OrganisationFactory

    monkeypatch.setattr(abuse, "RATE_LIMIT", (2, 3600))
    org = OrganisationFactory()
    url = f"/api/applications/public/{org.code}"
    good = {"applicant": {"applicant_type": "natural", "name": "赵六", "phone": "13700000000",
                          "id_type": "resident_id", "id_number": "11010519491231002X"},
            "request": {"info_title": "某规划"}}  # fmt: skip
    bad = good | {"request": {"info_title": ""}}  # refused by the service: no slot may be kept

    def post(data):
        return client.post(url, data, content_type="application/json")

    assert post(bad).status_code == 400  # the service refused it after the slot was taken
    assert post(good).status_code == 201 and post(good).status_code == 201
    third = post(good)
    assert third.status_code == 429 and "提交过于频繁" in third.json()["detail"]
    assert Application.objects.count() == 2
