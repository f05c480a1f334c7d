"""The one place where errors become pages, flashes or the API's JSON error body.

Views hold no ``try/except`` for domain errors: a :class:`~workflow.WorkflowError` that
leaves a view is mapped to its HTTP status here. Under ``/api/`` the body is SPEC §4's
``{"error": {"code", "message", "fields"}}`` (``message`` and ``fields`` in English) plus the
engine's codes: ``problem`` and ``params`` for the error, ``field_codes`` for each field
(``{"title": {"code": "too_long", "params": {"max": 200}}}``); elsewhere an error page in the
user's language.
No stack trace ever reaches a user.
"""

from __future__ import annotations

import logging
from typing import Any

from apiflask import APIFlask, HTTPError
from flask import Flask, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webapp.i18n import word
from workflow import (
    ConcurrentUpdate,
    DefinitionConflict,
    Duplicate,
    GateNotSatisfied,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Problem,
    StaleVersion,
    TooLarge,
    TransitionNotAllowed,
    WorkflowError,
    one_line,
)

log = logging.getLogger(__name__)

#: the engine's refusals; a request the API's schemas refuse is a 400 before it reaches the
#: engine, so an engine ``InvalidInput`` is a well-formed request that a rule refuses (422)
STATUS: dict[type[WorkflowError], int] = {
    Duplicate: 409,
    InvalidInput: 422,
    PermissionDenied: 403,
    NotFound: 404,
    ConcurrentUpdate: 409,
    TransitionNotAllowed: 409,
    DefinitionConflict: 409,
    StaleVersion: 412,
    GateNotSatisfied: 422,
    # --- project room (issue #14) ---
    TooLarge: 413,
}


#: errors of a form post that become a flash on the page the user came from
FLASHED = (StaleVersion, ConcurrentUpdate, TransitionNotAllowed, GateNotSatisfied, InvalidInput)


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


def _api_body(error: WorkflowError) -> dict[str, Any]:
    """The codes of an engine error for the JSON body: fields in English and as codes."""
    problems: dict[str, Problem] = {}
    extra: dict[str, Any] = {"problem": error.problem.code, "params": dict(error.problem.params)}
    if isinstance(error, InvalidInput):
        problems = error.fields
    if isinstance(error, GateNotSatisfied):
        extra["unmet"] = [u.as_dict() for u in error.unmet]
        problems = {
            f"{u.kind}.{u.key}": Problem(u.code, {"key": u.key, **u.params}) for u in error.unmet
        }
    extra["fields"] = {k: p.text for k, p in problems.items()}
    extra["field_codes"] = {k: p.as_dict() for k, p in problems.items()}
    return extra


def _workflow_error(error: WorkflowError) -> Any:
    status = status_of(error)
    if wants_json():
        body = _api_body(error)
        return json_error(status, error.code, error.message, body.pop("fields"), **body)
    if request.method == "POST" and isinstance(error, FLASHED):
        return _flash_back(error)
    return render_template("errors/error.html", status=status, message=word(error.problem)), status


def _flash_back(error: WorkflowError) -> Any:
    message = word(error.problem)
    if isinstance(error, InvalidInput):
        message += " " + " ".join(word(m) for m in error.fields.values())
    flash(message, "error")
    pid = (request.view_args or {}).get("pid")
    target = url_for("projects.show", pid=pid) if pid else url_for("projects.mine")
    return redirect(target, 303)


def field_errors(messages: Any, name: str = "") -> dict[str, str]:
    """Flatten marshmallow's nested messages to ``{"fields.need": "what is wrong"}``."""
    if isinstance(messages, dict):
        flat: dict[str, str] = {}
        for key, value in messages.items():
            part = "body" if key == "_schema" else str(key)[:100]
            flat.update(field_errors(value, f"{name}.{part}" if name else part))
        return flat
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return {name or "body": " ".join(messages)}
    if isinstance(messages, list | tuple):
        return {
            k: v for i, m in enumerate(messages) for k, v in field_errors(m, f"{name}.{i}").items()
        }
    return {name or "body": str(messages)}


def _request_fields(detail: Any) -> dict[str, str]:
    """Field errors of a request, from ``{location: messages}`` (``json``, ``query``, …)."""
    flat: dict[str, str] = {}
    for location, messages in (detail or {}).items():
        if isinstance(messages, dict):
            flat.update(field_errors(messages))
        else:  # the whole location is wrong, e.g. a body that is not JSON
            flat.update(field_errors(messages, "body" if location == "json" else location))
    return flat


def _http_error(error: HTTPException) -> Any:
    status = error.code or 500
    if wants_json():
        code = (error.name or "error").lower().replace(" ", "_")
        # webargs attaches what was wrong, e.g. {"messages": {"json": ["Invalid JSON body."]}}
        messages = (getattr(error, "data", None) or {}).get("messages")
        fields = _request_fields(messages) if isinstance(messages, dict) else {}
        message = error.description or error.name
        if fields:
            code, message = "invalid_input", "; ".join(f"{k}: {v}" for k, v in fields.items())
        response, status = json_error(status, code, message, fields)
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        return response, status, headers
    return render_template("errors/error.html", status=status, message=None), status


def _apiflask_error(error: HTTPError) -> Any:
    """APIFlask's own errors: request validation (400, naming each field) and auth (401)."""
    status = error.status_code
    if not wants_json():
        return render_template("errors/error.html", status=status, message=None), status
    fields = _request_fields(error.detail) if isinstance(error.detail, dict) else {}
    if status == 401:
        code, message = "unauthorized", "a valid API token is needed: Authorization: Bearer <token>"
    elif fields:
        code, message = "invalid_input", "; ".join(f"{k}: {v}" for k, v in fields.items())
    else:
        code = (error.message or "error").lower().replace(" ", "_")
        message = error.message or "error"
    response, status = json_error(status, code, message, fields)
    return response, status, dict(error.headers or {})


def _csrf_error(error: CSRFError) -> Any:
    if wants_json():
        return json_error(400, "csrf", error.description)
    message = _("The form had expired. Please try again.")
    return render_template("errors/error.html", status=400, message=message), 400


def _unexpected(error: Exception) -> Any:
    log.exception("unhandled error on %s %s", request.method, one_line(request.path))
    if wants_json():
        return json_error(500, "internal_error", "Something went wrong on our side.")
    return render_template("errors/error.html", status=500, message=None), 500


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    if isinstance(app, APIFlask):  # before the HTTPException handler, which it would replace
        app.error_processor(_apiflask_error)
    app.register_error_handler(WorkflowError, _workflow_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
