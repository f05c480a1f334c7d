"""Reports a project owes its funder (SPEC §4b): list, add, deliver, approve.

Writes take the project's ``If-Match`` (or ``version``), answer with the project's new
version as the ``ETag``, and go on after the project is completed.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

import workflow
from webapp.api import bp
from webapp.api.auth import api_actor
from webapp.api.inputs import (
    DeliverIn,
    IfMatch,
    PageQuery,
    ProjectPath,
    ReportIn,
    ReportPath,
    Versioned,
)
from webapp.api.paths import path_params
from webapp.api.present import etag, expected_version, page_of
from webapp.api.schemas import RULE_REFUSED, CreatedHeaders, EtagHeader, ReportOut, ReportPage
from webapp.extensions import current_workflow

#: what a change to a report can answer besides 200 (401 and 404 are documented for all)
REPORT_ERRORS = {
    400: "Invalid input, naming each field",
    403: "Not allowed for this user",
    409: (
        "Not allowed in the report's status (only a due report is delivered, only a delivered "
        "one approved) or the project's (in review, on hold, killed), or changed meanwhile"
    ),
    412: "If-Match or version names an older version of the project",
    422: RULE_REFUSED,
}


def report_document(row: dict[str, Any]) -> dict[str, Any]:
    """A report as ``ReportOut``."""
    keys = ("id", "project_id", "kind", "due_on", "status", "delivered_on", "approved_on")
    approver = row["approved_by"]
    return {
        **{k: row[k] for k in keys},
        "approved_by": None
        if approver is None
        else {"id": approver, "name": row["approved_by_name"]},
        "note": row["note"],
        "overdue": row["overdue"],
        "application_id": row["application_id"],
    }


def _report(project_id: int, report_id: int, status: int = 200, **headers: str) -> Any:
    found = workflow.project_reports(current_workflow(), project_id)
    (row,) = (r for r in found.items if r["id"] == report_id)
    return report_document(row), status, {**etag(found.version), **headers}


@bp.get("/projects/<project_id>/reports")
@bp.doc(operation_id="listReports")
@bp.input(PageQuery, location="query", arg_name="query")
@bp.output(ReportPage, headers=EtagHeader)
@path_params(ProjectPath)
def list_reports(project_id: int, query: dict[str, Any]) -> Any:
    """List a project's reports

    By due date, each marked overdue or not, with ``payment_held`` (a progress report due or
    delivered and not approved holds back the funder's payment) and the final report's day.
    """
    found = workflow.project_reports(current_workflow(), project_id)
    body = page_of(
        found.items,
        query,
        report_document,
        payment_held=found.payment_held,
        final_due_on=found.final_due_on,
    )
    return body, 200, etag(found.version)


@bp.post("/projects/<project_id>/reports")
@bp.input(ReportIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ReportOut, status_code=201, headers=CreatedHeaders)
@bp.doc(
    operation_id="addReport",
    responses={**REPORT_ERRORS, 409: "A final report exists already, or " + REPORT_ERRORS[409]},
)
@path_params(ProjectPath)
def add_report(project_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """Add a report

    The owner (or a coordinator) adds a progress report due on ``due_on``, or the final
    report, due one calendar month after the project's end (the current application's
    ``planned_end``, else the field ``project_end``; 422 when neither is set).
    """
    version = expected_version(body.pop("version", None), headers.get("if_match"))
    report_id = workflow.add_report(
        current_workflow(), api_actor(), project_id, expected_version=version, **body
    )
    location = url_for("api.list_reports", project_id=project_id)
    return _report(project_id, report_id, 201, Location=f"{location}#report-{report_id}")


@bp.post("/projects/<project_id>/reports/<report_id>/deliver")
@bp.input(DeliverIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ReportOut, headers=EtagHeader)
@bp.doc(operation_id="deliverReport", responses=REPORT_ERRORS)
@path_params(ReportPath)
def deliver_report(
    project_id: int, report_id: int, body: dict[str, Any], headers: dict[str, str]
) -> Any:
    """Deliver a report

    Its owner delivers a due report today, with a note.
    """
    version = expected_version(body.pop("version", None), headers.get("if_match"))
    workflow.deliver_report(
        current_workflow(), api_actor(), project_id, report_id, expected_version=version, **body
    )
    return _report(project_id, report_id)


@bp.post("/projects/<project_id>/reports/<report_id>/approve")
@bp.input(Versioned, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ReportOut, headers=EtagHeader)
@bp.doc(operation_id="approveReport", responses=REPORT_ERRORS)
@path_params(ReportPath)
def approve_report(
    project_id: int, report_id: int, body: dict[str, Any], headers: dict[str, str]
) -> Any:
    """Approve a report

    A coordinator approves a delivered report (409 for one that is not delivered).
    """
    version = expected_version(body.get("version"), headers.get("if_match"))
    workflow.approve_report(
        current_workflow(), api_actor(), project_id, report_id, expected_version=version
    )
    return _report(project_id, report_id)
