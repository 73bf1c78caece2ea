"""Tracking codes stay unique when many citizens submit at once (PostgreSQL; SQLite serialises writers anyway)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from gongkai.applications.models import Application
from gongkai.applications.services.intake import application_submit_public
from gongkai.orgs.tests.factories import OrganisationFactory

from .conftest import applicant, request_data

SUBMISSIONS = 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real concurrency"
)
def test_200_concurrent_public_submissions_get_200_distinct_codes():
    # given one organisation
    org = OrganisationFactory()

    def submit(i: int) -> str:
        try:
            application, _ = application_submit_public(
                org=org, applicant=applicant(name=f"申请人{i}"), request=request_data(info_title=f"信息{i}")
            )
            return application.tracking_code
        finally:
            connections.close_all()

    # when 200 submissions run on 20 threads at once
    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(submit, range(SUBMISSIONS)))
    # then every submission succeeded with its own code
    assert len(set(codes)) == SUBMISSIONS
    assert Application.objects.count() == SUBMISSIONS
