"""The read side of lessons learned: a project's lesson, the lessons by thematic area and
collaboration form, and the owners' lesson tasks (projects ended without one)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, select

from workflow.domain.lifecycle import COMPLETED, KILLED
from workflow.errors import NotFound
from workflow.queries.projects import Page, _page_args
from workflow.runtime import Workflow
from workflow.store.tables import lessons, projects, users

_COLUMNS = (
    lessons.c.project_id,
    lessons.c.worked,
    lessons.c.did_not_work,
    lessons.c.advice,
    lessons.c.tags,
    lessons.c.updated_at,
    users.c.name.label("written_by_name"),
)


def get_lesson(wf: Workflow, project_id: int) -> dict[str, Any]:
    """The project's lesson (``lesson`` None when it has none), with the project's
    ``version``, ``status`` and ``owner_id``.

    Raises:
        NotFound: no such project.
    """
    with wf.db.read() as conn:
        project = (
            conn.execute(
                select(
                    projects.c.id, projects.c.version, projects.c.status, projects.c.owner_id
                ).where(projects.c.id == project_id)
            )
            .mappings()
            .first()
        )
        if project is None:
            raise NotFound("no_project", project=project_id)
        row = (
            conn.execute(
                select(*_COLUMNS)
                .outerjoin(users, users.c.id == lessons.c.written_by)
                .where(lessons.c.project_id == project_id)
            )
            .mappings()
            .first()
        )
    return {
        "project_id": project_id,
        "version": project["version"],
        "status": project["status"],
        "owner_id": project["owner_id"],
        "lesson": None if row is None else dict(row),
    }


def list_lessons(
    wf: Workflow,
    *,
    thematic_area: str | None = None,
    definition: str | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """Lessons, newest first, filtered by the project's thematic area and collaboration
    form (definition); each with the project's title, status, area and form."""
    page, per_page = _page_args(page, per_page)
    conditions = []
    if thematic_area:
        conditions.append(projects.c.thematic_area == thematic_area)
    if definition:
        conditions.append(projects.c.definition_key == definition)
    where = and_(True, *conditions)
    query = (
        select(
            *_COLUMNS,
            projects.c.title,
            projects.c.status,
            projects.c.thematic_area,
            projects.c.definition_key,
        )
        .join(projects, projects.c.id == lessons.c.project_id)
        .outerjoin(users, users.c.id == lessons.c.written_by)
        .where(where)
        .order_by(lessons.c.updated_at.desc(), lessons.c.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    count = (
        select(func.count())
        .select_from(lessons.join(projects, projects.c.id == lessons.c.project_id))
        .where(where)
    )
    with wf.db.read() as conn:
        total = int(conn.execute(count).scalar_one())
        items = [dict(r) for r in conn.execute(query).mappings()]
    return Page(items, total, page, per_page)


def lesson_tasks(conn: Connection, user_id: int, today: date) -> list[dict[str, Any]]:
    """The user's lesson tasks: each project they own that was completed or killed without
    a lesson (``kind`` "lesson", ``due_on`` and ``ref_id`` None), newest first, at most 50."""
    rows = conn.execute(
        select(projects.c.id, projects.c.title)
        .outerjoin(lessons, lessons.c.project_id == projects.c.id)
        .where(
            projects.c.owner_id == user_id,
            projects.c.status.in_((COMPLETED, KILLED)),
            lessons.c.id.is_(None),
        )
        .order_by(projects.c.id.desc())
        .limit(50)
    )
    return [
        {
            "kind": "lesson",
            "project_id": r.id,
            "project_title": r.title,
            "due_on": None,
            "ref_id": None,
        }
        for r in rows
    ]
