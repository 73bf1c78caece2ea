"""Property-based fuzzing of the JSON API from its own OpenAPI schema (Schemathesis + Hypothesis).

Every operation of /api/openapi.json gets generated requests — schema-valid ones and schema-violating ones —
with a valid bearer token and without one, sent in-process through the WSGI application (no network).
Checks: no 5xx ever; where a documented status comes back, the body and content type match the schema.

Slow-ish and data-dependent, so it runs only when GONGKAI_FUZZ=1 (scripts/run-tests.sh sets it for the
PostgreSQL pass). Deterministic: Hypothesis is derandomised and keeps no example database.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from gongkai.core.actors import SYSTEM_TEST

pytestmark = [
    pytest.mark.fuzz,
    pytest.mark.skipif(os.environ.get("GONGKAI_FUZZ") != "1", reason="API fuzzing runs with GONGKAI_FUZZ=1"),
]

EDGE_INTEGERS = [2**63, -(2**63) - 1, 10**40]
EDGE_STRINGS = ["\x00", "a\x00b"]
EXAMPLES_PER_OPERATION = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "25"))  # × 2 modes × 2 auths


@dataclass
class Problem:
    operation: str
    kind: str  # "5xx" or "schema"
    summary: str
    reproduction: str


@pytest.fixture
def fuzz_world(org_tree):
    """An office with a little of everything, and a bearer token of its 公开办管理员."""
    from gongkai.accounts.services import api_token_create
    from gongkai.applications.tests.factories import ApplicationFactory, RemedyCaseFactory
    from gongkai.catalog.tests.factories import draft_item, published_item
    from gongkai.orgs.models import Role
    from gongkai.orgs.tests.factories import staff
    from gongkai.reports.tests.factories import ReportFactory

    own = org_tree["own"]
    admin = staff(Role.OFFICE_ADMIN, own)
    draft_item(own)
    published_item(own, title="关于公布2025年度财政预算的通知")
    ApplicationFactory(org=own)
    RemedyCaseFactory(org=own)
    ReportFactory(org=own, year=2022)
    return {"token": api_token_create(actor=SYSTEM_TEST, user=admin), "org": own}


@pytest.fixture
def in_process_wsgi() -> Iterator[Any]:
    """The Django WSGI application, with connections kept open across requests (we are inside a test
    transaction: request_finished must not close it, exactly as Django's test client arranges)."""
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    app = get_wsgi_application()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield app
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _exception_summary(captured: list[BaseException]) -> str:
    if not captured:
        return "(no exception captured)"
    exc = captured[-1]
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/gongkai/" in f.filename and "/tests/" not in f.filename] or frames
    where = ", ".join(f"{f.filename.split('/gongkai/')[-1]}:{f.lineno} {f.name}" for f in ours[-3:])
    return f"{type(exc).__name__}: {str(exc)[:200]} [at {where}]"


class _Fuzzer:
    """Calls every operation, generated and edge cases, each in a rolled-back transaction; collects problems."""

    def __init__(self, checks: list[Any]) -> None:
        self.checks = checks
        self.problems: dict[tuple[str, str, str], Problem] = {}
        self.captured: list[BaseException] = []
        self.calls = 0

    def on_exception(self, sender: Any, request: Any = None, **kwargs: Any) -> None:
        import sys

        if (exc := sys.exc_info()[1]) is not None:
            self.captured.append(exc)

    def call(self, operation: Any, case: Any, auth_name: str, headers: dict[str, str]) -> None:
        from django.db import transaction

        self.captured.clear()
        with transaction.atomic():
            self.calls += 1
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        self.record(operation, case, response, auth_name, headers)

    def record(
        self, operation: Any, case: Any, response: Any, auth_name: str, headers: dict[str, str]
    ) -> None:
        try:
            case.validate_response(response, checks=self.checks, headers=headers)
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - collected, reported below
            five = response.status_code >= 500
            summary = _exception_summary(self.captured) if five else " ".join(str(failure).split())[:300]
            kind = "5xx" if five else "schema"
            key = (operation.label, kind, summary.split(" [at ")[0][:120])
            if key not in self.problems:
                self.problems[key] = Problem(
                    operation=f"{operation.label} ({auth_name})",
                    kind=kind,
                    summary=f"{response.status_code}: {summary}",
                    reproduction=case.as_curl_command(headers=headers),
                )

    def generated(self, operation: Any, auth_name: str, headers: dict[str, str]) -> None:
        from hypothesis import HealthCheck, Phase, given, settings
        from hypothesis import strategies as st
        from schemathesis import GenerationMode

        strategy = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @settings(
            max_examples=EXAMPLES_PER_OPERATION * 2,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case: Any) -> None:
            self.call(operation, case, auth_name, headers)

        run()

    def edges(self, operation: Any, auth_name: str, headers: dict[str, str]) -> None:
        """A deterministic sweep of the values random generation rarely hits: integers beyond 64 bits and
        strings with NUL, one parameter at a time (the others absent, or a plain value in the path)."""
        params = operation.definition.raw.get("parameters", [])
        plain = {p["name"]: "1" for p in params if p["in"] == "path"}
        for param in params:
            kind = param.get("schema", {}).get("type")
            values: list[Any] = (
                EDGE_INTEGERS if kind == "integer" else EDGE_STRINGS if kind in ("string", None) else []
            )
            for value in values:
                if param["in"] == "path":
                    case = operation.Case(path_parameters={**plain, param["name"]: value})
                elif param["in"] == "query":
                    case = operation.Case(path_parameters=plain, query={param["name"]: value})
                else:
                    continue
                self.call(operation, case, auth_name, headers)


@pytest.mark.django_db
def test_api_fuzz(fuzz_world, in_process_wsgi):
    import schemathesis
    from django.core.signals import got_request_exception
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", in_process_wsgi)
    fuzzer = _Fuzzer([not_a_server_error, response_schema_conformance, content_type_conformance])
    auths = {"token": {"Authorization": f"Bearer {fuzz_world['token']}"}, "anonymous": {}}
    got_request_exception.connect(fuzzer.on_exception)
    try:
        operations = [result.ok() for result in schema.get_all_operations()]
        for operation in operations:
            for auth_name, headers in auths.items():
                fuzzer.edges(operation, auth_name, headers)
                fuzzer.generated(operation, auth_name, headers)
    finally:
        got_request_exception.disconnect(fuzzer.on_exception)

    print(f"\nAPI fuzz: {fuzzer.calls} requests over {len(operations)} operations")
    report = "\n\n".join(
        f"[{p.kind}] {p.operation}\n  {p.summary}\n  reproduce: {p.reproduction}"
        for p in sorted(fuzzer.problems.values(), key=lambda p: (p.kind, p.operation))
    )
    assert not fuzzer.problems, f"{len(fuzzer.problems)} distinct API problems:\n\n{report}"
