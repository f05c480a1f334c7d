"""The one place where errors become pages, flashes or the API's JSON error body.

Views hold no ``try/except`` for domain errors: a :class:`~workflow.WorkflowError` that
leaves a view is mapped to its HTTP status here. Under ``/api/`` the body is SPEC §4's
``{"error": {"code", "message", "fields"}}``; elsewhere an error page in the user's language.
No stack trace ever reaches a user.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workflow import (
    ConcurrentUpdate,
    DefinitionConflict,
    GateNotSatisfied,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StaleVersion,
    TransitionNotAllowed,
    WorkflowError,
)

log = logging.getLogger(__name__)

STATUS: dict[type[WorkflowError], int] = {
    InvalidInput: 400,
    PermissionDenied: 403,
    NotFound: 404,
    ConcurrentUpdate: 409,
    TransitionNotAllowed: 409,
    DefinitionConflict: 409,
    StaleVersion: 412,
    GateNotSatisfied: 422,
}


def status_of(error: WorkflowError) -> int:
    """The HTTP status for an engine error."""
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def wants_json() -> bool:
    """Whether the request is for the JSON API."""
    return request.path.startswith("/api/")


def json_error(
    status: int, code: str, message: str, fields: dict[str, Any] | None = None, **extra: Any
) -> tuple[Response, int]:
    """SPEC §4's error body with ``status``."""
    body: dict[str, Any] = {"code": code, "message": message, "fields": fields or {}}
    body.update(extra)
    return jsonify({"error": body}), status


def _workflow_error(error: WorkflowError) -> Any:
    status = status_of(error)
    if wants_json():
        extra: dict[str, Any] = {}
        fields = getattr(error, "fields", None)
        if isinstance(error, GateNotSatisfied):
            extra["unmet"] = [u.as_dict() for u in error.unmet]
            fields = {f"{u.kind}.{u.key}": u.reason for u in error.unmet}
        return json_error(status, error.code, error.message, fields, **extra)
    return render_template("errors/error.html", status=status, message=error.message), status


def _http_error(error: HTTPException) -> Any:
    status = error.code or 500
    if wants_json():
        code = (error.name or "error").lower().replace(" ", "_")
        return json_error(status, code, error.description or error.name)
    return render_template("errors/error.html", status=status, message=None), status


def _csrf_error(error: CSRFError) -> Any:
    if wants_json():
        return json_error(400, "csrf", error.description)
    message = _("The form had expired. Please try again.")
    return render_template("errors/error.html", status=400, message=message), 400


def _unexpected(error: Exception) -> Any:
    log.exception("unhandled error on %s %s", request.method, request.path)
    if wants_json():
        return json_error(500, "internal_error", "Something went wrong on our side.")
    return render_template("errors/error.html", status=500, message=None), 500


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(WorkflowError, _workflow_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
