"""A project's funding applications (SPEC §4b): list, start, edit, submit, withdraw, re-apply,
and the funder's decision.

Writes take the project's ``If-Match`` (or ``version``), answer 412 when it is stale, change
the project's version (the ``ETag`` of the answer) and are frozen while it is in review (409).
The request and answer schemas live here, beside the views that use them.
"""

from __future__ import annotations

from typing import Any

from apiflask import Schema
from apiflask.fields import Boolean, Date, DateTime, Dict, Float, Integer, List, Nested, Raw
from apiflask.fields import String as OutString
from apiflask.validators import Length, OneOf, Range
from flask import url_for

import workflow
from webapp.api import bp
from webapp.api.auth import api_actor
from webapp.api.fields import MAX_INT32, AsciiInteger, Line, StrictInteger, Text
from webapp.api.inputs import IfMatch, PageQuery, ProjectPath, Strict, Versioned
from webapp.api.paths import path_params
from webapp.api.present import etag, expected_version
from webapp.api.schemas import RULE_REFUSED, CreatedHeaders, EtagHeader, LocalText
from webapp.extensions import current_workflow
from workflow import APPLICATION_STATUSES, BUDGET_CATEGORIES

MAX_AMOUNT = 10**13
_AMOUNT = {"validate": Range(min=0, max=MAX_AMOUNT), "allow_none": True}
_ID = Range(min=1, max=MAX_INT32)

CHANGE_ERRORS = {
    400: "Invalid input, naming each field",
    403: "Not allowed for this user",
    409: "Not allowed in the project's or the application's status",
    412: "If-Match or version names an older version of the project",
    422: RULE_REFUSED,
}


# -- what the API accepts


class ApplicationPath(ProjectPath):
    application_id = AsciiInteger(required=True, validate=_ID)


class BudgetLineIn(Strict):
    category = Text(required=True, validate=OneOf(BUDGET_CATEGORIES))
    amount = StrictInteger(required=True, validate=Range(min=0, max=MAX_AMOUNT))


class FinancingIn(Strict):
    organisation_id = StrictInteger(required=True, validate=_ID)
    cash = StrictInteger(load_default=0, validate=Range(min=0, max=MAX_AMOUNT))
    in_kind = StrictInteger(load_default=0, validate=Range(min=0, max=MAX_AMOUNT))


class ApplicationFields(Versioned):
    """A draft's values; null clears one."""

    applied_amount = StrictInteger(**_AMOUNT, metadata={"description": "NOK"})
    budget = StrictInteger(**_AMOUNT, metadata={"description": "the total budget, NOK"})
    planned_start = Date(allow_none=True)
    planned_end = Date(allow_none=True)
    budget_lines = List(Nested(BudgetLineIn), validate=Length(max=50))
    applicant_organisation_id = StrictInteger(
        validate=_ID,
        allow_none=True,
        metadata={"description": "the applicant when not the owner's organisation"},
    )
    financing = List(Nested(FinancingIn), validate=Length(max=50))


class ApplicationIn(ApplicationFields):
    call_id = StrictInteger(required=True, validate=_ID)


class ApplicationPatch(ApplicationFields):
    call_id = StrictInteger(validate=_ID)


class OutcomeIn(Versioned):
    outcome = Text(required=True, validate=OneOf(("granted", "rejected")))
    granted_amount = StrictInteger(**_AMOUNT, metadata={"description": "NOK; needed if granted"})
    decided_on = Date(allow_none=True, metadata={"description": "default: today"})
    feedback = Text(load_default="", validate=Length(max=20_000))
    reference = Line(load_default="", validate=Length(max=100))
    panel_scores = Dict(
        keys=Text(validate=Length(min=1, max=100)),
        values=Float(allow_nan=False, validate=Range(min=-1e6, max=1e6)),
        load_default=None,
    )


class ReapplyIn(Versioned):
    call_id = StrictInteger(required=True, validate=_ID)


# -- what it answers


class CallBrief(Schema):
    id = Integer(required=True)
    funder = OutString(required=True)
    title = Nested(LocalText, required=True)
    url = OutString(required=True)
    opens_on = Date(required=True)
    deadline = DateTime(required=True)
    decision_expected_on = Date(allow_none=True)


class RuleOut(Schema):
    """One rule of the call and whether the application meets it."""

    kind = OutString(required=True, metadata={"example": "call_rules"})
    key = OutString(required=True, metadata={"example": "own_share"})
    met = Boolean(required=True)
    reason = OutString(required=True, metadata={"description": "why, in English"})
    code = OutString(required=True, metadata={"example": "own_share_too_small"})
    params = Dict(keys=OutString(), values=Raw(), required=True)


class BudgetLineOut(Schema):
    category = OutString(required=True)
    amount = Integer(required=True)


class FinancingOut(Schema):
    organisation_id = Integer(required=True)
    cash = Integer(required=True)
    in_kind = Integer(required=True)


class ApplicationOut(Schema):
    id = Integer(required=True)
    project_id = Integer(required=True)
    call_id = Integer(required=True)
    call = Nested(CallBrief, required=True)
    status = OutString(required=True, metadata={"enum": list(APPLICATION_STATUSES)})
    current = Boolean(required=True, metadata={"description": "the project's newest"})
    previous_id = Integer(allow_none=True, metadata={"description": "the rejected one before"})
    applicant_organisation_id = Integer(allow_none=True)
    applied_amount = Integer(allow_none=True)
    budget = Integer(allow_none=True)
    own_share = Integer(allow_none=True)
    planned_start = Date(allow_none=True)
    planned_end = Date(allow_none=True)
    budget_lines = List(Nested(BudgetLineOut), required=True)
    financing = List(Nested(FinancingOut), required=True)
    submitted_at = DateTime(allow_none=True)
    decided_on = Date(allow_none=True)
    granted_amount = Integer(allow_none=True)
    reference = OutString(required=True)
    feedback = OutString(required=True)
    panel_scores = Dict(keys=OutString(), values=Raw(), required=True)
    call_rules = List(Nested(RuleOut), required=True)
    call_rules_met = Boolean(required=True)
    created_at = DateTime(required=True)
    updated_at = DateTime(required=True)


class ApplicationPage(Schema):
    items = List(Nested(ApplicationOut), required=True)
    total = Integer(required=True)
    page = Integer(required=True)
    per_page = Integer(required=True)


# -- the views


def _answer(project_id: int, application_id: int, status: int = 200, **headers: str) -> Any:
    wf = current_workflow()
    document = workflow.get_application(wf, project_id, application_id)
    version = workflow.get_project(wf, project_id).project["version"]
    return document, status, {**etag(version), **headers}


def _location(project_id: int, application_id: int) -> str:
    return url_for("api.update_application", project_id=project_id, application_id=application_id)


@bp.get("/projects/<project_id>/applications")
@bp.doc(operation_id="listApplications")
@bp.input(PageQuery, location="query", arg_name="query")
@bp.output(ApplicationPage)
@path_params(ProjectPath)
def list_applications(project_id: int, query: dict[str, Any]) -> dict[str, Any]:
    """List a project's applications

    Newest first: the first is the project's current application. Each with its call and
    the call's rules, met or not.
    """
    page, per_page = query["page"], query["per_page"]
    found = workflow.list_applications(current_workflow(), project_id, page=page, per_page=per_page)
    return {"items": found.items, "total": found.total, "page": page, "per_page": per_page}


@bp.post("/projects/<project_id>/applications")
@bp.input(ApplicationIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ApplicationOut, status_code=201, headers=CreatedHeaders)
@bp.doc(operation_id="createApplication", responses=CHANGE_ERRORS)
@path_params(ProjectPath)
def create_application(project_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """Start an application

    Its owner starts a draft for a call (it may open later); refused (409) while another
    application of the project is a draft or submitted.
    """
    version = expected_version(body.pop("version", None), headers.get("if_match"))
    call_id = body.pop("call_id")
    application_id = workflow.create_application(
        current_workflow(),
        api_actor(),
        project_id,
        call_id=call_id,
        values=body,
        expected_version=version,
    )
    location = _location(project_id, application_id)
    return _answer(project_id, application_id, 201, Location=location)


@bp.patch("/projects/<project_id>/applications/<application_id>")
@bp.input(ApplicationPatch, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ApplicationOut, headers=EtagHeader)
@bp.doc(operation_id="updateApplication", responses=CHANGE_ERRORS)
@path_params(ApplicationPath)
def update_application(
    project_id: int, application_id: int, body: dict[str, Any], headers: dict[str, str]
) -> Any:
    """Edit a draft application

    Its owner changes the values given; null clears one.
    """
    version = expected_version(body.pop("version", None), headers.get("if_match"))
    workflow.update_application(
        current_workflow(), api_actor(), project_id, application_id, body, expected_version=version
    )
    return _answer(project_id, application_id)


@bp.post("/projects/<project_id>/applications/<application_id>/submit")
@bp.input(Versioned, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ApplicationOut, headers=EtagHeader)
@bp.doc(
    operation_id="submitApplication",
    responses={
        **CHANGE_ERRORS,
        422: f"The call's rules are not all met; each unmet rule is listed. {RULE_REFUSED}",
    },
)
@path_params(ApplicationPath)
def submit_application(
    project_id: int, application_id: int, body: dict[str, Any], headers: dict[str, str]
) -> Any:
    """Submit an application

    Its owner sends a draft to the funder; every rule of its call must hold. Records
    ``submitted_at``; the project's stall clock stands still until the decision.
    """
    version = expected_version(body.get("version"), headers.get("if_match"))
    workflow.submit_application(
        current_workflow(), api_actor(), project_id, application_id, expected_version=version
    )
    return _answer(project_id, application_id)


@bp.post("/projects/<project_id>/applications/<application_id>/outcome")
@bp.input(OutcomeIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ApplicationOut, headers=EtagHeader)
@bp.doc(operation_id="recordApplicationOutcome", responses=CHANGE_ERRORS)
@path_params(ApplicationPath)
def record_outcome(
    project_id: int, application_id: int, body: dict[str, Any], headers: dict[str, str]
) -> Any:
    """Record the funder's decision

    A coordinator records ``granted`` (with a granted amount no larger than the applied
    one) or ``rejected``, with the funder's feedback, reference and panel scores.
    """
    version = expected_version(body.pop("version", None), headers.get("if_match"))
    workflow.record_outcome(
        current_workflow(),
        api_actor(),
        project_id,
        application_id,
        expected_version=version,
        **body,
    )
    return _answer(project_id, application_id)


@bp.post("/projects/<project_id>/applications/<application_id>/withdraw")
@bp.input(Versioned, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ApplicationOut, headers=EtagHeader)
@bp.doc(operation_id="withdrawApplication", responses=CHANGE_ERRORS)
@path_params(ApplicationPath)
def withdraw_application(
    project_id: int, application_id: int, body: dict[str, Any], headers: dict[str, str]
) -> Any:
    """Withdraw an application

    Its owner withdraws a draft or a submitted application.
    """
    version = expected_version(body.get("version"), headers.get("if_match"))
    workflow.withdraw_application(
        current_workflow(), api_actor(), project_id, application_id, expected_version=version
    )
    return _answer(project_id, application_id)


@bp.post("/projects/<project_id>/applications/<application_id>/reapply")
@bp.input(ReapplyIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ApplicationOut, status_code=201, headers=CreatedHeaders)
@bp.doc(operation_id="reapplyApplication", responses=CHANGE_ERRORS)
@path_params(ApplicationPath)
def reapply(
    project_id: int, application_id: int, body: dict[str, Any], headers: dict[str, str]
) -> Any:
    """Apply again after a rejection

    Its owner starts a new draft for ``call_id`` with the rejected application's content;
    the rejected one stays, with its feedback, as history.
    """
    version = expected_version(body.get("version"), headers.get("if_match"))
    new_id = workflow.reapply(
        current_workflow(),
        api_actor(),
        project_id,
        application_id,
        call_id=body["call_id"],
        expected_version=version,
    )
    return _answer(project_id, new_id, 201, Location=_location(project_id, new_id))
