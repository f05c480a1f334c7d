"""Lessons learned and full-text search (SPEC §4b): ``GET/PUT /projects/{id}/lesson`` and
``GET /search``.

A lesson's write takes the project's ``If-Match`` (or ``version``) and answers with the
project's new version as the ``ETag``; lessons go on after completion and after a kill.
"""

from __future__ import annotations

from typing import Any

from apiflask import Schema
from apiflask.fields import DateTime, Float, Integer, List, Nested, String
from apiflask.validators import Length, OneOf, Range

import workflow
from webapp.api import bp
from webapp.api.auth import api_actor
from webapp.api.fields import AsciiInteger, Text
from webapp.api.inputs import MAX_PER_PAGE, IfMatch, ProjectPath, Versioned
from webapp.api.paths import path_params
from webapp.api.present import etag, expected_version
from webapp.api.schemas import RULE_REFUSED, EtagHeader, UserRef
from webapp.extensions import current_workflow


class LessonIn(Versioned):
    """The project's lesson learned: what worked, what did not, advice, tags."""

    worked = Text(load_default="", validate=Length(max=5_000))
    did_not_work = Text(load_default="", validate=Length(max=5_000))
    advice = Text(load_default="", validate=Length(max=5_000))
    tags = List(Text(validate=Length(min=1, max=50)), load_default=list, validate=Length(max=20))


class LessonOut(Schema):
    """A project's lesson learned (``written`` false and the texts empty while it has none)."""

    project_id = Integer(required=True)
    written = Integer(required=True, metadata={"description": "1 when the lesson exists"})
    worked = String(required=True)
    did_not_work = String(required=True)
    advice = String(required=True)
    tags = List(String(), required=True)
    written_by = Nested(UserRef, required=True, allow_none=True)
    updated_at = DateTime(required=True, allow_none=True)


class SearchQuery(Schema):
    q = Text(required=True, validate=Length(min=1, max=200))
    kind = Text(validate=OneOf(("project", "lesson")))
    page = AsciiInteger(load_default=1, validate=Range(min=1, max=1_000_000))
    per_page = AsciiInteger(load_default=20, validate=Range(min=1, max=MAX_PER_PAGE))


class SearchHit(Schema):
    kind = String(required=True, metadata={"enum": ["project", "lesson"]})
    project_id = Integer(required=True)
    title = String(required=True)
    status = String(required=True)
    definition_key = String(required=True)
    thematic_area = String(required=True, allow_none=True)
    score = Float(required=True, metadata={"description": "higher ranks first"})
    snippet = String(required=True, metadata={"description": "the matching passage as text"})
    snippet_html = String(
        required=True, metadata={"description": "the passage, escaped, matches in <mark>"}
    )


class SearchPage(Schema):
    items = List(Nested(SearchHit), required=True)
    total = Integer(required=True)
    page = Integer(required=True)
    per_page = Integer(required=True)


def _lesson(project_id: int, status: int = 200) -> Any:
    found = workflow.get_lesson(current_workflow(), project_id)
    row = found["lesson"] or {}
    document = {
        "project_id": project_id,
        "written": int(bool(row)),
        "worked": row.get("worked", ""),
        "did_not_work": row.get("did_not_work", ""),
        "advice": row.get("advice", ""),
        "tags": row.get("tags", []),
        "written_by": None
        if not row or row["written_by_name"] is None
        else {"id": found["owner_id"], "name": row["written_by_name"]},
        "updated_at": row.get("updated_at"),
    }
    return document, status, etag(found["version"])


@bp.get("/projects/<project_id>/lesson")
@bp.doc(operation_id="getLesson")
@bp.output(LessonOut, headers=EtagHeader)
@path_params(ProjectPath)
def get_lesson(project_id: int) -> Any:
    """Read a project's lesson learned

    Any user reads it; ``written`` is 0 while the owner has not written one.
    """
    return _lesson(project_id)


@bp.put("/projects/<project_id>/lesson")
@bp.input(LessonIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(LessonOut, headers=EtagHeader)
@bp.doc(
    operation_id="putLesson",
    responses={
        400: "Invalid input, naming each field",
        403: "Not the project's owner",
        409: "The project is in review or on hold, or changed meanwhile",
        412: "If-Match or version names an older version of the project",
        422: RULE_REFUSED,
    },
)
@path_params(ProjectPath)
def put_lesson(project_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """Write a project's lesson learned

    The owner writes (or rewrites) what worked, what did not, advice and tags; also after
    the project is completed or killed.
    """
    version = expected_version(body.pop("version", None), headers.get("if_match"))
    workflow.write_lesson(
        current_workflow(), api_actor(), project_id, expected_version=version, **body
    )
    return _lesson(project_id)


@bp.get("/search")
@bp.doc(operation_id="searchProjects")
@bp.input(SearchQuery, location="query", arg_name="query")
@bp.output(SearchPage)
def search(query: dict[str, Any]) -> Any:
    """Search projects and lessons learned

    Ranked hits with a highlighted snippet; Norwegian words match their inflections
    (``anskaffelse`` finds ``anskaffelser``) and case folds for every letter.
    """
    found = workflow.search(
        current_workflow(),
        query["q"],
        kind=query.get("kind"),
        page=query["page"],
        per_page=query["per_page"],
    )
    items = [
        {
            **hit,
            "snippet": hit["snippet"].replace("\x02", "").replace("\x03", ""),
            "snippet_html": workflow.snippet_html(hit["snippet"]),
        }
        for hit in found.items
    ]
    return {"items": items, "total": found.total, "page": found.page, "per_page": found.per_page}
