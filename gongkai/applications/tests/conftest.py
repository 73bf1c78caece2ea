"""Fixtures for the applications tests: fresh calendar cache, an office with staff, helper builders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.applications.services.intake import ApplicantData, RequestData, application_register
from gongkai.applications.vocab import ApplicantType, Channel, IdType
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff
from gongkai.workdays.arithmetic import invalidate


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    invalidate()
    yield
    invalidate()


@pytest.fixture
def office(org_tree):
    """The handling organisation (a county department) with its people."""
    org = org_tree["child"]
    return {
        "org": org,
        "clerk": staff(Role.CLERK, org),
        "reviewer": staff(Role.REVIEWER, org),
        "county_admin": staff(Role.OFFICE_ADMIN, org_tree["own"]),
        "supervisor": staff(Role.SUPERVISOR, org_tree["parent"]),
        "outsider": staff(Role.CLERK, org_tree["sibling"]),
    }


def applicant(**kw) -> ApplicantData:
    data: dict[str, Any] = dict(
        applicant_type=ApplicantType.NATURAL_PERSON,
        name="张三",
        id_type=IdType.RESIDENT_ID,
        id_number="11010519491231002X",
        phone="13800138000",
        email="zhangsan@example.org",
        address="某市某区某路1号",
    )
    data.update(kw)
    return ApplicantData(**data)


def request_data(**kw) -> RequestData:
    data: dict[str, Any] = dict(info_title="2025年度某项目环评批复", info_description="2025年5月前后作出")
    data.update(kw)
    return RequestData(**data)


@pytest.fixture
def register(office):
    def make(received: str = "2026-02-10", **kw):
        params = dict(
            actor=office["clerk"],
            org=office["org"],
            channel=Channel.IN_PERSON,
            applicant=applicant(),
            request=request_data(),
            submitted_on=dt.date.fromisoformat(received),
        )
        params.update(kw)
        return application_register(**params)

    return make
