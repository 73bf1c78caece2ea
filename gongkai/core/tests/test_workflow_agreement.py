"""The buttons, the API and the state machine agree with the workflow registry, for every state (issue #14).

For each workflow declared with ``core.workflow`` (catalogue items, annual reports, applications) and each of
its states, an object is brought to that state along the registry's own steps, then a user holding every role
on its organisation (so the permission filter lets every step through):

- sees exactly the registry's steps from that state as buttons on the detail page (name and label; a step
  whose guard refuses this object, e.g. 发布 of a 不予公开 item, is not shown);
- gets each of those step names accepted by the API, and every other name (and an unknown one) refused with a
  4xx leaving the object unchanged;
- and the transitions the API accepted, over all states, are exactly ``allowed_transitions()`` (applications:
  a subset — their same-state steps without an API, e.g. assigning a clerk, are transitions too).

An application's steps have preconditions besides its status (an answer needs a consultation sent, a
non-payment a passed deadline): its domain brings each object to its state along a fixed path with dated
parameters (``paths``; ``step_paths`` for a step that needs another history) and calls each step's own API —
the event kind for the steps whose schema is the event input, the reply endpoint for ``reply`` — with
parameters that pass (``api_request``). Steps without an API (assign, disclose) are checked as buttons only.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.services import api_token_create
from gongkai.applications import workflow as application_workflow
from gongkai.applications.models import Application
from gongkai.applications.services.intake import ApplicantData, RequestData, application_register
from gongkai.applications.vocab import ApplicantType, Channel
from gongkai.catalog import workflow as catalog_workflow
from gongkai.catalog.models import Item
from gongkai.catalog.tests.factories import draft_item
from gongkai.catalog.vocab import DisclosureAttr
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.workflow import Step, Workflow
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from gongkai.reports import services as report_services
from gongkai.reports import workflow as report_workflow
from gongkai.reports.models import Report

pytestmark = pytest.mark.django_db

BUTTON = re.compile(r'<button[^>]*\bdata-step="([^"]+)"[^>]*>([^<]*)</button>')


Path = list[tuple[str, dict[str, Any]]]  # steps with their parameters, from the initial state


@dataclass(frozen=True)
class Domain:
    workflow: Workflow
    variants: dict[str, Callable[[Any], Any]]  # name → a fresh object in the initial state, for an org
    detail: str  # URL name of the back-office detail page (pk)
    api: str  # API path of the step endpoint, with {pk}
    body: dict[str, Any]  # what every API call carries besides the step name
    reload: Callable[[Any], Any]  # the object as stored now
    take: Callable[
        [Any, str, dict[str, Any]], Any
    ]  # a step by the system actor (to bring an object to a state)
    paths: dict[str, Path] | None = None  # state → how to reach it (default: the registry's shortest path)
    step_paths: dict[tuple[str, str], Path] | None = None  # (state, step) → another history for that step
    api_request: Callable[[Any, str], tuple[str, dict[str, Any]] | None] | None = (
        None  # (url, body); None: no API
    )
    exact: bool = True  # the accepted transitions are all of allowed_transitions() (else a subset)


def _catalog_item(disclosure: str) -> Callable[[Any], Item]:
    def make(org: Any) -> Item:
        reason = "" if disclosure == DisclosureAttr.PROACTIVE else "《条例》第十四条"
        return draft_item(org, disclosure=disclosure, disclosure_reason=reason)

    return make


def _report(org: Any) -> Report:
    """A new draft report (one version chain per organisation-year: the previous object is done with)."""
    Report.objects.filter(org=org, year=2022).delete()
    return report_services.report_create(actor=SYSTEM_TEST, org=org, year=2022)


D = dt.date.fromisoformat


def _application(org: Any) -> Application:
    """An application received on Monday 2 March 2026 (reply due 30 March), registered by the system."""
    return application_register(
        actor=SYSTEM_TEST,
        org=org,
        channel=Channel.IN_PERSON,
        applicant=ApplicantData(
            applicant_type=ApplicantType.NATURAL_PERSON, name="张三", phone="13800138000"
        ),
        request=RequestData(info_title="某项目环评批复"),
        submitted_on=D("2026-03-02"),
    )


def _consult(party: str, day: str) -> tuple[str, dict[str, Any]]:
    return ("consult", {"party": party, "date": D(day)})


def _fee(day: str, delivery: str = "in_person") -> tuple[str, dict[str, Any]]:
    return ("fee", {"method": "per_page", "pages": 50, "date": D(day), "delivery": delivery})


_CORRECTION = ("correction", {"items": "请补正", "until": D("2026-03-10"), "date": D("2026-03-03")})
APPLICATION_PATHS: dict[str, Path] = {
    "registered": [],
    "awaiting_correction": [_CORRECTION],
    # 甲 objected (决定公开 may follow), 乙's request awaits its delivery and answer; one reason given, one pending
    "in_progress": [_consult("甲公司", "2026-03-03"),
                    ("consult_answer", {"party": "甲公司", "date": D("2026-03-04"), "objected": True}),
                    _consult("乙公司", "2026-03-05"), ("reasons", {"until": D("2026-03-09"), "date": D("2026-03-05")}),
                    ("reasons_given", {"date": D("2026-03-06")}),
                    ("reasons", {"until": D("2026-03-13"), "date": D("2026-03-06")})],
    "awaiting_fee": [_consult("乙公司", "2026-03-03"), ("reasons", {"until": D("2026-03-06"), "date": D("2026-03-03")}),
                     _fee("2026-03-04")],
    "replied": [("reply", {"outcome": "1", "date": D("2026-03-05")})],
    "abandoned": [_CORRECTION, ("abandon", {"date": D("2026-03-12")})],
    "withdrawn": [("withdraw", {"date": D("2026-03-03")})],
    "closed": [("withdraw", {"date": D("2026-03-03")}), ("close", {"date": D("2026-03-04")})],
}  # fmt: skip
APPLICATION_STEP_PATHS: dict[tuple[str, str], Path] = {
    ("awaiting_fee", "fee_received"): [_fee("2026-03-04", delivery="post")],  # receipt not yet known
}
# The API's parameters of each step (the date is the day after the path's last event, or later when due).
APPLICATION_API: dict[str, dict[str, Any]] = {
    "correction": {"items": "请补正", "until": "2026-03-20"},
    "correction_delivered": {"received_on": "2026-03-05"},
    "corrected": {"date": "2026-03-12"},
    "abandon": {"date": "2026-03-12"},
    "consult": {"party": "丙公司"},
    "consult_delivered": {"party": "乙公司", "delivered": "2026-03-09"},
    "consult_answer": {"party": "乙公司"},
    "extend": {"days": 5, "reason": "量大"},
    "reasons": {"until": "2026-03-20"},
    "delay": {"until": "2026-06-30", "reason": "量大"},
    "fee": {"method": "per_page", "pages": 50},
    "fee_received": {"received_on": "2026-03-06"},
    "fee_unpaid": {"date": "2026-04-30"},
    "reply": {"outcome": "1"},
}


def _take_application_step(application: Any, step: str, params: dict[str, Any]) -> Application:
    """A step by the system; the application as it is now (a fee step's result is its notice)."""
    application_workflow.application_transition(
        actor=SYSTEM_TEST, application=application, step=step, **params
    )
    return Application.objects.get(pk=application.pk)


def _application_request(application: Any, name: str) -> tuple[str, dict[str, Any]] | None:
    url = f"/api/applications/{application.tracking_code}"
    if name == "reply":
        return f"{url}/reply", {"date": "2026-03-13", **APPLICATION_API[name]}
    step = next((s for s in application_workflow.STEPS if s.name == name), None)
    if step is not None and step not in application_workflow.STEPS_BY_KIND.values():
        return None  # no API: assign, disclose
    kind = step.event if step is not None else name
    return f"{url}/events", {"kind": kind, "date": "2026-03-13", **APPLICATION_API.get(name, {})}


DOMAINS = {
    "catalog": Domain(
        workflow=catalog_workflow.WORKFLOW,
        variants={
            "主动公开": _catalog_item(DisclosureAttr.PROACTIVE),
            "不予公开": _catalog_item(DisclosureAttr.WITHHELD),
        },
        detail="catalog:detail",
        api="/api/catalog/items/{pk}/transition",
        body={"comment": "意见"},
        reload=lambda obj: Item.objects.get(pk=obj.pk),
        take=lambda obj, step, params: catalog_workflow.item_transition(
            actor=SYSTEM_TEST, item=obj, step=step, comment="意见"
        ),
    ),
    "reports": Domain(
        workflow=report_workflow.WORKFLOW,
        variants={"年度报告": _report},
        detail="reports:detail",
        api="/api/reports/reports/{pk}/transition",
        body={"published_on": "2023-01-15", "change_note": "更正表二数字"},
        reload=lambda obj: Report.objects.get(pk=obj.pk),
        take=lambda obj, step, params: report_workflow.report_transition(
            actor=SYSTEM_TEST, report=obj, step=step, published_on=dt.date(2023, 1, 15), change_note="更正"
        ),
    ),
    "applications": Domain(
        workflow=application_workflow.WORKFLOW,
        variants={"申请": _application},
        detail="applications:detail",
        api="",
        body={},
        reload=lambda obj: Application.objects.get(pk=obj.pk),
        take=_take_application_step,
        paths=APPLICATION_PATHS,
        step_paths=APPLICATION_STEP_PATHS,
        api_request=_application_request,
        exact=False,
    ),
}


def _paths(domain: Domain, sample: Any) -> dict[str, Path]:
    """How to reach every state from the initial one: the domain's paths, else the registry's shortest."""
    if domain.paths is not None:
        return domain.paths
    wf = domain.workflow
    start = wf.state_of(sample)
    paths: dict[str, Path] = {start: []}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        for s in wf.steps_from(state):
            target = s.target_for(sample)
            if target is None or target in paths or (s.guard and s.guard(sample)):
                continue
            paths[target] = [*paths[state], (s.name, {})]
            queue.append(target)
    return paths


def _every_role_user(org: Any) -> Any:
    user = UserFactory()
    for role in Role.values:
        MembershipFactory(user=user, org=org, role=role)
    return user


def _client(user: Any) -> Client:
    """Logged in with a confirmed second factor (a 系统管理员 without one is sent to enrol)."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="agreement", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _api_request(domain: Domain, obj: Any, step: str) -> tuple[str, dict[str, Any]] | None:
    if domain.api_request is None:
        return domain.api.format(pk=obj.pk), {"step": step, **domain.body}
    return domain.api_request(obj, step)


def _refusal(response: Any, step: Step, state: str, now: str) -> str:
    """Why an accepted step's API call did not do what the registry says ("" when it did)."""
    if not 200 <= response.status_code < 300:
        return f"API {step.name!r} refused: {response.status_code} {response.content!r}"
    if step.target is None and now != state:
        return f"{step.name!r} should leave the state, moved to {now}"
    return ""


def _expected(wf: Workflow, obj: Any) -> list[Step]:
    return [s for s in wf.steps_from(wf.state_of(obj)) if not (s.guard and s.guard(obj))]


@pytest.mark.parametrize("name", sorted(DOMAINS))
def test_buttons_api_and_state_machine_agree_for_every_state(name: str) -> None:
    domain, wf = DOMAINS[name], DOMAINS[name].workflow
    org = OrganisationFactory()
    user = _every_role_user(org)
    client = _client(user)
    token = {"Authorization": f"Bearer {api_token_create(actor=SYSTEM_TEST, user=user)}"}

    def at(variant: str, path: Path) -> Any:
        obj = domain.variants[variant](org)
        for step, params in path:
            obj = domain.take(obj, step, params)
        return domain.reload(obj)

    def call(obj: Any, step: str) -> Any:
        request = _api_request(domain, obj, step)
        if request is None:
            return None  # a step without an API (a button only)
        url, body = request
        return client.post(url, json.dumps(body), content_type="application/json", headers=token)

    reached: set[str] = set()
    accepted: set[tuple[str, str]] = set()
    problems: list[str] = []
    for variant, make in domain.variants.items():
        for state, path in _paths(domain, make(org)).items():
            reached.add(state)
            obj = at(variant, path)
            expected = _expected(wf, obj)
            where = f"{name}/{variant}/{state}"
            # the buttons of the detail page
            page = client.get(reverse(domain.detail, args=[obj.pk])).content.decode()
            buttons = [(n, html.unescape(label).strip()) for n, label in BUTTON.findall(page)]
            if buttons != [(s.name, s.label) for s in expected]:
                problems.append(
                    f"{where}: buttons {buttons}, registry {[(s.name, s.label) for s in expected]}"
                )
            # the API refuses every other step name, leaving the object as it was
            for other in [*(n for n in wf.names if n not in {s.name for s in expected}), "no_such_step"]:
                response = call(obj, other)
                if response is None:
                    continue
                now = wf.state_of(domain.reload(obj))
                if not 400 <= response.status_code < 500 or now != state:
                    problems.append(f"{where}: API {other!r} gave {response.status_code}, state {now}")
            # ... and accepts each of the registry's steps (each on a fresh object in this state)
            for s in expected:
                fresh = at(variant, (domain.step_paths or {}).get((state, s.name), path))
                response = call(fresh, s.name)
                if response is None:
                    continue
                now = wf.state_of(domain.reload(fresh))
                problem = _refusal(response, s, state, now)
                if problem:
                    problems.append(f"{where}: {problem}")
                elif s.target is not None:
                    accepted.add((state, now))
    assert not problems, "\n".join(problems)
    assert reached == set(wf.states.values), f"states never reached: {set(wf.states.values) - reached}"
    table = {(source, target) for source, targets in wf.allowed_transitions().items() for target in targets}
    assert accepted == table if domain.exact else accepted <= table, (accepted, table)
