"""Property-based tests of the API against its own OpenAPI document (schemathesis).

Requests are generated from the document, a bounded number per operation and
deterministically, and sent with a valid bearer token: no answer may be a server error,
every answer must match the documented status codes, content types, headers and schemas,
and no schema-valid request may be refused as malformed (400): what the document allows,
the API takes (it may still meet the project's state: 409, 412 or a rule's 422).

schemathesis's own pytest integration (``@schema.parametrize``, ``from_fixture``) does not
work with pytest 9 (it reads the private ``Function._nodeid`` and loses test ids), so each
operation is its own parametrized test that runs the operation's Hypothesis strategy itself.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import workflow
from tests.web.api_fixtures import both_databases  # noqa: F401  (the `db` fixture)
from webapp import create_app
from workflow import Database, Workflow

MAX_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    positive_data_acceptance,
]


def _document() -> dict[str, Any]:
    """The generated OpenAPI document; making it needs no database, so collection can."""
    unused = Workflow(Database.from_url("sqlite://"))
    app = create_app({"TESTING": True}, settings=workflow.Settings(), wf=unused)
    return app.test_client().get("/api/v1/openapi.json").get_json()  # type: ignore[no-any-return]


#: a schema-valid request may still meet the project's state: a stale version (412) or a rule
#: of its current stage or gate (422, e.g. the pending gate's scorecard); never a 400
ACCEPTANCE = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "412", "422"]
            }
        }
    }
)
SCHEMA = schemathesis.openapi.from_dict(_document(), config=ACCEPTANCE)
OPERATIONS = [
    op for op in (result.ok() for result in SCHEMA.get_all_operations()) if "/api/v1/" in op.path
]


def _role(operation: Any) -> str:
    """Whose token reaches past the permission check of ``operation``."""
    if operation.path.endswith(("/decisions", "/resume")):
        return "gatekeeper"
    if operation.path.endswith(("/publish", "/unpublish")):  # open data (issue #17)
        return "coordinator"
    # the project room: a gatekeeper asks; a coordinator closes follow-ups
    if operation.path.endswith("/questions"):
        return "gatekeeper"
    if operation.path.endswith("/close"):
        return "coordinator"
    if operation.path.endswith("/me/substitute"):  # governance: a gatekeeper names one
        return "gatekeeper"
    if operation.method.upper() != "GET" and "/organisations" in operation.path:
        return "coordinator"
    if operation.method.upper() != "GET" and "/calls" in operation.path:
        return "coordinator"
    if operation.method.upper() != "GET" and "/projects/" in operation.path:
        return "owner"
    if operation.method.upper() != "GET" and "/benefits" in operation.path:
        return "owner"  # benefit realisation (issue 13): the project's owner writes the plan
    return "gatekeeper"


@pytest.fixture
def bearer(wf, owner, kommune, coordinator, submitted_project):
    """Authorization headers by role, with projects to find (one submitted)."""
    workflow.create_project(wf, owner, definition="lab", title="Annen idé")
    workflow.create_call(
        wf,
        None,
        funder="Norges forskningsråd",
        title={"nb": "IPO 2027"},
        opens_on=date(2027, 8, 12),
        deadline=datetime(2027, 9, 22, 11, 0, tzinfo=UTC),
    )
    actors = {"owner": owner, "gatekeeper": kommune, "coordinator": coordinator}
    return {
        role: {"Authorization": f"Bearer {workflow.create_token(wf, actor.email)}"}
        for role, actor in actors.items()
    }


@pytest.mark.slow
@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_every_operation_conforms_to_the_openapi_document(operation, app, bearer):
    # the live app's document lists the definitions it serves
    live = schemathesis.openapi.from_dict(
        app.test_client().get("/api/v1/openapi.json").get_json(), config=ACCEPTANCE
    )
    operation = live[operation.path][operation.method.upper()]
    headers = bearer[_role(operation)]
    statuses: Counter[int] = Counter()

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def call(case: Any) -> None:
        response = case.call_and_validate(app=app, headers=headers, checks=CHECKS)
        statuses[response.status_code] += 1

    call()

    assert statuses, "no request was made"
    assert 401 not in statuses, "the token was not accepted"
