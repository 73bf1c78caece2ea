"""Who acts (core.actors): a user or a named SystemActor, never None — and no service compares actor with None."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from gongkai.accounts import services as account_services
from gongkai.applications import ledger, letters
from gongkai.applications.services import intake, remedies
from gongkai.applications.tests.factories import ApplicationFactory
from gongkai.applications.vocab import ApplicantType, Channel, RemedyKind
from gongkai.applications.workflow import application_transition
from gongkai.catalog import services as catalog_services
from gongkai.catalog import vocabularies
from gongkai.catalog.tests.factories import draft_item
from gongkai.catalog.workflow import item_transition
from gongkai.core.actors import (
    MISSING_ACTOR,
    SYSTEM_CLI,
    SYSTEM_DEMO,
    SYSTEM_TEST,
    SystemActor,
    acting_user,
    is_system,
)
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.core.services import audit_read, audit_record, audit_verify
from gongkai.orgs import services as org_services
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff
from gongkai.reports import services as report_services
from gongkai.reports.tests.factories import ReportFactory
from gongkai.reports.workflow import report_transition
from gongkai.workdays.services import arrangement_load, seed_from_package
from gongkai.workdays.tests.factories import csv_arrangement

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "gongkai"

# --- the actor values ------------------------------------------------------------------------------------


def test_a_system_actor_names_itself_and_holds_no_user():
    job = SystemActor("cli", "命令行")
    assert job == SYSTEM_CLI and str(job) == "系统（命令行）"
    assert (job.is_authenticated, job.pk) == (False, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        job.label = "别的"


def test_is_system_and_acting_user(org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    assert is_system(SYSTEM_DEMO) and not is_system(clerk) and not is_system(AnonymousUser())
    assert acting_user(SYSTEM_DEMO) is None and acting_user(clerk) == clerk
    assert acting_user(AnonymousUser()) is None


@pytest.mark.parametrize("check", [is_system, acting_user])
def test_none_is_not_an_actor(check: Callable[[Any], Any]):
    with pytest.raises(TypeError, match=re.escape(MISSING_ACTOR)):
        check(None)


# --- every app refuses None, and writes nothing ----------------------------------------------------------


@pytest.fixture
def world(org_tree):
    own = org_tree["own"]
    return {
        "org": own,
        "clerk": staff(Role.CLERK, own),
        "item": draft_item(own),
        "application": ApplicationFactory(org=own),
        "report": ReportFactory(org=own),
    }


def _none_calls():  # untyped: mypy would rightly refuse every call below
    return {
        "core.audit_record": lambda w: audit_record(
            actor=None, action=AuditAction.OTHER, object_type="tests.thing"
        ),
        "core.audit_read": lambda w: audit_read(None, w["application"], "申请人信息"),
        "orgs.org_update": lambda w: org_services.org_update(actor=None, org=w["org"], short_name="改"),
        "orgs.membership_grant": lambda w: org_services.membership_grant(
            actor=None, user=w["clerk"], org=w["org"], role=Role.REVIEWER
        ),
        "accounts.user_update": lambda w: account_services.user_update(
            actor=None, user=w["clerk"], full_name="某"
        ),
        "accounts.api_token_create": lambda w: account_services.api_token_create(actor=None, user=w["clerk"]),
        "workdays.arrangement_load": lambda w: arrangement_load(
            actor=None, arrangement=csv_arrangement("放假,测试,2027-12-25,", year=2027)
        ),
        "workdays.seed_from_package": lambda w: seed_from_package(actor=None),
        "catalog.item_create": lambda w: catalog_services.item_create(
            actor=None, org=w["org"], title="某通知"
        ),
        "catalog.item_transition": lambda w: item_transition(actor=None, item=w["item"], step="submit"),
        "catalog.field_create": lambda w: vocabularies.field_create(actor=None, name="某领域"),
        "applications.application_register": lambda w: intake.application_register(
            actor=None,
            org=w["org"],
            channel=Channel.IN_PERSON,
            applicant=intake.ApplicantData(applicant_type=ApplicantType.NATURAL_PERSON, name="张三"),
            request=intake.RequestData(info_title="某文件"),
            submitted_on=dt.date(2026, 3, 2),
        ),
        "applications.application_transition": lambda w: application_transition(
            actor=None, application=w["application"], step="assign", assignee=w["clerk"]
        ),
        "applications.remedy_create": lambda w: remedies.remedy_create(
            actor=None, org=w["org"], kind=RemedyKind.REVIEW, filed_on=dt.date(2026, 4, 1)
        ),
        "applications.letter_draft": lambda w: letters.letter_draft(
            actor=None, application=w["application"], kind="reply"
        ),
        "applications.import_applications": lambda w: ledger.import_applications(
            actor=None, org=w["org"], data=b"", filename="x.csv"
        ),
        "reports.report_create": lambda w: report_services.report_create(actor=None, org=w["org"], year=2024),
        "reports.report_transition": lambda w: report_transition(
            actor=None, report=w["report"], step="submit"
        ),
    }


NONE_CALLS: dict[str, Callable[[dict[str, Any]], Any]] = _none_calls()


@pytest.mark.parametrize("call", NONE_CALLS.values(), ids=NONE_CALLS.keys())
def test_every_app_refuses_a_missing_actor(world, call):
    # given the audit log as it is
    rows = AuditEntry.objects.count()
    # when a service is called with actor=None, then it refuses loudly (no silent "system" bypass)
    with pytest.raises(TypeError, match=re.escape(MISSING_ACTOR)):
        call(world)
    # and nothing was recorded
    assert AuditEntry.objects.count() == rows


# --- a system actor passes, and the audit log names it ---------------------------------------------------


def test_a_system_actor_passes_and_the_audit_row_names_it(org_tree):
    # when system jobs change data that a user without a role could not
    org = org_services.org_update(actor=SYSTEM_CLI, org=org_tree["own"], short_name="测试县")
    item = catalog_services.item_create(actor=SYSTEM_DEMO, org=org, title="关于某事项的通知")
    item = item_transition(actor=SYSTEM_DEMO, item=item, step="submit")
    # then the rows store no user
    assert item.created_by is None and {e.actor_id for e in item.events.all()} == {None}
    # and the audit rows name each job by its label, with no user, and the chain still verifies
    rows = list(AuditEntry.objects.order_by("id").values_list("actor_id", "actor_name", "action"))
    assert rows == [
        (None, "系统（命令行）", AuditAction.UPDATE),
        (None, "系统（演示数据）", AuditAction.CREATE),
        (None, "系统（演示数据）", AuditAction.TRANSITION),
    ]
    assert audit_verify(anchors=[]) == (3, None)


def test_a_user_is_still_checked(org_tree):
    reviewer = staff(Role.REVIEWER, org_tree["own"])
    with pytest.raises(PermissionDenied):
        catalog_services.item_create(actor=reviewer, org=org_tree["own"], title="某通知")
    with pytest.raises(PermissionDenied):
        catalog_services.item_create(actor=AnonymousUser(), org=org_tree["own"], title="某通知")
    assert not AuditEntry.objects.exists()
    entry = audit_record(actor=SYSTEM_TEST, action=AuditAction.OTHER, object_type="tests.thing")
    assert (entry.actor_id, entry.actor_name) == (None, "系统（测试）")


# --- the guard: nothing compares an actor with None any more --------------------------------------------

NONE_COMPARISON = re.compile(r"\b(?:move\.)?actor\s*(?:is\s+not|is|==|!=)\s*None\b")
THE_ONE_CHECK = "gongkai/core/actors.py"  # check_actor: the one place that looks for None


def _app_modules() -> list[Path]:
    return [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if "tests" not in p.relative_to(ROOT).parts and "migrations" not in p.relative_to(ROOT).parts
    ]


def test_no_module_compares_an_actor_with_none():
    """``actor=None`` used to mean "a system job" and passed every check. Now a job is a SystemActor: services
    ask ``is_system(actor)`` or call ``orgs.permissions.require``, which refuse None (TypeError)."""
    problems = [
        f"{path.relative_to(ROOT).as_posix()}:{n}: {line.strip()}  — use core.actors.is_system / require"
        for path in _app_modules()
        if path.relative_to(ROOT).as_posix() != THE_ONE_CHECK
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if NONE_COMPARISON.search(line)
    ]
    assert not problems, "\n".join(problems)


def test_the_guard_covers_the_services_and_sees_each_form():
    services = [
        p.relative_to(ROOT).as_posix()
        for p in _app_modules()
        if p.name.startswith("services") or p.parent.name == "services"
    ]
    assert "gongkai/orgs/services.py" in services and "gongkai/applications/services/intake.py" in services
    for line in ("if actor is None:", "x = actor is not None and y", "if move.actor == None", "actor!=None"):
        assert NONE_COMPARISON.search(line), line
    for line in ("if actor_user is None:", "if is_system(actor):", "user is None"):
        assert not NONE_COMPARISON.search(line), line
