"""The organisation registry (SPEC §4b): any user reads; coordinators and admins write.

Each view makes one call into the service layer and answers with the organisation as it
is afterwards; engine errors become HTTP statuses in ``webapp.errors``.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

import workflow
from webapp.api import bp
from webapp.api.auth import api_actor
from webapp.api.inputs import (
    MergeIn,
    OrganisationIn,
    OrganisationPatch,
    OrganisationPath,
    OrganisationQuery,
)
from webapp.api.paths import path_params
from webapp.api.schemas import (
    RULE_REFUSED,
    CreatedHeaders,
    MergeOut,
    OrganisationOut,
    OrganisationPage,
)
from webapp.extensions import current_workflow

#: what a write to the registry can answer besides 2xx (401 and 404 are documented for all)
WRITE_ERRORS = {
    400: "Invalid input, naming each field",
    403: "Only coordinators and admins write the registry",
    422: RULE_REFUSED,
}
DUPLICATE = "The key or the organisation number belongs to another organisation"


@bp.get("/organisations")
@bp.doc(operation_id="listOrganisations")
@bp.input(OrganisationQuery, location="query", arg_name="query")
@bp.output(OrganisationPage)
def list_organisations(query: dict[str, Any]) -> Any:
    """List organisations

    Active organisations by name (``active=false``: the deactivated ones), filtered by
    ``type``, ``thematic_area``, ``approved_research``, ``confirmed`` and ``q`` (name,
    key, keywords or description).
    """
    return workflow.list_organisations(current_workflow(), **query)


@bp.post("/organisations")
@bp.input(OrganisationIn, arg_name="body")
@bp.output(OrganisationOut, status_code=201, headers=CreatedHeaders)
@bp.doc(operation_id="createOrganisation", responses={**WRITE_ERRORS, 409: DUPLICATE})
def create_organisation(body: dict[str, Any]) -> Any:
    """Register an organisation

    Coordinators and admins only.
    """
    wf = current_workflow()
    organisation_id = workflow.add_organisation(wf, api_actor(), **body)
    location = url_for("api.show_organisation", organisation_id=organisation_id)
    return workflow.get_organisation(wf, organisation_id), 201, {"Location": location}


@bp.get("/organisations/<organisation_id>")
@bp.doc(operation_id="getOrganisation")
@bp.output(OrganisationOut)
@path_params(OrganisationPath)
def show_organisation(organisation_id: int) -> dict[str, Any]:
    """Show an organisation

    With its contacts, its parent and its children.
    """
    return workflow.get_organisation(current_workflow(), organisation_id)


@bp.patch("/organisations/<organisation_id>")
@bp.input(OrganisationPatch, arg_name="body")
@bp.output(OrganisationOut)
@bp.doc(operation_id="updateOrganisation", responses={**WRITE_ERRORS, 409: DUPLICATE})
@path_params(OrganisationPath)
def update_organisation(organisation_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """Change an organisation

    Only the fields given change; ``contacts`` replaces the whole list; ``active`` false
    deactivates it (it stays on its projects), true reactivates it. Coordinators and admins.
    """
    wf = current_workflow()
    workflow.update_organisation(wf, api_actor(), organisation_id, **body)
    return workflow.get_organisation(wf, organisation_id)


@bp.post("/organisations/<organisation_id>/merge")
@bp.input(MergeIn, arg_name="body")
@bp.output(MergeOut)
@bp.doc(operation_id="mergeOrganisation", responses=WRITE_ERRORS)
@path_params(OrganisationPath)
def merge_organisation(organisation_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """Merge a duplicate into another organisation

    Its partnerships, users and child organisations move to ``into``; it is deactivated
    and each project touched records the move on its audit trail. Coordinators and admins.
    """
    wf = current_workflow()
    moved = workflow.merge_organisations(wf, api_actor(), organisation_id, into=body["into"])
    return {"organisation": workflow.get_organisation(wf, body["into"]), "projects": moved}


@bp.post("/organisations/<organisation_id>/confirm")
@bp.output(OrganisationOut)
@bp.doc(operation_id="confirmOrganisation", responses={403: WRITE_ERRORS[403]})
@path_params(OrganisationPath)
def confirm_organisation(organisation_id: int) -> dict[str, Any]:
    """Confirm a proposed organisation

    Coordinators and admins; confirming one twice changes nothing.
    """
    wf = current_workflow()
    workflow.confirm_organisation(wf, api_actor(), organisation_id)
    return workflow.get_organisation(wf, organisation_id)
