"""An office with staff and a registration helper (as in the applications tests), and an empty SMS double."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.applications.services.intake import application_register
from gongkai.applications.tests.conftest import applicant, request_data
from gongkai.applications.vocab import Channel
from gongkai.notifications.gateways import RecordingGateway
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff


@pytest.fixture(autouse=True)
def empty_sms_double():
    RecordingGateway.clear()
    yield
    RecordingGateway.clear()


@pytest.fixture
def office(org_tree):
    org = org_tree["child"]
    return {
        "org": org,
        "clerk": staff(Role.CLERK, org),
        "supervisor": staff(Role.SUPERVISOR, org_tree["parent"]),
        "outsider": staff(Role.CLERK, org_tree["sibling"]),
    }


@pytest.fixture
def register(office):
    def make(received: str = "2026-03-02", **applicant_fields):
        return application_register(
            actor=office["clerk"],
            org=office["org"],
            channel=Channel.IN_PERSON,
            applicant=applicant(**applicant_fields),
            request=request_data(),
            submitted_on=dt.date.fromisoformat(received),
            today=dt.date(2026, 6, 30),
        )

    return make
