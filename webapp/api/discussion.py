"""The project room (SPEC §4b): the discussion, requests for information and the follow-ups
of a conditional go.

Comments, questions and answers neither need nor change the project's version (they stay
open in review); closing a follow-up takes the project's ``If-Match`` (or ``version``) and
answers with the new version as the ``ETag``.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

import workflow
from webapp.api import bp
from webapp.api.auth import api_actor
from webapp.api.inputs import (
    CloseIn,
    CommentIn,
    FollowUpPath,
    IfMatch,
    PageQuery,
    ProjectPath,
    QuestionIn,
    QuestionPath,
)
from webapp.api.paths import path_params
from webapp.api.present import etag, expected_version, page_of
from webapp.api.schemas import (
    RULE_REFUSED,
    CommentOut,
    CommentPage,
    CreatedHeaders,
    EtagHeader,
    FollowUpOut,
    FollowUpPage,
    QuestionOut,
)
from webapp.extensions import current_workflow

ROOM_ERRORS = {
    400: "Invalid input, naming each field",
    403: "Not allowed for this user",
    409: "Not allowed in the project's status (killed; a question needs a pending gate)",
    422: RULE_REFUSED,
}


def comment_document(row: dict[str, Any]) -> dict[str, Any]:
    """A comment as ``CommentOut``."""
    return {
        "id": row["id"],
        "author": {"id": row["author_id"], "name": row["author_name"]},
        "body": row["body"],
        "created_at": row["created_at"],
    }


def follow_up_document(row: dict[str, Any]) -> dict[str, Any]:
    """A follow-up as ``FollowUpOut``."""
    closer = row["closed_by"]
    return {
        **{k: row[k] for k in ("id", "gate", "text", "due_on", "overdue", "closed_at", "note")},
        "responsible": {"id": row["responsible_id"], "name": row["responsible_name"]},
        "closed_by": None if closer is None else {"id": closer, "name": row["closed_by_name"]},
    }


def question_document(row: dict[str, Any]) -> dict[str, Any]:
    """A question as ``QuestionOut``."""
    keys = ("id", "gate", "text", "asked_at", "answer", "answer_comment_id", "answered_at")
    return {
        **{k: row[k] for k in keys},
        "asked_by": {"id": row["asked_by"], "name": row["asker_name"]},
        "open": row["open"],
    }


@bp.get("/projects/<project_id>/comments")
@bp.doc(operation_id="listComments")
@bp.input(PageQuery, location="query", arg_name="query")
@bp.output(CommentPage)
@path_params(ProjectPath)
def list_comments(project_id: int, query: dict[str, Any]) -> Any:
    """List a project's discussion

    Oldest first; bodies are Markdown as written.
    """
    found = workflow.project_comments(
        current_workflow(), project_id, page=query["page"], per_page=query["per_page"]
    )
    return {
        "items": [comment_document(c) for c in found.items],
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
    }


@bp.post("/projects/<project_id>/comments")
@bp.input(CommentIn, arg_name="body")
@bp.output(CommentOut, status_code=201, headers=CreatedHeaders)
@bp.doc(operation_id="addComment", responses=ROOM_ERRORS)
@path_params(ProjectPath)
def add_comment(project_id: int, body: dict[str, Any]) -> Any:
    """Post in a project's discussion

    Any signed-in user; ``@email`` mentions of active users are told by mail. The
    project's version stays as it is, and the thread stays open in review.
    """
    wf = current_workflow()
    comment_id = workflow.add_comment(wf, api_actor(), project_id, body=body["body"])
    last = workflow.get_comment(wf, project_id, comment_id)
    location = url_for("api.list_comments", project_id=project_id)
    return comment_document(last), 201, {"Location": f"{location}#comment-{comment_id}"}


@bp.get("/projects/<project_id>/follow-ups")
@bp.doc(operation_id="listFollowUps")
@bp.input(PageQuery, location="query", arg_name="query")
@bp.output(FollowUpPage)
@path_params(ProjectPath)
def list_follow_ups(project_id: int, query: dict[str, Any]) -> Any:
    """List a project's follow-ups

    The conditions of its conditional go decisions: open ones first, by due date.
    """
    return page_of(
        workflow.project_follow_ups(current_workflow(), project_id), query, follow_up_document
    )


@bp.post("/projects/<project_id>/follow-ups/<follow_up_id>/close")
@bp.input(CloseIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(FollowUpOut, headers=EtagHeader)
@bp.doc(
    operation_id="closeFollowUp",
    responses={**ROOM_ERRORS, 412: "If-Match or version names an older version of the project"},
)
@path_params(FollowUpPath)
def close_follow_up(
    project_id: int, follow_up_id: int, body: dict[str, Any], headers: dict[str, str]
) -> Any:
    """Close a follow-up

    The responsible user or a coordinator, with a note (422 when it is closed already).
    """
    wf = current_workflow()
    version = expected_version(body.pop("version", None), headers.get("if_match"))
    new_version = workflow.close_follow_up(
        wf, api_actor(), project_id, follow_up_id, note=body["note"], expected_version=version
    )
    (row,) = (f for f in workflow.project_follow_ups(wf, project_id) if f["id"] == follow_up_id)
    return follow_up_document(row), 200, etag(new_version)


def _question(project_id: int, question_id: int, status: int = 200, **headers: str) -> Any:
    found = workflow.project_questions(current_workflow(), project_id)
    (row,) = (q for q in found if q["id"] == question_id)
    return question_document(row), status, headers


@bp.post("/projects/<project_id>/questions")
@bp.input(QuestionIn, arg_name="body")
@bp.output(QuestionOut, status_code=201, headers=CreatedHeaders)
@bp.doc(operation_id="askQuestion", responses=ROOM_ERRORS)
@path_params(ProjectPath)
def ask_question(project_id: int, body: dict[str, Any]) -> Any:
    """Ask the owner for information

    A gatekeeper of the pending gate: the review and its SLA pause, without sending the
    project back, until every question is answered.
    """
    qid = workflow.ask_question(current_workflow(), api_actor(), project_id, text=body["text"])
    location = url_for("api.list_comments", project_id=project_id)
    return _question(project_id, qid, 201, Location=f"{location}#question-{qid}")


@bp.post("/projects/<project_id>/questions/<question_id>/answer")
@bp.input(CommentIn, arg_name="body")
@bp.output(QuestionOut)
@bp.doc(operation_id="answerQuestion", responses=ROOM_ERRORS)
@path_params(QuestionPath)
def answer_question(project_id: int, question_id: int, body: dict[str, Any]) -> Any:
    """Answer a question

    The owner answers in the discussion (the answer is a comment there); when none is left
    open, the review's clock runs again.
    """
    workflow.answer_question(
        current_workflow(), api_actor(), project_id, question_id, body=body["body"]
    )
    return _question(project_id, question_id)
