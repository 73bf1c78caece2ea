"""The status machine as a rule: any sequence of services keeps outcome/closed_on/status consistent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.accounts.models import User
from gongkai.applications.models import OPEN_STATUSES, Application, Status
from gongkai.applications.permissions import can_handle, can_see_applicant, can_view
from gongkai.applications.services import consultations, extensions, fee_notices, machine, replies, steps
from gongkai.applications.vocab import FeeMethod
from gongkai.orgs.models import Role

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
START = D("2026-03-02")

STEPS = {
    "correction": lambda u, a, d: steps.correction_request(
        actor=u, application=a, items="请补正", until=d + dt.timedelta(days=10), date=d
    ),
    "corrected": lambda u, a, d: steps.correction_receive(actor=u, application=a, date=d),
    "abandon": lambda u, a, d: steps.correction_abandoned(actor=u, application=a, date=d),
    "consult": lambda u, a, d: consultations.consultation_send(
        actor=u, application=a, party="甲公司", date=d
    ),
    "answer": lambda u, a, d: consultations.consultation_answer(
        actor=u, application=a, party="甲公司", date=d
    ),
    # 双人审核 (on by default): a reviewer of the organisation approves the clerk's extension.
    "extend": lambda u, a, d: extensions.extension_approve(
        actor=User.objects.get(memberships__org=a.org, memberships__role=Role.REVIEWER),
        application=a,
        days=5,
        reason="r",
        date=d,
    ),
    "fee": lambda u, a, d: fee_notices.fee_notify(
        actor=u, application=a, method=FeeMethod.PER_PAGE, pages=50, date=d
    ),
    "paid": lambda u, a, d: fee_notices.fee_paid(actor=u, application=a, date=d),
    "unpaid": lambda u, a, d: fee_notices.fee_unpaid(actor=u, application=a, date=d),
    "reply": lambda u, a, d: replies.application_reply(actor=u, application=a, outcome="2", date=d),
    "withdraw": lambda u, a, d: steps.application_withdraw(actor=u, application=a, date=d),
    "close": lambda u, a, d: steps.application_close(actor=u, application=a, date=d),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(sorted(STEPS)), st.integers(min_value=0, max_value=12)), max_size=8)
)
def test_any_sequence_keeps_the_invariants(office, register, sequence):
    with transaction.atomic():
        a = register(START.isoformat())
        day = START
        for name, gap in sequence:
            day = min(day + dt.timedelta(days=gap), dt.date(2026, 10, 30))
            status_before = a.status
            try:
                STEPS[name](office["clerk"], a, day)
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
