"""The token's user: what waits for them (``GET /me/tasks``) and their substitute
(``PUT/DELETE /me/substitute``), SPEC §4b."""

from __future__ import annotations

from typing import Any

import workflow
from webapp.api import bp
from webapp.api.auth import api_actor
from webapp.api.inputs import PageQuery, SubstituteIn
from webapp.api.present import page_of
from webapp.api.schemas import RULE_REFUSED, SubstituteOut, TaskPage
from webapp.extensions import current_workflow
from webapp.tasks.views import task_url


@bp.get("/me/tasks")
@bp.doc(operation_id="listMyTasks")
@bp.input(PageQuery, location="query", arg_name="query")
@bp.output(TaskPage)
def list_my_tasks(query: dict[str, Any]) -> Any:
    """List my tasks

    Votes waiting for me, my projects sent back by the board, reports due, … — nearest due
    day first, each with the page where it is done.
    """
    return page_of(workflow.my_tasks(current_workflow(), api_actor()), query, _task_document)


def _task_document(t: workflow.Task) -> dict[str, Any]:
    return {
        "kind": t.kind,
        "project_id": t.project_id,
        "title": t.project_title,
        "due_on": t.due_on,
        "url": task_url(t),
    }


@bp.put("/me/substitute")
@bp.input(SubstituteIn, arg_name="body")
@bp.output(SubstituteOut)
@bp.doc(
    operation_id="setMySubstitute",
    responses={403: "Only gatekeepers of a group name substitutes", 422: RULE_REFUSED},
)
def set_my_substitute(body: dict[str, Any]) -> Any:
    """Name my substitute

    A gatekeeper names a user who votes in their group from ``from`` to ``to`` (both
    included), replacing any earlier one; audited. The substitute's own organisation still
    counts for conflicts of interest.
    """
    named = workflow.set_substitute(
        current_workflow(),
        api_actor(),
        user_id=body["user_id"],
        starts_on=body["from_"],
        ends_on=body["to"],
    )
    return {**named, "from_": named["from"]}


@bp.delete("/me/substitute")
@bp.output({}, status_code=204)
@bp.doc(operation_id="removeMySubstitute", responses={404: "No substitute is named"})
def remove_my_substitute() -> Any:
    """Remove my substitute

    Ends the substitute's period at once; audited.
    """
    workflow.remove_substitute(current_workflow(), api_actor())
    return ""
