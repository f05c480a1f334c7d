"""The read side of the project room: its thread, questions, follow-ups and what of them
waits for a user (``room_tasks``, which *My tasks* lists)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Select, func, select

from workflow.domain.lifecycle import KILLED
from workflow.errors import NotFound
from workflow.queries.projects import Page, _page_args
from workflow.runtime import Workflow
from workflow.store.tables import (
    comments,
    follow_ups,
    mentions,
    projects,
    questions,
    reviews,
    users,
)

#: how many questions and follow-ups a project page shows at most (newest first)
MAX_ITEMS = 100


def passed_follow_ups(project_id: int) -> Select[Any]:
    """The follow-ups of a project whose review ended in a go (the others never count)."""
    return (
        select(follow_ups)
        .join(reviews, reviews.c.id == follow_ups.c.review_id)
        .where(follow_ups.c.project_id == project_id, reviews.c.outcome == "go")
    )


def _exists(conn: Connection, project_id: int) -> dict[str, Any]:
    row = (
        conn.execute(
            select(
                projects.c.id,
                projects.c.owner_id,
                projects.c.status,
                projects.c.version,
                projects.c.pending_review_id,
                projects.c.pending_gate,
            ).where(projects.c.id == project_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("no_project", project=project_id)
    return dict(row)


def _comment_rows(project_id: int) -> Select[Any]:
    return (
        select(
            comments.c.id,
            comments.c.author_id,
            users.c.name.label("author_name"),
            comments.c.body,
            comments.c.created_at,
        )
        .join(users, users.c.id == comments.c.author_id)
        .where(comments.c.project_id == project_id)
        .order_by(comments.c.id)
    )


def _question_rows(project_id: int) -> Select[Any]:
    return (
        select(
            questions.c.id,
            questions.c.gate,
            questions.c.review_id,
            questions.c.asked_by,
            users.c.name.label("asker_name"),
            questions.c.text,
            questions.c.asked_at,
            questions.c.answer,
            questions.c.answer_comment_id,
            questions.c.answered_at,
        )
        .join(users, users.c.id == questions.c.asked_by)
        .where(questions.c.project_id == project_id)
        .order_by(questions.c.id.desc())
        .limit(MAX_ITEMS)
    )


def _follow_up_rows(project_id: int) -> Select[Any]:
    responsible = users.alias("responsible")
    closer = users.alias("closer")
    return (
        passed_follow_ups(project_id)
        .add_columns(
            responsible.c.name.label("responsible_name"),
            closer.c.name.label("closed_by_name"),
        )
        .join(responsible, responsible.c.id == follow_ups.c.responsible_id)
        .outerjoin(closer, closer.c.id == follow_ups.c.closed_by)
        .order_by(follow_ups.c.closed_at.is_not(None), follow_ups.c.due_on, follow_ups.c.id)
        .limit(MAX_ITEMS)
    )


def project_comments(wf: Workflow, project_id: int, *, page: int = 1, per_page: int = 25) -> Page:
    """One page of the project's discussion, oldest first, each with its author's name
    (one query on the ``(project_id, id)`` index).

    Raises:
        NotFound: there is no such project.
        InvalidInput: a bad page or page size.
    """
    page, per_page = _page_args(page, per_page)
    with wf.db.read() as conn:
        _exists(conn, project_id)
        total = int(
            conn.execute(
                select(func.count())
                .select_from(comments)
                .where(comments.c.project_id == project_id)
            ).scalar_one()
        )
        rows = [
            dict(r)
            for r in conn.execute(
                _comment_rows(project_id).limit(per_page).offset((page - 1) * per_page)
            ).mappings()
        ]
    return Page(rows, total, page, per_page)


def get_comment(wf: Workflow, project_id: int, comment_id: int) -> dict[str, Any]:
    """One comment of the project's discussion, with its author's name.

    Raises:
        NotFound: the project has no such comment.
    """
    with wf.db.read() as conn:
        row = (
            conn.execute(_comment_rows(project_id).where(comments.c.id == comment_id))
            .mappings()
            .first()
        )
    if row is None:
        raise NotFound("no_comment", project=project_id, comment=comment_id)
    return dict(row)


def project_questions(wf: Workflow, project_id: int) -> list[dict[str, Any]]:
    """The project's requests for information, newest first (at most :data:`MAX_ITEMS`),
    each with the asker's name and whether it holds up the pending review (``open``)."""
    with wf.db.read() as conn:
        project = _exists(conn, project_id)
        rows = [dict(r) for r in conn.execute(_question_rows(project_id)).mappings()]
    for row in rows:
        row["open"] = (
            row["answered_at"] is None and row["review_id"] == project["pending_review_id"]
        )
    return rows


def project_follow_ups(
    wf: Workflow, project_id: int, *, today: date | None = None
) -> list[dict[str, Any]]:
    """The follow-ups of the project's passed gates (open ones first, by due date; at most
    :data:`MAX_ITEMS`), each with the responsible user's name and ``overdue``."""
    today = today or wf.today()
    query = _follow_up_rows(project_id)
    with wf.db.read() as conn:
        _exists(conn, project_id)
        rows = [dict(r) for r in conn.execute(query).mappings()]
    for row in rows:
        row["overdue"] = row["closed_at"] is None and row["due_on"] < today
    return rows


@dataclass(frozen=True)
class ProjectRoom:
    """What the project page shows of the project room, read in four bounded queries."""

    comments: Page
    questions: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: list[dict[str, Any]] = field(default_factory=list)


def project_room(
    wf: Workflow,
    project_id: int,
    *,
    page: int | None = None,
    per_page: int = 20,
    today: date | None = None,
) -> ProjectRoom:
    """One page of the project's thread (``page``; None: the last, with the newest posts),
    its questions and its follow-ups, as :func:`project_comments`,
    :func:`project_questions` and :func:`project_follow_ups` give them.

    Raises:
        NotFound: there is no such project.
        InvalidInput: a bad page size.
    """
    _, per_page = _page_args(page or 1, per_page)
    today = today or wf.today()
    head = select(
        projects.c.pending_review_id,
        select(func.count())
        .select_from(comments)
        .where(comments.c.project_id == project_id)
        .scalar_subquery()
        .label("total"),
    ).where(projects.c.id == project_id)
    with wf.db.read() as conn:
        found = conn.execute(head).mappings().first()
        if found is None:
            raise NotFound("no_project", project=project_id)
        total = int(found["total"])
        last = max(1, -(-total // per_page))
        number = last if page is None else max(1, min(page, last))
        thread = [
            dict(r)
            for r in conn.execute(
                _comment_rows(project_id).limit(per_page).offset((number - 1) * per_page)
            ).mappings()
        ]
        questions_found = [dict(r) for r in conn.execute(_question_rows(project_id)).mappings()]
        follow_rows = [dict(r) for r in conn.execute(_follow_up_rows(project_id)).mappings()]
    for row in questions_found:
        row["open"] = row["answered_at"] is None and row["review_id"] == found["pending_review_id"]
    for row in follow_rows:
        row["overdue"] = row["closed_at"] is None and row["due_on"] < today
    return ProjectRoom(Page(thread, total, number, per_page), questions_found, follow_rows)


def room_tasks(conn: Connection, user_id: int, today: date) -> list[dict[str, Any]]:
    """What of the project room waits for ``user_id``: each ``{"kind", "project_id",
    "project_title", "due_on", "ref_id"}``, where kind is

    - ``mention``: a comment naming them in the last 30 days (``ref_id`` the comment);
    - ``question``: an open request for information on a project they own, while its
      review is pending (``ref_id`` the question);
    - ``condition``: an open follow-up they are responsible for (``due_on`` its date).

    Killed projects are left out; at most :data:`MAX_ITEMS` of each kind, newest or most
    urgent first. Three bounded queries, each on an index of its own.
    """
    since = datetime.combine(today - timedelta(days=30), time(), UTC)
    mention_rows = conn.execute(
        select(
            projects.c.id.label("project_id"),
            projects.c.title.label("project_title"),
            comments.c.id.label("ref_id"),
        )
        .select_from(mentions)
        .join(comments, comments.c.id == mentions.c.comment_id)
        .join(projects, projects.c.id == comments.c.project_id)
        .where(
            mentions.c.user_id == user_id,
            comments.c.created_at >= since,
            projects.c.status != KILLED,
        )
        .order_by(mentions.c.comment_id.desc())
        .limit(MAX_ITEMS)
    ).mappings()
    tasks: list[dict[str, Any]] = [
        {
            "kind": "mention",
            "project_id": r["project_id"],
            "project_title": r["project_title"],
            "due_on": None,
            "ref_id": r["ref_id"],
        }
        for r in mention_rows
    ]
    open_questions = (
        select(
            questions.c.project_id,
            projects.c.title.label("project_title"),
            questions.c.id.label("ref_id"),
        )
        .join(projects, projects.c.id == questions.c.project_id)
        .where(
            projects.c.owner_id == user_id,
            questions.c.answered_at.is_(None),
            questions.c.review_id == projects.c.pending_review_id,
        )
        .order_by(questions.c.id)
        .limit(MAX_ITEMS)
    )
    tasks.extend(
        {"kind": "question", "due_on": None, **dict(r)}
        for r in conn.execute(open_questions).mappings()
    )
    conditions = (
        select(
            follow_ups.c.project_id,
            projects.c.title.label("project_title"),
            follow_ups.c.id.label("ref_id"),
            follow_ups.c.due_on,
        )
        .join(projects, projects.c.id == follow_ups.c.project_id)
        .join(reviews, reviews.c.id == follow_ups.c.review_id)
        .where(
            follow_ups.c.responsible_id == user_id,
            follow_ups.c.closed_at.is_(None),
            reviews.c.outcome == "go",
            projects.c.status != KILLED,
        )
        .order_by(follow_ups.c.due_on, follow_ups.c.id)
        .limit(MAX_ITEMS)
    )
    tasks.extend({"kind": "condition", **dict(r)} for r in conn.execute(conditions).mappings())
    return tasks
