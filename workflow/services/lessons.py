"""Lessons learned: what a project's owner says worked, what did not, advice and tags
(SPEC §2c, §4b ``PUT /projects/{id}/lesson``).

Writing a lesson is a change of the project through the write pipeline (lock, version check,
audit event, version bump, one transaction). Lessons go on after the project is completed
or killed, which is when its owner is asked for one; they are frozen while it is in review.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from workflow.domain.lifecycle import ACTIVE, COMPLETED, KILLED
from workflow.domain.text import has_control
from workflow.errors import InvalidInput, Problem, TransitionNotAllowed
from workflow.runtime import Actor, Workflow
from workflow.store import pipeline
from workflow.store.tables import lessons

MAX_TEXT = 5_000
MAX_TAGS = 20
MAX_TAG = 50
#: the project statuses a lesson may be written in
LESSON_STATUSES = (ACTIVE, COMPLETED, KILLED)
TEXTS = ("worked", "did_not_work", "advice")


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Problem] = {}
    out: dict[str, Any] = {}
    for name in TEXTS:
        value = values.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            errors[name] = Problem("text_too_long", {"max": MAX_TEXT})
        else:
            out[name] = value.strip()
    tags = values.get("tags") or []
    if (
        not isinstance(tags, list)
        or len(tags) > MAX_TAGS
        or not all(isinstance(t, str) and 0 < len(t.strip()) <= MAX_TAG for t in tags)
        or any(has_control(t) for t in tags if isinstance(t, str))
    ):
        errors["tags"] = Problem("lesson_tags", {"max": MAX_TAGS, "length": MAX_TAG})
    else:
        out["tags"] = list(dict.fromkeys(t.strip() for t in tags))
    if not errors and not any(out[name] for name in TEXTS):
        errors["worked"] = Problem("lesson_empty")
    if errors:
        raise InvalidInput(errors)
    return out


def write_lesson(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    *,
    worked: str = "",
    did_not_work: str = "",
    advice: str = "",
    tags: list[str] | None = None,
    expected_version: int | None = None,
) -> int:
    """The owner writes (or rewrites) the project's lesson. Returns the project's new
    version.

    Raises:
        InvalidInput: a text too long, bad tags, or all three texts empty.
        PermissionDenied: the actor does not own the project.
        TransitionNotAllowed: the project is in review or on hold.
        VersionConflict: ``expected_version`` is stale.
    """
    values = _checked(
        {"worked": worked, "did_not_work": did_not_work, "advice": advice, "tags": tags}
    )
    with pipeline.change(wf, actor, project_id, expected_version) as ch:
        status = ch.row["status"]
        if status not in LESSON_STATUSES:
            raise TransitionNotAllowed(
                "part_frozen", part="lesson", status=status, project=project_id
            )
        pipeline.require_owner(ch.row, actor.id)
        existing = ch.conn.execute(
            select(lessons.c.id).where(lessons.c.project_id == project_id)
        ).scalar()
        stamp = {"written_by": actor.id, "updated_at": ch.now}
        if existing is None:
            ch.conn.execute(
                insert(lessons).values(project_id=project_id, created_at=ch.now, **values, **stamp)
            )
        else:
            ch.conn.execute(
                update(lessons).where(lessons.c.id == existing).values(**values, **stamp)
            )
        ch.record("lesson_written", {"tags": values["tags"], "new": existing is None})
    return ch.version
