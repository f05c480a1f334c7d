"""Funders' calls (SPEC §4b): any user reads; coordinators and admins write.

Each view makes one call into the service layer and answers with the call as it is
afterwards; engine errors become HTTP statuses in ``webapp.errors``.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

import workflow
from webapp.api import bp
from webapp.api.auth import api_actor
from webapp.api.inputs import CallIn, CallPatch, CallPath, CallQuery
from webapp.api.paths import path_params
from webapp.api.schemas import RULE_REFUSED, CallOut, CallPage, CreatedHeaders
from webapp.extensions import current_workflow

#: what a write to a call can answer besides 2xx (401 and 404 are documented for all)
WRITE_ERRORS = {
    400: "Invalid input, naming each field",
    403: "Only coordinators and admins register and change calls",
    422: RULE_REFUSED + "; or the call's dates, amounts or rules do not fit together",
}


@bp.get("/calls")
@bp.doc(operation_id="listCalls")
@bp.input(CallQuery, location="query", arg_name="query")
@bp.output(CallPage)
def list_calls(query: dict[str, Any]) -> Any:
    """List calls

    Open calls first (nearest deadline first), then upcoming ones, then closed ones;
    filtered by ``phase``, ``open`` (open now: ``opens_on`` ≤ today < ``deadline``,
    Europe/Oslo), ``funder`` (contains) and ``year`` of the deadline.
    """
    if "open" in query:
        query["open_now"] = query.pop("open")
    return workflow.list_calls(current_workflow(), **query)


@bp.post("/calls")
@bp.input(CallIn, arg_name="body")
@bp.output(CallOut, status_code=201, headers=CreatedHeaders)
@bp.doc(operation_id="createCall", responses=WRITE_ERRORS)
def create_call(body: dict[str, Any]) -> Any:
    """Register a call

    Coordinators and admins only. The deadline is a moment with its offset (IPO calls
    close at 13:00 Europe/Oslo).
    """
    wf = current_workflow()
    call_id = workflow.create_call(wf, api_actor(), **_engine(body))
    location = url_for("api.show_call", call_id=call_id)
    return workflow.get_call(wf, call_id), 201, {"Location": location}


@bp.get("/calls/<call_id>")
@bp.doc(operation_id="getCall")
@bp.output(CallOut)
@path_params(CallPath)
def show_call(call_id: int) -> dict[str, Any]:
    """Show a call

    With how many applications it has and the newest of them, each with its project.
    """
    return workflow.get_call(current_workflow(), call_id)


@bp.patch("/calls/<call_id>")
@bp.input(CallPatch, arg_name="body")
@bp.output(CallOut)
@bp.doc(operation_id="updateCall", responses=WRITE_ERRORS)
@path_params(CallPath)
def update_call(call_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """Change a call

    Only the fields given change; the rules between fields are checked on the call as it
    is afterwards. Coordinators and admins.
    """
    wf = current_workflow()
    workflow.update_call(wf, api_actor(), call_id, **_engine(body))
    return workflow.get_call(wf, call_id)


def _engine(body: dict[str, Any]) -> dict[str, Any]:
    """The body as the engine takes it: a null list or mapping is an empty one."""
    values = dict(body)
    for name, empty in (
        ("max_support_rate", {}),
        ("required_partners", {}),
        ("required_attachments", []),
        ("url", ""),
    ):
        if name in values and values[name] is None:
            values[name] = empty
    return values
