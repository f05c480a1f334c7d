"""A project's benefit realisation plan (SPEC §4b): list and add benefits, change one, record
a measurement.

Writes take the project's ``If-Match`` (or ``version``) and answer with the project's new
version as the ``ETag``; measurements go on after the project is completed.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

import workflow
from webapp.api import bp
from webapp.api.auth import api_actor
from webapp.api.inputs import (
    BenefitIn,
    BenefitPatch,
    BenefitPath,
    IfMatch,
    MeasurementIn,
    PageQuery,
    ProjectPath,
)
from webapp.api.paths import path_params
from webapp.api.present import etag, expected_version, page_of
from webapp.api.schemas import (
    RULE_REFUSED,
    BenefitOut,
    BenefitPage,
    CreatedHeaders,
    EtagHeader,
)
from webapp.extensions import current_workflow

#: what a change to a benefit can answer besides 200 (401 and 404 are documented for all)
BENEFIT_ERRORS = {
    400: "Invalid input, naming each field",
    403: "Not allowed for this user (the project's owner or the benefit's owner)",
    409: (
        "Not allowed in the project's status (in review, on hold, killed; completed for all "
        "but measurements), or changed meanwhile"
    ),
    412: "If-Match or version names an older version of the project",
    422: RULE_REFUSED,
}
_COLUMNS = (
    "id",
    "project_id",
    "description",
    "type",
    "chain_link",
    "indicator",
    "unit",
    "change_on",
    "preconditions",
    "nok_per_year",
    "unexpected",
    "unmeasured_after_target",
)


def benefit_document(row: dict[str, Any]) -> dict[str, Any]:
    """A benefit as ``BenefitOut``."""
    owner = row["owner_id"]
    return {
        **{k: row[k] for k in _COLUMNS},
        "baseline": {"value": row["baseline_value"], "on": row["baseline_on"]},
        "target": {"value": row["target_value"], "on": row["target_on"]},
        "owner": None if owner is None else {"id": owner, "name": row["owner_name"]},
        "measurements": [
            {
                k: m[k]
                for k in ("id", "value", "measured_on", "comment", "recorded_by", "recorded_at")
            }
            for m in row["measurements"]
        ],
    }


def _benefit(project_id: int, benefit_id: int, status: int = 200, **headers: str) -> Any:
    plan = workflow.project_benefits(current_workflow(), project_id)
    (row,) = (b for b in plan.items if b["id"] == benefit_id)
    return benefit_document(row), status, {**etag(plan.version), **headers}


@bp.get("/projects/<project_id>/benefits")
@bp.doc(operation_id="listBenefits")
@bp.input(PageQuery, location="query", arg_name="query")
@bp.output(BenefitPage, headers=EtagHeader)
@path_params(ProjectPath)
def list_benefits(project_id: int, query: dict[str, Any]) -> Any:
    """List a project's benefits

    The benefit realisation plan in the order the benefits were added, each with its
    measurements (oldest first), and ``flagged`` when a target date has passed without a
    measurement.
    """
    plan = workflow.project_benefits(current_workflow(), project_id)
    body = page_of(plan.items, query, benefit_document, flagged=plan.flagged)
    return body, 200, etag(plan.version)


@bp.post("/projects/<project_id>/benefits")
@bp.input(BenefitIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(BenefitOut, status_code=201, headers=CreatedHeaders)
@bp.doc(operation_id="addBenefit", responses=BENEFIT_ERRORS)
@path_params(ProjectPath)
def add_benefit(project_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """Add a benefit

    The project's owner adds a benefit to the plan; its baseline must lie before
    ``change_on``. One added after execution started is marked ``unexpected``.
    """
    version = expected_version(body.pop("version", None), headers.get("if_match"))
    benefit_id = workflow.add_benefit(
        current_workflow(), api_actor(), project_id, expected_version=version, **body
    )
    location = url_for("api.list_benefits", project_id=project_id)
    return _benefit(project_id, benefit_id, 201, Location=f"{location}#benefit-{benefit_id}")


@bp.patch("/projects/<project_id>/benefits/<benefit_id>")
@bp.input(BenefitPatch, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(BenefitOut, headers=EtagHeader)
@bp.doc(operation_id="updateBenefit", responses=BENEFIT_ERRORS)
@path_params(BenefitPath)
def update_benefit(
    project_id: int, benefit_id: int, body: dict[str, Any], headers: dict[str, str]
) -> Any:
    """Change a benefit

    The project's owner or the benefit's owner changes the fields given; measurements are
    never changed.
    """
    version = expected_version(body.pop("version", None), headers.get("if_match"))
    workflow.edit_benefit(
        current_workflow(), api_actor(), project_id, benefit_id, expected_version=version, **body
    )
    return _benefit(project_id, benefit_id)


@bp.post("/projects/<project_id>/benefits/<benefit_id>/measurements")
@bp.input(MeasurementIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(BenefitOut, status_code=201, headers=CreatedHeaders)
@bp.doc(operation_id="recordMeasurement", responses=BENEFIT_ERRORS)
@path_params(BenefitPath)
def record_measurement(
    project_id: int, benefit_id: int, body: dict[str, Any], headers: dict[str, str]
) -> Any:
    """Record a measurement

    The project's owner or the benefit's owner appends a measured value to the benefit's
    series; one on or after the target date that misses the target needs a ``comment``
    (422 naming ``comment`` otherwise). Answers the benefit with its series.
    """
    version = expected_version(body.pop("version", None), headers.get("if_match"))
    workflow.record_measurement(
        current_workflow(), api_actor(), project_id, benefit_id, expected_version=version, **body
    )
    location = url_for("api.list_benefits", project_id=project_id)
    return _benefit(project_id, benefit_id, 201, Location=f"{location}#benefit-{benefit_id}")
