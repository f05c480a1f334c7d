"""Projects: list, create, read, edit, and move them through their gates.

Each view makes one call into the service layer and answers with the project as it is
afterwards, its version as the ``ETag``. Engine errors become HTTP statuses in
``webapp.errors``; the views catch nothing, save one SPEC rule in :func:`_decide`.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

import workflow
from webapp.api import bp
from webapp.api.auth import api_actor
from webapp.api.inputs import (
    ChecklistIn,
    DecisionIn,
    IfMatch,
    ItemPath,
    PartnerIn,
    PartnerPatch,
    PartnerPath,
    ProjectIn,
    ProjectPatch,
    ProjectPath,
    ProjectQuery,
    SubmitIn,
    Versioned,
)
from webapp.api.paths import path_params
from webapp.api.present import (
    etag,
    event_document,
    expected_version,
    project_document,
    project_summary,
)
from webapp.api.schemas import (
    RULE_REFUSED,
    CreatedHeaders,
    DecisionOut,
    EtagHeader,
    EventList,
    ProjectOut,
    ProjectPage,
)
from webapp.extensions import current_workflow
from workflow import ProjectFilter

#: what a change to a project can answer besides 200 (401 and 404 are documented for all)
CHANGE_ERRORS = {
    400: "Invalid input, naming each field",
    403: "Not allowed for this user",
    409: "Not allowed in the project's status, or someone else changed it first",
    412: "If-Match or version names an older version of the project",
    422: RULE_REFUSED,
}


def _project(project_id: int, status: int = 200, **headers: str) -> Any:
    view = workflow.get_project(current_workflow(), project_id)
    return project_document(view), status, {**etag(view.project["version"]), **headers}


@bp.get("/projects")
@bp.doc(operation_id="listProjects")
@bp.input(ProjectQuery, location="query", arg_name="query")
@bp.output(ProjectPage)
def list_projects(query: dict[str, Any]) -> dict[str, Any]:
    """List projects

    Newest first, filtered by definition, stage, status, stalled and text (``q``).
    """
    page, per_page = query.pop("page"), query.pop("per_page")
    found = workflow.list_projects(
        current_workflow(), ProjectFilter(**query), page=page, per_page=per_page
    )
    items = [project_summary(row) for row in found.items]
    return {"items": items, "total": found.total, "page": page, "per_page": per_page}


@bp.post("/projects")
@bp.doc(operation_id="createProject", responses={422: RULE_REFUSED})
@bp.input(ProjectIn, arg_name="body")
@bp.output(ProjectOut, status_code=201, headers=CreatedHeaders)
def create_project(body: dict[str, Any]) -> Any:
    """Create a project

    In the first stage of the definition's newest version; the caller becomes its owner.
    """
    project_id = workflow.create_project(current_workflow(), api_actor(), **body)
    return _project(project_id, 201, Location=url_for("api.show_project", project_id=project_id))


@bp.get("/projects/<project_id>")
@bp.doc(operation_id="getProject")
@bp.output(ProjectOut, headers=EtagHeader)
@path_params(ProjectPath)
def show_project(project_id: int) -> Any:
    """Show a project

    With its partners, checklist and next gates, each requirement met or not.
    """
    return _project(project_id)


@bp.patch("/projects/<project_id>")
@bp.input(ProjectPatch, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ProjectOut, headers=EtagHeader)
@bp.doc(operation_id="updateProject", responses=CHANGE_ERRORS)
@path_params(ProjectPath)
def update_project(project_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """Edit a project

    Its owner changes the title, summary, thematic area or fields given.
    """
    version = expected_version(body.pop("version", None), headers.get("if_match"))
    if "thematic_area" in body and body["thematic_area"] is None:
        body["thematic_area"] = ""  # null clears it; the engine reads None as "unchanged"
    workflow.update_project(
        current_workflow(), api_actor(), project_id, expected_version=version, **body
    )
    return _project(project_id)


@bp.post("/projects/<project_id>/submit")
@bp.input(SubmitIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ProjectOut, headers=EtagHeader)
@bp.doc(
    operation_id="submitProject",
    responses={
        **CHANGE_ERRORS,
        422: f"Requirements of the gate are unmet; each is listed. {RULE_REFUSED}",
    },
)
@path_params(ProjectPath)
def submit_project(project_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """Submit to the next gate

    Its owner asks for the gatekeepers' decision; ``gate`` where the stage has several.
    """
    version = expected_version(body.get("version"), headers.get("if_match"))
    workflow.submit_project(
        current_workflow(), api_actor(), project_id, gate=body.get("gate"), expected_version=version
    )
    return _project(project_id)


def _decide(project_id: int, body: dict[str, Any], if_match: str | None) -> workflow.DecisionResult:
    wf = current_workflow()
    version = expected_version(body.pop("version", None), if_match)
    return workflow.decide_gate(wf, api_actor(), project_id, expected_version=version, **body)


@bp.post("/projects/<project_id>/decisions")
@bp.input(DecisionIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(DecisionOut, headers=EtagHeader)
@bp.doc(operation_id="decideGate", responses=CHANGE_ERRORS)
@path_params(ProjectPath)
def decide(project_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """Decide at the gate

    A gatekeeper of the gate's quorum votes go, kill, hold or recycle; never on their own
    project. Scores are needed for a go; a comment for kill and recycle.
    """
    result = _decide(project_id, body, headers.get("if_match"))
    project, _, headers = _project(project_id)
    return {"decided": result.decided, "outcome": result.outcome, "project": project}, headers


@bp.post("/projects/<project_id>/resume")
@bp.input(Versioned, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ProjectOut, headers=EtagHeader)
@bp.doc(operation_id="resumeProject", responses=CHANGE_ERRORS)
@path_params(ProjectPath)
def resume_project(project_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """Resume a project on hold

    A gatekeeper of the gate that parked it brings it back to work in its stage.
    """
    version = expected_version(body.get("version"), headers.get("if_match"))
    workflow.resume_project(current_workflow(), api_actor(), project_id, expected_version=version)
    return _project(project_id)


@bp.put("/projects/<project_id>/checklist/<item>")
@bp.input(ChecklistIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ProjectOut, headers=EtagHeader)
@bp.doc(operation_id="setChecklistItem", responses=CHANGE_ERRORS)
@path_params(ItemPath)
def set_checklist_item(
    project_id: int, item: str, body: dict[str, Any], headers: dict[str, str]
) -> Any:
    """Tick a checklist item

    Its owner ticks (``done: true``) or unticks an item of the current stage.
    """
    version = expected_version(body.get("version"), headers.get("if_match"))
    workflow.set_checklist_item(
        current_workflow(), api_actor(), project_id, item, body["done"], expected_version=version
    )
    return _project(project_id)


@bp.post("/projects/<project_id>/partners")
@bp.input(PartnerIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ProjectOut, status_code=201, headers=CreatedHeaders)
@bp.doc(
    operation_id="addPartner",
    responses={**CHANGE_ERRORS, 409: "Already a partner, or not allowed in the project's status"},
)
@path_params(ProjectPath)
def add_partner(project_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """Add a partner

    Its owner adds an organisation in a role, ``invited`` unless ``status`` says it has come
    further; answers with the project.
    """
    version = expected_version(body.pop("version", None), headers.get("if_match"))
    partner_id = workflow.add_partner(
        current_workflow(), api_actor(), project_id, expected_version=version, **body
    )
    location = url_for("api.remove_partner", project_id=project_id, partner_id=partner_id)
    return _project(project_id, 201, Location=location)


@bp.patch("/projects/<project_id>/partners/<partner_id>")
@bp.input(PartnerPatch, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ProjectOut, headers=EtagHeader)
@bp.doc(operation_id="updatePartner", responses=CHANGE_ERRORS)
@path_params(PartnerPath)
def update_partner(
    project_id: int, partner_id: int, body: dict[str, Any], headers: dict[str, str]
) -> Any:
    """Change a partner

    Its owner moves a partner's ``status`` (``invited`` → ``confirmed`` →
    ``letter_of_intent``; the day each is reached is kept) or changes its role.
    """
    version = expected_version(body.pop("version", None), headers.get("if_match"))
    workflow.update_partner(
        current_workflow(), api_actor(), project_id, partner_id, expected_version=version, **body
    )
    return _project(project_id)


@bp.delete("/projects/<project_id>/partners/<partner_id>")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(ProjectOut, headers=EtagHeader)
@bp.doc(operation_id="removePartner", responses=CHANGE_ERRORS)
@path_params(PartnerPath)
def remove_partner(project_id: int, partner_id: int, headers: dict[str, str]) -> Any:
    """Remove a partner

    Its owner removes a partner; ``If-Match`` guards against a stale view.
    """
    workflow.remove_partner(
        current_workflow(),
        api_actor(),
        project_id,
        partner_id,
        expected_version=expected_version(None, headers.get("if_match")),
    )
    return _project(project_id)


@bp.get("/projects/<project_id>/events")
@bp.doc(operation_id="listEvents")
@bp.output(EventList)
@path_params(ProjectPath)
def list_events(project_id: int) -> dict[str, Any]:
    """The audit trail

    Every event of the project, oldest first.
    """
    rows = workflow.project_events(current_workflow(), project_id)
    return {"items": [event_document(row) for row in rows]}
