"""The status machine as a rule: any sequence of the workflow's steps keeps outcome/closed_on/status consistent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.accounts.models import User
from gongkai.applications.models import Application
from gongkai.applications.permissions import can_handle, can_see_applicant, can_view
from gongkai.applications.services import machine
from gongkai.applications.states import OPEN_STATUSES, Status
from gongkai.applications.vocab import FeeMethod
from gongkai.applications.workflow import WORKFLOW
from gongkai.orgs.models import Role

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
START = D("2026-03-02")


def _reviewer(a):  # 双人审核 (on by default): a reviewer of the organisation approves the clerk's extension.
    return User.objects.get(memberships__org=a.org, memberships__role=Role.REVIEWER)


# The parameters of every step of the workflow table, for a date d (and who takes it, when not the clerk).
PARAMS = {
    "assign": lambda a, d: {
        "assignee": User.objects.get(memberships__org=a.org, memberships__role=Role.CLERK)
    },
    "correction": lambda a, d: {"items": "请补正", "until": d + dt.timedelta(days=10), "date": d},
    "correction_delivered": lambda a, d: {"received_on": d},
    "corrected": lambda a, d: {"date": d},
    "abandon": lambda a, d: {"date": d},
    "consult": lambda a, d: {"party": "甲公司", "date": d},
    "consult_delivered": lambda a, d: {"party": "甲公司", "delivered": d},
    "consult_answer": lambda a, d: {"party": "甲公司", "date": d, "objected": True},
    "disclose": lambda a, d: {"party": "甲公司", "content": "合同金额", "reasons": "公益"},
    "extend": lambda a, d: {"days": 5, "reason": "r", "date": d},
    "reasons": lambda a, d: {"until": d + dt.timedelta(days=7), "date": d},
    "reasons_given": lambda a, d: {"date": d},
    "delay": lambda a, d: {"until": d + dt.timedelta(days=60), "reason": "量大", "date": d},
    "fee": lambda a, d: {"method": FeeMethod.PER_PAGE, "pages": 50, "date": d},
    "fee_received": lambda a, d: {"received_on": d},
    "fee_paid": lambda a, d: {"date": d},
    "fee_unpaid": lambda a, d: {"date": d},
    "reply": lambda a, d: {
        "outcome": "2",
        "summary": "部分涉及商业秘密",
        "withheld_grounds": ["3.4"],
        "date": d,
    },
    "withdraw": lambda a, d: {"date": d},
    "close": lambda a, d: {"date": d},
}
ACTORS = {"extend": _reviewer}


def test_every_step_of_the_table_has_a_rule():
    assert set(PARAMS) == set(WORKFLOW.names)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(WORKFLOW.names), st.integers(min_value=0, max_value=12)), max_size=8)
)
def test_any_sequence_keeps_the_invariants(office, register, sequence):
    with transaction.atomic():
        a = register(START.isoformat())
        day = START
        for name, gap in sequence:
            day = min(day + dt.timedelta(days=gap), dt.date(2026, 10, 30))
            status_before = a.status
            try:
                actor = ACTORS[name](a) if name in ACTORS else office["clerk"]
                WORKFLOW.transition(actor=actor, obj=a, step=name, **PARAMS[name](a, day))
            except ValidationError:
                a = Application.objects.get(pk=a.pk)
                assert a.status == status_before  # a rejected write changes nothing
            a = Application.objects.get(pk=a.pk)
            # then: open ⇔ no outcome ⇔ no closing date; the status moved along the table
            assert (a.status in OPEN_STATUSES) == (a.outcome == "") == (a.closed_on is None)
            assert a.status in machine.ALLOWED_TRANSITIONS[status_before] | {status_before}
            if a.status == Status.WITHDRAWN:
                assert a.outcome == "6.3"
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("who", "view", "handle", "applicant"),
    [
        ("clerk", True, True, True),
        ("reviewer", True, False, True),
        ("county_admin", True, True, True),
        ("supervisor", True, False, False),
        ("outsider", False, False, False),
    ],
)
def test_permission_matrix(office, register, who, view, handle, applicant):
    a = register()
    user = office[who]
    assert (can_view(user, a), can_handle(user, a), can_see_applicant(user, a)) == (view, handle, applicant)
