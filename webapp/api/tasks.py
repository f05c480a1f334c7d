"""What waits for the user of the token (SPEC §4b ``GET /me/tasks``)."""

from __future__ import annotations

from typing import Any

import workflow
from webapp.api import bp
from webapp.api.auth import api_actor
from webapp.api.inputs import PageQuery
from webapp.api.schemas import TaskPage
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
    tasks = workflow.my_tasks(current_workflow(), api_actor())
    page, per_page = query["page"], query["per_page"]
    start = (page - 1) * per_page
    items = [
        {
            "kind": t.kind,
            "project_id": t.project_id,
            "title": t.project_title,
            "due_on": t.due_on,
            "url": task_url(t),
        }
        for t in tasks[start : start + per_page]
    ]
    return {"items": items, "total": len(tasks), "page": page, "per_page": per_page}
