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
from webapp.extensions import csrf

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
    cast(APIFlask, state.app).spec_processor(_require_bodies)  # only an APIFlask registers bp


def _require_bodies(spec: dict[str, Any] | str) -> dict[str, Any] | str:
    """Mark each request body whose schema has required fields as required (APIFlask never
    does, so a client reading the document would think it may leave the body out)."""
    if isinstance(spec, str):  # APIFlask's callback type allows a serialised spec; left alone
        return spec
    schemas = spec.get("components", {}).get("schemas", {})
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            body = (operation.get("requestBody") if isinstance(operation, dict) else None) or {}
            for content in body.get("content", {}).values():
                name = content.get("schema", {}).get("$ref", "").rpartition("/")[2]
                if schemas.get(name, {}).get("required"):
                    body["required"] = True
    return spec


from webapp.api import catalog, projects  # noqa: E402  (the views need bp)

__all__ = ["bp", "catalog", "projects"]
