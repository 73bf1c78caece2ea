"""The buttons, the API and the state machine agree with the workflow registry, for every state (issue #14).

For each workflow declared with ``core.workflow`` (catalogue items, annual reports) and each of its states, an
object is brought to that state along the registry's own steps, then a user holding every role on its
organisation (so the permission filter lets every step through):

- sees exactly the registry's steps from that state as buttons on the detail page (name and label; a step
  whose guard refuses this object, e.g. 发布 of a 不予公开 item, is not shown);
- gets each of those step names accepted by the API, and every other name (and an unknown one) refused with a
  4xx leaving the object unchanged;
- and the transitions the API accepted, over all states, are exactly ``allowed_transitions()``.

Applications join by adding a ``Domain`` below once their steps are declared in the registry.
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
from gongkai.catalog import workflow as catalog_workflow
from gongkai.catalog.models import Item
from gongkai.catalog.tests.factories import draft_item
from gongkai.catalog.vocab import DisclosureAttr
from gongkai.core.workflow import Step, Workflow
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from gongkai.reports import services as report_services
from gongkai.reports import workflow as report_workflow
from gongkai.reports.models import Report

pytestmark = pytest.mark.django_db

BUTTON = re.compile(r'<button[^>]*\bdata-step="([^"]+)"[^>]*>([^<]*)</button>')


@dataclass(frozen=True)
class Domain:
    workflow: Workflow
    variants: dict[str, Callable[[Any], Any]]  # name → a fresh object in the initial state, for an org
    detail: str  # URL name of the back-office detail page (pk)
    api: str  # API path of the step endpoint, with {pk}
    body: dict[str, Any]  # what every API call carries besides the step name
    reload: Callable[[Any], Any]  # the object as stored now
    take: Callable[[Any, str], Any]  # a step by the system actor (to bring an object to a state)


def _catalog_item(disclosure: str) -> Callable[[Any], Item]:
    def make(org: Any) -> Item:
        reason = "" if disclosure == DisclosureAttr.PROACTIVE else "《条例》第十四条"
        return draft_item(org, disclosure=disclosure, disclosure_reason=reason)

    return make


def _report(org: Any) -> Report:
    """A new draft report (one version chain per organisation-year: the previous object is done with)."""
    Report.objects.filter(org=org, year=2022).delete()
    return report_services.report_create(actor=None, org=org, year=2022)


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
        take=lambda obj, step: catalog_workflow.item_transition(
            actor=None, item=obj, step=step, comment="意见"
        ),
    ),
    "reports": Domain(
        workflow=report_workflow.WORKFLOW,
        variants={"年度报告": _report},
        detail="reports:detail",
        api="/api/reports/reports/{pk}/transition",
        body={"published_on": "2023-01-15", "change_note": "更正表二数字"},
        reload=lambda obj: Report.objects.get(pk=obj.pk),
        take=lambda obj, step: report_workflow.report_transition(
            actor=None, report=obj, step=step, published_on=dt.date(2023, 1, 15), change_note="更正"
        ),
    ),
}


def _paths(domain: Domain, sample: Any) -> dict[str, list[str]]:
    """The shortest path of step names from the initial state to every state, along the registry."""
    wf = domain.workflow
    start = wf.state_of(sample)
    paths: dict[str, list[str]] = {start: []}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        for s in wf.steps_from(state):
            if s.target is None or s.target in paths or (s.guard and s.guard(sample)):
                continue
            paths[s.target] = [*paths[state], s.name]
            queue.append(s.target)
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


def _expected(wf: Workflow, obj: Any) -> list[Step]:
    return [s for s in wf.steps_from(wf.state_of(obj)) if not (s.guard and s.guard(obj))]


@pytest.mark.parametrize("name", sorted(DOMAINS))
def test_buttons_api_and_state_machine_agree_for_every_state(name: str) -> None:
    domain, wf = DOMAINS[name], DOMAINS[name].workflow
    org = OrganisationFactory()
    user = _every_role_user(org)
    client = _client(user)
    token = {"Authorization": f"Bearer {api_token_create(actor=None, user=user)}"}

    def at(variant: str, path: list[str]) -> Any:
        obj = domain.variants[variant](org)
        for step in path:
            obj = domain.take(obj, step)
        return obj

    def call(obj: Any, step: str) -> Any:
        body = json.dumps({"step": step, **domain.body})
        return client.post(domain.api.format(pk=obj.pk), body, content_type="application/json", headers=token)

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
                now = wf.state_of(domain.reload(obj))
                if not 400 <= response.status_code < 500 or now != state:
                    problems.append(f"{where}: API {other!r} gave {response.status_code}, state {now}")
            # ... and accepts each of the registry's steps (each on a fresh object in this state)
            for s in expected:
                fresh = at(variant, path)
                response = call(fresh, s.name)
                now = wf.state_of(domain.reload(fresh))
                if response.status_code != 200:
                    problems.append(
                        f"{where}: API {s.name!r} refused: {response.status_code} {response.content!r}"
                    )
                elif s.target is None:
                    if now != state:
                        problems.append(f"{where}: {s.name!r} should leave the state, moved to {now}")
                else:
                    accepted.add((state, now))
    assert not problems, "\n".join(problems)
    assert reached == set(wf.states.values), f"states never reached: {set(wf.states.values) - reached}"
    table = {(source, target) for source, targets in wf.allowed_transitions().items() for target in targets}
    assert accepted == table
