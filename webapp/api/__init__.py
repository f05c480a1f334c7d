"""The JSON API, ``/api/v1`` (SPEC §4): bearer tokens, generated OpenAPI, the service layer.

Every route names its operation for generated clients: ``@bp.doc(operation_id="verbNoun")``
in lower camel case (``getProject``, ``decideGate``), unique over the API; a test checks it.

Registering the blueprint also points APIFlask's validation errors and its OpenAPI error
responses at SPEC §4's error body (``webapp.errors`` writes that body).
"""

from __future__ import annotations

from typing import Any, cast

from apiflask import APIBlueprint, APIFlask
from flask.blueprints import BlueprintSetupState

from webapp.api.auth import token_auth
from webapp.api.schemas import Error
from webapp.extensions import csrf, current_workflow

DESCRIPTION = """Samspill's JSON API (SPEC §4). Send `Authorization: Bearer <token>`
(`samspill token create EMAIL`). Errors are `{"error": {"code", "message", "fields"}}`.
A project's `version` comes back as its `ETag`; send it as `If-Match` (or `version` in the
body) with a change to get 412 when someone changed the project first."""

bp = APIBlueprint("api", __name__, url_prefix="/api/v1", tag="API v1")
# a bearer token cannot be sent by another site's form, so CSRF tokens are not needed here
csrf.exempt(bp)


@bp.before_request
@bp.auth_required(token_auth)
def require_token() -> None:
    """Every endpoint needs a valid bearer token."""


@bp.record_once
def _configure(state: BlueprintSetupState) -> None:
    state.app.config.update(
        VALIDATION_ERROR_STATUS_CODE=400,  # SPEC §4: bad input is a 400; 422 is an unmet gate
        VALIDATION_ERROR_SCHEMA=Error,
        HTTP_ERROR_SCHEMA=Error,
        VALIDATION_ERROR_DESCRIPTION="Invalid input",
    )
    if not state.app.config.get("DESCRIPTION"):
        state.app.config["DESCRIPTION"] = DESCRIPTION
    cast(APIFlask, state.app).spec_processor(_complete)  # only an APIFlask registers bp


def _complete(spec: dict[str, Any] | str) -> dict[str, Any] | str:
    """What APIFlask cannot know from the schemas: which bodies are required, and which
    definition keys this instance serves."""
    if isinstance(spec, str):  # APIFlask's callback type allows a serialised spec; left alone
        return spec
    _require_bodies(spec)
    _list_definitions(spec, current_workflow().catalog.keys())
    return spec


def _list_definitions(spec: dict[str, Any], keys: list[str]) -> None:
    """Document the registered definition keys as the values a ``definition`` (the body of a
    new project, the project list's filter) may take, so a client sees them in the schema."""
    if not keys:
        return
    new_project = spec.get("components", {}).get("schemas", {}).get("ProjectIn", {})
    if "definition" in new_project.get("properties", {}):
        new_project["properties"]["definition"]["enum"] = keys
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("name") == "definition" and parameter.get("in") == "query":
                    parameter["schema"]["enum"] = keys


def _require_bodies(spec: dict[str, Any]) -> None:
    """Mark each request body whose schema has required fields as required (APIFlask never
    does, so a client reading the document would think it may leave the body out)."""
    schemas = spec.get("components", {}).get("schemas", {})
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            body = (operation.get("requestBody") if isinstance(operation, dict) else None) or {}
            for content in body.get("content", {}).values():
                name = content.get("schema", {}).get("$ref", "").rpartition("/")[2]
                if schemas.get(name, {}).get("required"):
                    body["required"] = True


from webapp.api import (  # noqa: E402  (the views need bp)
    applications,
    benefits,
    calls,
    catalog,
    discussion,
    lessons,
    organisations,
    projects,
    publishing,
    reports,
    room,
    suggestions,
    tasks,  # governance
)

__all__ = [
    "applications",
    "benefits",
    "bp",
    "calls",
    "catalog",
    "discussion",
    # lessons learned and search (issue 13)
    "lessons",
    "organisations",
    "projects",
    "publishing",
    "reports",
    "room",
    "suggestions",
    "tasks",
]
