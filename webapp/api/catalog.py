"""Definitions and partner organisations."""

from __future__ import annotations

from typing import Any

from flask import url_for

import workflow
import workflow as orgs
from webapp.api import bp
from webapp.api.auth import api_actor
from webapp.api.inputs import (
    DefinitionPath,
    DefinitionQuery,
    OrganisationIn,
    OrganisationPath,
    OrganisationQuery,
)
from webapp.api.paths import path_params
from webapp.api.schemas import (
    RULE_REFUSED,
    CreatedHeaders,
    DefinitionList,
    DefinitionOut,
    OrganisationOut,
    OrganisationPage,
)
from webapp.extensions import current_workflow


def _definition(definition: workflow.Definition) -> dict[str, Any]:
    return definition.model_dump(mode="json")


@bp.get("/definitions")
@bp.doc(operation_id="listDefinitions")
@bp.output(DefinitionList)
def list_definitions() -> dict[str, Any]:
    """List definitions

    The newest version of each definition, with its stages, gates and criteria.
    """
    return {"items": [_definition(d) for d in current_workflow().catalog.latest()]}


@bp.get("/definitions/<key>")
@bp.doc(operation_id="getDefinition")
@bp.input(DefinitionQuery, location="query", arg_name="query")
@bp.output(DefinitionOut)
@path_params(DefinitionPath)
def show_definition(key: str, query: dict[str, Any]) -> dict[str, Any]:
    """Show a definition

    Its newest version, or the ``version`` a project started on.
    """
    return _definition(current_workflow().catalog.get(key, query.get("version")))


@bp.get("/organisations")
@bp.doc(operation_id="listOrganisations")
@bp.input(OrganisationQuery, location="query", arg_name="query")
@bp.output(OrganisationPage)
def list_organisations(query: dict[str, Any]) -> Any:
    """List organisations

    Partner organisations by name, optionally of one ``type`` or with ``q`` in the name.
    """
    return orgs.list_organisations(current_workflow(), **query)


@bp.post("/organisations")
@bp.input(OrganisationIn, arg_name="body")
@bp.output(OrganisationOut, status_code=201, headers=CreatedHeaders)
@bp.doc(
    operation_id="createOrganisation",
    responses={
        403: "Only coordinators and admins register organisations",
        409: "An organisation with this key exists already",
        422: RULE_REFUSED,
    },
)
def create_organisation(body: dict[str, Any]) -> Any:
    """Register an organisation

    Coordinators and admins only.
    """
    wf = current_workflow()
    organisation_id = workflow.add_organisation(wf, api_actor(), **body)
    location = url_for("api.show_organisation", organisation_id=organisation_id)
    return orgs.get_organisation(wf, organisation_id), 201, {"Location": location}


@bp.get("/organisations/<organisation_id>")
@bp.doc(operation_id="getOrganisation")
@bp.output(OrganisationOut)
@path_params(OrganisationPath)
def show_organisation(organisation_id: int) -> dict[str, Any]:
    """Show an organisation"""
    return orgs.get_organisation(current_workflow(), organisation_id)
