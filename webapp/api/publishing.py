"""The public portfolio's decisions through the API (issue #17): a coordinator publishes a
project at ``/open``, or takes it back. Same rules as every change: ``If-Match`` (or
``version``), the new version as the ``ETag``, 403 for anyone but coordinators and admins,
409 when it already is (or is not) published."""

from __future__ import annotations

from typing import Any

from apiflask import Schema
from apiflask.fields import Boolean, DateTime, Integer

import workflow
from webapp.api import bp
from webapp.api.auth import api_actor
from webapp.api.inputs import IfMatch, ProjectPath, Versioned
from webapp.api.paths import path_params
from webapp.api.present import etag, expected_version
from webapp.api.schemas import RULE_REFUSED, EtagHeader
from webapp.extensions import current_workflow

PUBLISH_ERRORS = {
    400: "Invalid input, naming each field",
    403: "Only coordinators and admins publish",
    409: "Published already (or not published), or someone else changed the project first",
    412: "If-Match or version names an older version of the project",
    422: RULE_REFUSED,
}


class PublicationOut(Schema):
    """Whether a project is in the public portfolio, since when, and its version."""

    project_id = Integer(required=True)
    published = Boolean(required=True)
    published_at = DateTime(allow_none=True, required=True)
    version = Integer(required=True)


def _publication(project_id: int) -> Any:
    p = workflow.get_project(current_workflow(), project_id).project
    body = {
        "project_id": project_id,
        "published": bool(p["published"]),
        "published_at": p["published_at"],
        "version": p["version"],
    }
    return body, 200, etag(p["version"])


@bp.post("/projects/<project_id>/publish")
@bp.input(Versioned, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(PublicationOut, headers=EtagHeader)
@bp.doc(operation_id="publishProject", responses=PUBLISH_ERRORS)
@path_params(ProjectPath)
def publish_project(project_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """Publish a project

    A coordinator shows the project in the public portfolio (``/open``): its title, summary,
    collaboration form, stage, thematic area and partner organisations, never persons.
    """
    version = expected_version(body.get("version"), headers.get("if_match"))
    workflow.publish_project(current_workflow(), api_actor(), project_id, expected_version=version)
    return _publication(project_id)


@bp.post("/projects/<project_id>/unpublish")
@bp.input(Versioned, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(PublicationOut, headers=EtagHeader)
@bp.doc(operation_id="unpublishProject", responses=PUBLISH_ERRORS)
@path_params(ProjectPath)
def unpublish_project(project_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """Unpublish a project

    A coordinator takes the project out of the public portfolio.
    """
    version = expected_version(body.get("version"), headers.get("if_match"))
    workflow.unpublish_project(
        current_workflow(), api_actor(), project_id, expected_version=version
    )
    return _publication(project_id)
